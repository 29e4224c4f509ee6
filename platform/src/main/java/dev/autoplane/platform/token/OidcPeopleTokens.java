package dev.autoplane.platform.token;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.Locator;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Optionally accepts people's JWTs from one external OpenID Connect issuer
 * ({@code autoplane.oidc.issuer-uri} and {@code autoplane.oidc.jwks-uri}: {@code https:},
 * {@code http:} or {@code file:}). The claim {@code autoplane.oidc.user-claim} (default
 * {@code sub}) names the member; {@code aud} must contain {@code autoplane.oidc.audience} when
 * that is set; {@code exp} is required; the algorithm must be one of
 * {@code autoplane.oidc.algorithms} (default RS256, ES256) and match the key. The key set is
 * fetched on first use and again (at most every 10 seconds) when a token names an unknown key.
 */
@Component
public class OidcPeopleTokens {

    private static final Logger log = LoggerFactory.getLogger(OidcPeopleTokens.class);
    static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}");

    private final String issuer;
    private final String jwksUri;
    private final String userClaim;
    private final Set<String> algorithms;
    private final JwtParser parser;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Map<String, Key> keys = Map.of();
    private volatile long fetchedAtNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    public OidcPeopleTokens(@Value("${autoplane.oidc.issuer-uri:}") String issuer,
                            @Value("${autoplane.oidc.jwks-uri:}") String jwksUri,
                            @Value("${autoplane.oidc.audience:}") String audience,
                            @Value("${autoplane.oidc.user-claim:sub}") String userClaim,
                            @Value("${autoplane.oidc.algorithms:RS256,ES256}") String algorithms,
                            Clock clock) {
        this.issuer = issuer.isBlank() ? null : issuer.trim();
        this.jwksUri = jwksUri.isBlank() ? null : jwksUri.trim();
        if (this.issuer != null && this.jwksUri == null) {
            throw new IllegalStateException("autoplane.oidc.issuer-uri needs autoplane.oidc.jwks-uri");
        }
        this.userClaim = userClaim;
        this.algorithms = Arrays.stream(algorithms.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        Locator<Key> locator = this::locate;
        JwtParserBuilder builder = Jwts.parser().keyLocator(locator).clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(0);
        if (this.issuer != null) {
            builder.requireIssuer(this.issuer);
        }
        if (!audience.isBlank()) {
            builder.requireAudience(audience.trim());
        }
        this.parser = builder.build();
    }

    public boolean enabled() {
        return issuer != null;
    }

    /** Whether a token claiming this issuer is for us to check. */
    public boolean handles(String claimedIssuer) {
        return issuer != null && issuer.equals(claimedIssuer);
    }

    /** The member id the token names; throws {@link AccessTokenVerifier.InvalidTokenException} otherwise. */
    public String verify(String token) {
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (ExpiredJwtException e) {
            throw new AccessTokenVerifier.InvalidTokenException("the token expired");
        } catch (PrematureJwtException e) {
            throw new AccessTokenVerifier.InvalidTokenException("the token is not valid yet");
        } catch (AccessTokenVerifier.InvalidTokenException e) {
            throw e;
        } catch (JwtException | IllegalArgumentException e) {
            throw new AccessTokenVerifier.InvalidTokenException("the token is invalid");
        }
        if (claims.getExpiration() == null) {
            throw new AccessTokenVerifier.InvalidTokenException("the token has no exp");
        }
        Object user = claims.get(userClaim);
        if (!(user instanceof String id) || !USER_ID.matcher(id).matches()) {
            throw new AccessTokenVerifier.InvalidTokenException("the token's " + userClaim + " claim names no member");
        }
        return id;
    }

    private Key locate(Header header) {
        if (!(header instanceof JwsHeader jws) || !algorithms.contains(jws.getAlgorithm())) {
            throw new AccessTokenVerifier.InvalidTokenException("the token's algorithm is not accepted");
        }
        String kid = jws.getKeyId();
        Key key = kid == null ? null : keys.get(kid);
        if (key == null && System.nanoTime() - fetchedAtNanos > MIN_REFETCH.toNanos()) {
            fetch();
            key = kid == null ? null : keys.get(kid);
        }
        if (key == null) {
            throw new AccessTokenVerifier.InvalidTokenException("the token names no known key of its issuer");
        }
        return key;
    }

    private synchronized void fetch() {
        if (System.nanoTime() - fetchedAtNanos <= MIN_REFETCH.toNanos()) {
            return;
        }
        fetchedAtNanos = System.nanoTime();
        try {
            JwkSet set = Jwks.setParser().ignoreUnsupported(true).build().parse(read(jwksUri));
            Map<String, Key> fresh = new HashMap<>();
            for (Jwk<?> jwk : set.getKeys()) {
                if (jwk instanceof PublicJwk<?> pub && jwk.getId() != null) {
                    fresh.put(jwk.getId(), pub.toKey());
                }
            }
            keys = Map.copyOf(fresh);
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot read the OIDC key set from {}: {}", jwksUri, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String read(String uri) throws IOException, InterruptedException {
        URI u = URI.create(uri);
        if ("file".equals(u.getScheme())) {
            return Files.readString(Path.of(u));
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }
}
