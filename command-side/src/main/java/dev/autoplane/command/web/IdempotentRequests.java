package dev.autoplane.command.web;

import dev.autoplane.command.config.CommandTransactionWrites;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.concurrent.StartedWork;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code Idempotency-Key} on the POSTs that create (automations, invocations), one flow for all:
 * <ol>
 * <li>the first request with a key reserves the id of what it creates; a repeat with another body
 * is {@code 422}, one whose answer is stored gets that answer ({@code Idempotent-Replayed: true});</li>
 * <li>the command carries the key and marks it committed in its own transaction
 * ({@link CommandTransactionWrites}); the attempt then runs to its answer, which is stored, even if
 * its client hung up, so that a retry finds it;</li>
 * <li>a retry of a committed command whose answer is not stored waits up to {@link #ANSWER_WAIT}
 * for it (the first attempt may still be answering); if the answer never comes (the server
 * stopped in between), it gets the original answer's shape rebuilt from what exists
 * ({@code recovered}: for an automation, without the secret, which exists only as a hash) — never
 * a second effect, never a 500;</li>
 * <li>a request whose command did not commit releases the key; a committed one never does.</li>
 * </ol>
 */
@Component
class IdempotentRequests {

    /** How long a retry waits for the answer of an attempt that committed moments ago. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(10);
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    /** One attempt under the resource id reserved for it; its command carries {@code metaData} too. */
    interface Attempt {
        Mono<ResponseEntity<Object>> run(String resourceId, MetaData metaData);
    }

    private final IdempotencyStore store;
    private final StartedWork work;
    private final JsonMapper json;
    /** The application's mapper writing map entries sorted by key: one JSON object, one byte sequence. */
    private final JsonMapper canonicalJson;
    private final Clock clock;

    IdempotentRequests(IdempotencyStore store, StartedWork work, JsonMapper json, Clock clock) {
        this.store = store;
        this.work = work;
        this.json = json;
        this.canonicalJson = json.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
        this.clock = clock;
    }

    /**
     * Answers the request made idempotent by {@code key} (or just runs it once without a key).
     * {@code resource} names what is created ({@code automation}, {@code run}) in a conflict's
     * {@code <resource>_id}; {@code recovered} rebuilds the answer from the resource id.
     */
    Mono<ResponseEntity<Object>> handle(String scope, String key, Map<String, Object> body, String resource,
                                        Attempt attempt, Function<String, Mono<ResponseEntity<Object>>> recovered) {
        if (key == null) {
            return attempt.run(Ids.newId(), MetaData.emptyInstance());
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            return Mono.error(ApiProblem.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
        }
        String hash = requestHash(body);
        return work.call(() -> store.reserve(scope, key, hash, Ids.newId())).flatMap(entry -> {
            if (!entry.requestHash().equals(hash)) {
                return Mono.error(new ApiProblem(422, "idempotency_key_reused", "Unprocessable content",
                        "this Idempotency-Key was used with a different body", null, null));
            }
            if (entry.answered()) {
                return Mono.just(replay(entry));
            }
            if (entry.committed()) {
                return answerOf(scope, key, entry.resourceId(), resource, recovered);
            }
            return attempt(scope, key, hash, entry.resourceId(), resource, attempt, recovered);
        });
    }

    private Mono<ResponseEntity<Object>> attempt(String scope, String key, String hash, String id, String resource,
                                                 Attempt attempt, Function<String, Mono<ResponseEntity<Object>>> recovered) {
        // deferred: an attempt that fails while it is being built (a bad field) releases the key too
        Mono<ResponseEntity<Object>> answered = Mono.defer(() -> attempt.run(id, CommandTransactionWrites.idempotency(scope, key, hash, id)))
                .flatMap(response -> work.call(() -> {
                    store.complete(scope, key, id, response.getStatusCode().value(), json.writeValueAsString(response.getBody()));
                    return response;
                }))
                .onErrorResume(e -> work.call(() -> store.find(scope, key)).flatMap(now -> {
                    if (now.map(IdempotencyStore.Entry::committed).orElse(false)) {
                        // another attempt with this key committed the same resource first
                        return answerOf(scope, key, id, resource, recovered);
                    }
                    if (e instanceof AggregateStreamCreationException) {
                        // the resource exists but the key has no commit mark: reserved before marks existed
                        return work.run(() -> store.markCommittedAtReservation(scope, key))
                                .then(answerOf(scope, key, id, resource, recovered));
                    }
                    return work.run(() -> store.release(scope, key)).then(Mono.error(e));
                }));
        // started, it runs to its end even if this client hangs up: the retry finds its answer
        return Mono.fromFuture(answered.toFuture(), true);
    }

    /**
     * The answer to a key whose command committed or is committing: the stored answer once there is
     * one; after {@link #ANSWER_WAIT} without one, the answer rebuilt from the resource (and stored,
     * so every later retry gets the same); {@code 409 idempotency_in_progress} if nothing committed.
     */
    private Mono<ResponseEntity<Object>> answerOf(String scope, String key, String id, String resource,
                                                  Function<String, Mono<ResponseEntity<Object>>> recovered) {
        long looks = ANSWER_WAIT.toMillis() / LOOK_EVERY.toMillis();
        return Flux.interval(Duration.ZERO, LOOK_EVERY).onBackpressureDrop()
                .concatMap(i -> work.call(() -> store.find(scope, key)))
                .takeUntil(now -> now.map(e -> e.answered() || e.committed() && stale(e)).orElse(true))
                .take(looks)
                .last(Optional.empty())
                .flatMap(now -> {
                    if (now.map(IdempotencyStore.Entry::answered).orElse(false)) {
                        return Mono.just(replay(now.get()));
                    }
                    if (now.map(IdempotencyStore.Entry::committed).orElse(false)) {
                        return recovered.apply(id).flatMap(answer -> work.call(() -> {
                            store.complete(scope, key, id, answer.getStatusCode().value(), json.writeValueAsString(answer.getBody()));
                            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                                    .header("Idempotent-Replayed", "true").body(answer.getBody());
                        }));
                    }
                    return Mono.error(new ApiProblem(409, "idempotency_in_progress", "Conflict",
                            "a request with this Idempotency-Key is still in progress for " + resource + " " + id
                                    + "; retry shortly", null, Map.of(resource + "_id", id)));
                });
    }

    /** Committed long enough ago that its own request would have stored the answer by now. */
    private boolean stale(IdempotencyStore.Entry entry) {
        return entry.committedAt() == null || entry.committedAt().isBefore(clock.instant().minus(ANSWER_WAIT));
    }

    private ResponseEntity<Object> replay(IdempotencyStore.Entry entry) {
        Object body = json.readValue(entry.body(), Object.class);
        return ResponseEntity.status(entry.status()).header("Idempotent-Replayed", "true").body(body);
    }

    /** SHA-256 of the body with its keys sorted at every level: the same JSON object, whatever its key order. */
    private String requestHash(Map<String, Object> body) {
        try {
            byte[] canonical = canonicalJson.writeValueAsBytes(body);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
