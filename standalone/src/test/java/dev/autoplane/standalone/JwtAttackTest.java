package dev.autoplane.standalone;

import dev.autoplane.command.token.SigningKeys;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, altered and malformed access tokens are refused with {@code 401} problem+json. Most are
 * signed with the server's real key (taken from the running application), so only the property
 * under test is wrong.
 */
class JwtAttackTest extends ApiTest {

    @Autowired
    SigningKeys signingKeys;

    private String automationId;
    private String path;

    @BeforeEach
    void machine() {
        Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", List.of("automation.read")));
        automationId = m.get("id");
        path = "/workspaces/" + WS + "/automations/" + automationId;
        String good = accessToken(automationId, m.get("secret"));
        get(good, path).exchange().expectStatus().isOk();
        // our own forgery with every claim right is accepted: the attacks below differ in one property only
        get(forge(b -> { }), path).exchange().expectStatus().isOk();
    }

    @Test
    void refusesUnsignedTokens() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + signingKeys.current().kid() + "\"}");
        refused(header + "." + b64(payload()) + ".");
        refused(header + "." + b64(payload()) + ".e30");
    }

    @Test
    void refusesHs256SignedWithThePublicKey() throws Exception {
        String kid = signingKeys.current().kid();
        String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}") + "." + b64(payload());
        byte[] publicKey = http.get().uri("/.well-known/jwks.json").exchange().expectBody(String.class).returnResult()
                .getResponseBody().getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        refused(signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII))));
        // and keyed with the public key's DER and PEM encodings (the classic algorithm-confusion attack)
        java.security.interfaces.ECPublicKey ec = (java.security.interfaces.ECPublicKey) io.jsonwebtoken.security.Jwks.setParser()
                .build().parse(new String(publicKey, StandardCharsets.UTF_8)).getKeys().stream()
                .filter(k -> kid.equals(k.getId())).findFirst().orElseThrow().toKey();
        byte[] der = ec.getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(der, pem.getBytes(StandardCharsets.US_ASCII))) {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            refused(signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(m.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII))));
        }
    }

    @Test
    void refusesUnknownAndMalformedKeyIds() {
        refused(forge(b -> b.header().keyId(dev.autoplane.platform.Ids.newId())));
        refused(forge(b -> b.header().keyId("../../../etc/passwd")));
        refused(forge(b -> b.header().keyId("x".repeat(500))));
        refused(forge(b -> b.header().keyId(null)));
        // another key, claiming the real kid
        var other = Jwts.SIG.ES256.keyPair().build();
        refused(builder().signWith(other.getPrivate(), Jwts.SIG.ES256).compact());
    }

    @Test
    void refusesMissingOrUnacceptableTimes() {
        refused(forge(b -> b.expiration(null)));
        Instant now = TestClock.INSTANCE.instant();
        refused(forge(b -> b.expiration(Date.from(now.minusSeconds(1)))));
        refused(forge(b -> b.notBefore(Date.from(now.plusSeconds(60)))));
        refused(forge(b -> b.issuedAt(null)));
    }

    @Test
    void refusesWrongIssuerAudienceTypeOrSubject() {
        refused(forge(b -> b.issuer("https://evil.example")));
        refused(forge(b -> b.issuer(null)));
        refused(forge(b -> b.audience().single("someone-else")));
        refused(forge(b -> b.header().type("JWT")));
        refused(forge(b -> b.header().type(null)));
        refused(forge(b -> b.subject(dev.autoplane.platform.Ids.newId())));
        refused(forge(b -> b.claim("workspace_id", dev.autoplane.platform.Ids.newId())));
        refused(forge(b -> b.claim("workspace_id", null)));
    }

    @Test
    void refusesTamperedTruncatedAndOversizedTokens() {
        String good = forge(b -> { });
        String[] parts = good.split("\\.");
        String otherPayload = b64(payload().replace("automation.read", "workspace.admin"));
        refused(parts[0] + "." + otherPayload + "." + parts[2]);
        char last = parts[2].charAt(10);
        refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11));
        refused(good.substring(0, good.length() - 5));
        refused(parts[0] + "." + parts[1]);
        refused(parts[0] + "." + parts[1] + ".");
        refused("." + parts[1] + "." + parts[2]);
        refused("not-base64!." + parts[1] + "." + parts[2]);
        refused(b64("[]") + "." + b64("[]") + "." + parts[2]);
        refused(good + "x".repeat(5000));
        refused("eyJ" + "A".repeat(6000));
        refused("garbage");
    }

    private void refused(String token) {
        Map<String, Object> problem = assertProblem(get(token, path).exchange(), 401);
        assertThat(problem.get("detail").toString()).doesNotContain(token.length() > 20 ? token.substring(0, 20) : "\u0000");
    }

    private JwtBuilder builder() {
        Instant now = TestClock.INSTANCE.instant();
        return Jwts.builder().header().keyId(signingKeys.current().kid()).type("at+jwt").and()
                .issuer("autoplane").audience().add("autoplane-api").and().subject(automationId)
                .issuedAt(Date.from(now)).expiration(Date.from(now.plusSeconds(300))).id(dev.autoplane.platform.Ids.newId())
                .claim("workspace_id", WS).claim("scope", "automation.read").claim("team_scope", List.of());
    }

    private String forge(Consumer<JwtBuilder> change) {
        JwtBuilder b = builder();
        change.accept(b);
        return b.signWith(signingKeys.current().key(), Jwts.SIG.ES256).compact();
    }

    private String payload() {
        long now = TestClock.INSTANCE.instant().getEpochSecond();
        return "{\"iss\":\"autoplane\",\"aud\":\"autoplane-api\",\"sub\":\"" + automationId + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 300) + ",\"jti\":\"x\",\"workspace_id\":\"" + WS + "\",\"scope\":\"automation.read\"}";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
