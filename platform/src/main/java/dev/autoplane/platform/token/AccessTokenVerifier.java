package dev.autoplane.platform.token;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.Locator;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SecurityException;
import org.springframework.stereotype.Component;

import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the access tokens this server issues: the algorithm is pinned to ES256, the header must
 * say {@code typ: at+jwt} and name a published key, {@code exp}, {@code iat}, {@code iss},
 * {@code aud}, {@code sub}, {@code jti} and {@code workspace_id} are required, {@code nbf} is
 * honoured, with no clock skew allowance. Each distinct token is verified once and then answered
 * from a cache until it expires ({@code autoplane.jwt.verification-cache}).
 */
@Component
public class AccessTokenVerifier {

    public static final String ALGORITHM = "ES256";
    public static final String TYPE = "at+jwt";
    /** Longer tokens are refused before parsing. */
    public static final int MAX_LENGTH = 4096;
    static final int MAX_CACHED = 20_000;

    /** What a verified access token says. */
    public record AccessToken(String tokenId, String automationId, String workspaceId, Set<String> scopes,
                              List<String> teamScope, Instant expiresAt) {
    }

    /** The token is not acceptable; the message is safe to show (it never contains the token). */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private final SigningKeyRing keys;
    private final JwtSettings settings;
    private final Clock clock;
    private final JwtParser parser;
    private final Map<String, AccessToken> cache = new ConcurrentHashMap<>();

    public AccessTokenVerifier(SigningKeyRing keys, JwtSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        Locator<Key> locator = this::locate;
        this.parser = Jwts.parser()
                .keyLocator(locator)
                .requireIssuer(settings.issuer())
                .requireAudience(settings.audience())
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(0)
                .build();
    }

    public AccessToken verify(String token) {
        if (token.length() > MAX_LENGTH) {
            throw new InvalidTokenException("the access token is too long");
        }
        Instant now = clock.instant();
        if (settings.verificationCache()) {
            AccessToken cached = cache.get(token);
            if (cached != null) {
                if (now.isBefore(cached.expiresAt())) {
                    return cached;
                }
                cache.remove(token);
                throw new InvalidTokenException("the access token expired");
            }
        }
        AccessToken verified = parse(token);
        if (!now.isBefore(verified.expiresAt())) {
            throw new InvalidTokenException("the access token expired");
        }
        if (settings.verificationCache()) {
            if (cache.size() >= MAX_CACHED) {
                cache.values().removeIf(t -> !now.isBefore(t.expiresAt()));
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
            }
            cache.put(token, verified);
        }
        return verified;
    }

    private AccessToken parse(String token) {
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("the access token expired");
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException("the access token is not valid yet");
        } catch (InvalidTokenException e) {
            throw e;
        } catch (SecurityException e) {
            throw new InvalidTokenException("the access token's signature does not verify");
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException("the access token is invalid");
        }
        Date exp = claims.getExpiration();
        Date iat = claims.getIssuedAt();
        String sub = claims.getSubject();
        String jti = claims.getId();
        Object workspace = claims.get("workspace_id");
        if (exp == null || iat == null || sub == null || jti == null || !(workspace instanceof String ws)) {
            throw new InvalidTokenException("the access token lacks a required claim (exp, iat, sub, jti, workspace_id)");
        }
        Object scope = claims.get("scope");
        Set<String> scopes = new LinkedHashSet<>();
        if (scope instanceof String s && !s.isBlank()) {
            scopes.addAll(Arrays.asList(s.trim().split(" +")));
        } else if (scope != null && !(scope instanceof String)) {
            throw new InvalidTokenException("the access token's scope is not a string");
        }
        List<String> teams = new ArrayList<>();
        if (claims.get("team_scope") instanceof List<?> list) {
            list.forEach(t -> teams.add(String.valueOf(t)));
        }
        return new AccessToken(jti, sub, ws, Set.copyOf(scopes), List.copyOf(teams), exp.toInstant());
    }

    private Key locate(Header header) {
        if (!(header instanceof JwsHeader jws)) {
            throw new InvalidTokenException("the access token is not signed");
        }
        if (!ALGORITHM.equals(jws.getAlgorithm())) {
            throw new InvalidTokenException("the access token must be signed with " + ALGORITHM);
        }
        if (!TYPE.equals(jws.getType())) {
            throw new InvalidTokenException("the access token's typ must be " + TYPE);
        }
        String kid = jws.getKeyId();
        if (kid == null || kid.length() > 64) {
            throw new InvalidTokenException("the access token names no known key");
        }
        return keys.key(kid).filter(k -> ALGORITHM.equals(k.algorithm())).map(SigningKeyRing.PublishedKey::key)
                .orElseThrow(() -> new InvalidTokenException("the access token names no known key"));
    }
}
