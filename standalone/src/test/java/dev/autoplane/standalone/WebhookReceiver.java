package dev.autoplane.standalone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A push executor for the tests: a JDK HTTP server on 127.0.0.1 that records every delivery and answers as the
 * test says per path ({@link #answer}: a status and headers, a hang, or a reset). It checks signatures with a
 * Standard Webhooks library (Svix's), independently of the server's signer.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One delivery as received. */
    record Delivery(String path, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer: {@code status} with {@code headers}; {@code HANG} holds the request; {@code RESET} closes it. */
    record Answer(int status, Map<String, String> headers) {
        static final Answer HANG = new Answer(-1, Map.of());
        static final Answer RESET = new Answer(-2, Map.of());

        static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Integer, Answer>> answers = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How {@code path} answers its n-th delivery (1-based). */
    void answer(String path, Function<Integer, Answer> answer) {
        answers.put(path, answer);
    }

    List<Delivery> received(String path) {
        return received.stream().filter(d -> d.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        String path = exchange.getRequestURI().getPath();
        received.add(new Delivery(path, headers, body));
        int n = received(path).size();
        Answer answer = answers.getOrDefault(path, i -> Answer.status(204)).apply(n);
        if (answer == Answer.HANG) {
            try {
                closing.await(); // until the receiver closes: the sender's timeout ends it first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (answer == Answer.RESET) {
            exchange.close(); // the connection closes without an answer
            return;
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
    }

    /**
     * The secrets (of {@code candidates}) with which the Standard Webhooks library (Svix's {@code Webhook.verify}: the
     * signature over {@code id.timestamp.body}, a timestamp within five minutes) accepts the delivery.
     */
    static List<String> verifiedBy(Delivery d, List<String> candidates) {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        d.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        List<String> ok = new ArrayList<>();
        for (String secret : candidates) {
            try {
                new com.svix.Webhook(secret).verify(d.bodyText(), headers);
                ok.add(secret);
            } catch (com.svix.exceptions.WebhookVerificationException | com.svix.exceptions.EmptyWebhookSecretException e) {
                // not signed with this secret
            }
        }
        return ok;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
