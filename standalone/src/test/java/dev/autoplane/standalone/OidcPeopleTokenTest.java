package dev.autoplane.standalone;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * People's JWTs from the configured OpenID Connect issuer (a key this test generated, its JWK set
 * served by a JDK HTTP server on localhost): {@code sub} names the member, whose rights are read
 * on every request like any person's; anything not from that issuer's keys is refused.
 */
class OidcPeopleTokenTest extends ApiTest {

    @Test
    void acceptsAnIssuersTokenForAMemberWithTheirRole() {
        String user = "oidc-" + System.nanoTime();
        member(user, "viewer");
        String token = issued(TestOidcIssuer.token(user, b -> { }));
        get(token, "/workspaces/" + WS + "/automations").exchange().expectStatus().isOk();
        assertProblem(post(token, "/workspaces/" + WS + "/automations", Map.of("name", uniqueName("x"), "kind", "scheduled")), 403);

        // removing the member ends their access at once, though the token is still valid
        http.delete().uri("/api/v1/workspaces/" + WS + "/members/" + user).header("Authorization", "Bearer " + adminToken)
                .exchange().expectStatus().isNoContent();
        assertProblem(get(token, "/workspaces/" + WS + "/automations").exchange(), 404);
    }

    @Test
    void refusesTokensThatAreNotTheIssuersOrNotForUs() {
        String user = "oidc-bad-" + System.nanoTime();
        member(user, "viewer");
        String path = "/workspaces/" + WS + "/automations";
        Instant now = TestClock.INSTANCE.instant();
        assertProblem(get(TestOidcIssuer.token(user, b -> b.expiration(Date.from(now.minusSeconds(1)))), path).exchange(), 401);
        assertProblem(get(TestOidcIssuer.token(user, b -> b.expiration(null)), path).exchange(), 401);
        assertProblem(get(TestOidcIssuer.token(user, b -> b.audience().single("another-app")), path).exchange(), 401);
        assertProblem(get(TestOidcIssuer.token(user, b -> b.header().keyId("unknown")), path).exchange(), 401);
        assertProblem(get(TestOidcIssuer.token("not a valid id!", b -> { }), path).exchange(), 401);
        var stranger = Jwts.SIG.ES256.keyPair().build();
        String forged = Jwts.builder().header().keyId(TestOidcIssuer.KID).and().issuer(TestOidcIssuer.ISSUER)
                .audience().add(TestOidcIssuer.AUDIENCE).and().subject(user).expiration(Date.from(now.plusSeconds(60)))
                .signWith(stranger.getPrivate(), Jwts.SIG.ES256).compact();
        assertProblem(get(forged, path).exchange(), 401);
        // a people token is not an automation's: X-Agent-Name is refused
        assertProblem(http.get().uri("/api/v1" + path).header("Authorization", "Bearer " + TestOidcIssuer.token(user, b -> { }))
                .header("X-Agent-Name", "someone").exchange(), 403);
    }
}
