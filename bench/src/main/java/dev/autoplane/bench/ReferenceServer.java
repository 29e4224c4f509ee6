package dev.autoplane.bench;

import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * P1's reference (issue 11): the least a durable, authenticated command over HTTP can cost on this
 * machine. A minimal WebFlux endpoint on Reactor Netty that, for every request under
 * {@code /api/v1/}, checks a fixed bearer token and performs one durable insert of the request's JSON
 * into an H2 file database (same file system, {@code WRITE_DELAY=0}, as the standalone's), then
 * answers a small JSON body the load generator understands (an id, a token). No event sourcing, no
 * projections, no validation: the ratio autoplane/reference says what all of that costs.
 *
 * <pre>java -cp ... dev.autoplane.bench.ReferenceServer &lt;port&gt; &lt;data dir&gt; &lt;bearer token&gt;</pre>
 */
public final class ReferenceServer {

    private final JdbcConnectionPool pool;
    private final byte[] token;

    ReferenceServer(Path dataDir, String token) throws SQLException {
        this.pool = JdbcConnectionPool.create("jdbc:h2:file:" + dataDir.resolve("reference").toAbsolutePath()
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        this.pool.setMaxConnections(24); // as the standalone's connection pool
        this.token = token.getBytes(StandardCharsets.UTF_8);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS request_log (id VARCHAR(36) PRIMARY KEY, method VARCHAR(8) NOT NULL,"
                    + " path VARCHAR(512) NOT NULL, body VARCHAR, created_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ReferenceServer reference = new ReferenceServer(Path.of(args[1]), args[2]);
        RouterFunction<ServerResponse> routes = RouterFunctions.route(path("/api/v1/**"), reference::handle);
        HttpHandler handler = RouterFunctions.toHttpHandler(routes);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        System.out.println("reference listening on " + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.disposeNow();
            reference.pool.dispose();
        }));
        server.onDispose().block();
    }

    Mono<ServerResponse> handle(ServerRequest request) {
        String authorization = request.headers().firstHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !MessageDigest.isEqual(token,
                authorization.substring(7).getBytes(StandardCharsets.UTF_8))) {
            return ServerResponse.status(HttpStatus.UNAUTHORIZED).build();
        }
        String method = request.method().name();
        return request.bodyToMono(String.class).defaultIfEmpty("")
                .publishOn(Schedulers.boundedElastic())
                .map(body -> insert(method, request.path(), body))
                .flatMap(id -> ServerResponse.status(method.equals("POST") && request.path().endsWith("/automations")
                                ? HttpStatus.CREATED : HttpStatus.OK)
                        .contentType(MediaType.APPLICATION_JSON)
                        // an id where the load generator looks for one, and a token for its setup
                        .bodyValue("{\"automation\":{\"id\":\"" + id + "\"},\"token\":\"" + new String(token, StandardCharsets.UTF_8) + "\"}"));
    }

    private String insert(String method, String path, String body) {
        String id = UUID.randomUUID().toString();
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO request_log (id, method, path, body, created_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, method);
            s.setString(3, path);
            s.setString(4, body);
            s.setTimestamp(5, Timestamp.from(Instant.now()));
            s.executeUpdate(); // auto-commit: durable before the answer, as an acknowledged command
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
