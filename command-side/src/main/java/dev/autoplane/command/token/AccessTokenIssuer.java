package dev.autoplane.command.token;

import dev.autoplane.platform.Ids;
import dev.autoplane.platform.token.AccessTokenVerifier;
import dev.autoplane.platform.token.JwtSettings;
import io.jsonwebtoken.Jwts;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * Signs access tokens for automations (RFC 9068 profile): header {@code kid}, {@code typ: at+jwt};
 * claims {@code iss}, {@code aud}, {@code sub} and {@code client_id} (the automation), {@code iat},
 * {@code exp}, {@code jti}, {@code workspace_id}, {@code scope} (space-separated) and
 * {@code team_scope}.
 */
@Component
public class AccessTokenIssuer {

    /** An issued token; {@code expiresIn} in seconds. */
    public record Issued(String token, String tokenId, long expiresIn, Instant expiresAt) {
    }

    private final SigningKeys keys;
    private final JwtSettings settings;
    private final Clock clock;

    public AccessTokenIssuer(SigningKeys keys, JwtSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    public Issued issue(String automationId, String workspaceId, List<String> scopes, List<String> teamScope) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant exp = now.plus(settings.lifetime());
        SigningKeys.Signer signer = keys.current();
        String jti = Ids.newId();
        String token = Jwts.builder()
                .header().keyId(signer.kid()).type(AccessTokenVerifier.TYPE).and()
                .issuer(settings.issuer())
                .audience().add(settings.audience()).and()
                .subject(automationId)
                .issuedAt(Date.from(now))
                .expiration(Date.from(exp))
                .id(jti)
                .claim("client_id", automationId)
                .claim("workspace_id", workspaceId)
                .claim("scope", String.join(" ", scopes))
                .claim("team_scope", teamScope)
                .signWith(signer.key(), Jwts.SIG.ES256)
                .compact();
        return new Issued(token, jti, settings.lifetime().toSeconds(), exp);
    }
}
