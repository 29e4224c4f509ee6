package dev.autoplane.standalone.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An Autoplane jar running as a real child process, as an operator would run it. */
final class ServerProcess implements AutoCloseable {

    final Path jar;
    final int port;
    final Map<String, String> env;
    final Path log;
    private Process process;

    ServerProcess(Path jar, Map<String, String> env, Path log) throws IOException {
        this.jar = jar;
        this.port = freePort();
        this.env = env;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Finds a module's jar: tests run in the standalone module directory, after packaging (failsafe). */
    /** The environment of a node in the postgres mode on this database, with one hash key for all its nodes. */
    static java.util.Map<String, String> postgresMode(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Map.of(
                "AUTOPLANE_STORAGE", "postgres",
                "AUTOPLANE_DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "AUTOPLANE_DB_USER", "postgres",
                "AUTOPLANE_DB_PASSWORD", "postgres",
                "AUTOPLANE_SECRETS_HASH_KEY", java.util.Base64.getEncoder().encodeToString(key));
    }

    /** {@code base} with one more variable. */
    static java.util.Map<String, String> with(java.util.Map<String, String> base, String name, String value) {
        java.util.Map<String, String> env = new java.util.HashMap<>(base);
        env.put(name, value);
        return env;
    }

    static Path jar(String relative) {
        Path p = Path.of(relative).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: integration tests run after `package` (./mvnw verify)");
        }
        return p;
    }

    ServerProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        pb.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        process = pb.start();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void awaitHealthy(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not become healthy in " + timeout + "; see " + log + ":\n" + tail());
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final java.util.regex.Pattern ANY_ID = java.util.regex.Pattern.compile("\\{\"id\":\"([0-9a-f-]{36})\"");
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("\"version\":(\\d+)");
    private static final java.util.regex.Pattern NEXT = java.util.regex.Pattern.compile("\"next_page_token\":\"([^\"]+)\"");

    /** A GET of {@code path} with a bearer token, answered within 10 s. */
    HttpResponse<String> get(String token, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every automation the workspace lists (all pages of 1,000): id → version. */
    Map<String, Integer> automationVersions(String token, String workspaceId) throws Exception {
        Map<String, Integer> out = new java.util.HashMap<>();
        String page = null;
        do {
            HttpResponse<String> r = get(token, "/api/v1/workspaces/" + workspaceId + "/automations?page_size=1000"
                    + (page == null ? "" : "&page_token=" + page));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("listing answered " + r.statusCode() + ": " + r.body());
            }
            for (String item : r.body().split("\\},\\{\"id\"")) {
                java.util.regex.Matcher id = ANY_ID.matcher(item.startsWith(":") ? "{\"id\"" + item : item);
                java.util.regex.Matcher version = VERSION.matcher(item);
                if (id.find() && version.find()) {
                    out.put(id.group(1), Integer.parseInt(version.group(1)));
                }
            }
            java.util.regex.Matcher next = NEXT.matcher(r.body());
            page = next.find() ? next.group(1) : null;
        } while (page != null);
        return out;
    }

    /**
     * Lets the clients load the server for {@code after}, then SIGKILLs it mid-load and stops the clients
     * ({@code running} false; their pool must end within 30 s).
     */
    void kill9Under(java.util.concurrent.ExecutorService clients, java.util.concurrent.atomic.AtomicBoolean running,
                    Duration after) throws InterruptedException {
        Thread.sleep(after.toMillis());
        kill9();
        running.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the clients did not stop within 30 s of the kill");
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
