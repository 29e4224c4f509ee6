package dev.autoplane.platform.token;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * How access tokens are issued and checked ({@code autoplane.jwt.*}, env {@code AUTOPLANE_JWT_*}):
 * issuer, audience, lifetime (default 10 minutes), how long a new signing key is published before
 * it signs (default 1 minute) and whether verified tokens are cached until they expire.
 */
@Component
public class JwtSettings {

    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Duration publishAhead;
    private final boolean verificationCache;

    public JwtSettings(@Value("${autoplane.jwt.issuer:autoplane}") String issuer,
                       @Value("${autoplane.jwt.audience:autoplane-api}") String audience,
                       @Value("${autoplane.jwt.lifetime:PT10M}") Duration lifetime,
                       @Value("${autoplane.jwt.publish-ahead:PT1M}") Duration publishAhead,
                       @Value("${autoplane.jwt.verification-cache:true}") boolean verificationCache) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalStateException("autoplane.jwt.lifetime must be between 1 second and 1 day");
        }
        if (publishAhead.isNegative()) {
            throw new IllegalStateException("autoplane.jwt.publish-ahead must not be negative");
        }
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.publishAhead = publishAhead;
        this.verificationCache = verificationCache;
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public Duration publishAhead() {
        return publishAhead;
    }

    public boolean verificationCache() {
        return verificationCache;
    }
}
