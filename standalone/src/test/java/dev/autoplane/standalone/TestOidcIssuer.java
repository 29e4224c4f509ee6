package dev.autoplane.standalone;

import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An OpenID Connect issuer for the tests: a key pair the test generated and a JDK HTTP server on
 * localhost that serves its JWK set. The application is configured to accept people's tokens from it.
 */
final class TestOidcIssuer {

    static final String ISSUER = "https://login.example.test/";
    static final String AUDIENCE = "autoplane-test";
    static final String KID = "test-oidc-key-1";
    static final KeyPair KEYS = Jwts.SIG.ES256.keyPair().build();
    private static final HttpServer SERVER = start();

    private TestOidcIssuer() {
    }

    static String jwksUri() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/jwks.json";
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String jwk = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                    Jwks.builder().key((ECPublicKey) KEYS.getPublic()).id(KID).build());
            byte[] body = ("{\"keys\":[" + jwk + "]}").getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(null);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A people token for {@code subject}, valid for 5 minutes; {@code customize} may change anything. */
    static String token(String subject, Consumer<JwtBuilder> customize) {
        Instant now = TestClock.INSTANCE.instant();
        JwtBuilder builder = Jwts.builder().header().keyId(KID).and()
                .issuer(ISSUER).audience().add(AUDIENCE).and().subject(subject)
                .issuedAt(Date.from(now)).expiration(Date.from(now.plusSeconds(300)))
                .claims(Map.of("email", subject + "@example.test"));
        customize.accept(builder);
        return builder.signWith(KEYS.getPrivate(), Jwts.SIG.ES256).compact();
    }
}
