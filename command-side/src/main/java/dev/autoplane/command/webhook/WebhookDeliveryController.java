package dev.autoplane.command.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.WebhookCommands.FireWebhookTriggerCommand;
import dev.autoplane.events.automation.WebhookCommands.WebhookFireResult;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.problem.ProblemExceptionHandler;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /api/webhooks/workspaces/{workspace_id}/{endpoint}}: a signed delivery from an outside
 * system. Read as raw bytes (at most 1 MiB) and verified before anything is parsed or stored
 * ({@link WebhookSigning}); an unknown endpoint, a missing or wrong signature and a stale timestamp
 * are the same {@code 401}. A verified delivery is rate limited per endpoint, deduplicated by its id,
 * then fans out to every enabled webhook trigger on the endpoint whose event and filter match: each
 * fires its automation through the normal path. Answers {@code 202 {"result": {"matched", "runs",
 * "outcomes"}}} once every fire is committed.
 */
@RestController
@Tag(name = "Inbound webhooks", description = "Signed deliveries that fire the webhook triggers of an endpoint")
class WebhookDeliveryController {

    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_FAN_OUT = 100;
    static final String REJECTED = "the delivery's endpoint, signature or timestamp is not valid";

    private static final ObjectMapper BODY = new ObjectMapper();

    private final WebhookDirectory directory;
    private final WebhookRateLimiter limiter;
    private final WebhookDeliveries deliveries;
    private final CommandDispatcher commands;
    private final Clock clock;
    private final AtomicLong answered = new AtomicLong();

    WebhookDeliveryController(WebhookDirectory directory, WebhookRateLimiter limiter, WebhookDeliveries deliveries,
                              CommandDispatcher commands, Clock clock) {
        this.directory = directory;
        this.limiter = limiter;
        this.deliveries = deliveries;
        this.commands = commands;
        this.clock = clock;
    }

    @Operation(summary = "Deliver a signed webhook to a workspace endpoint", security = {},
            description = "Signed with the endpoint's secret in either header family: Standard Webhooks (webhook-id, "
                    + "webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>) or "
                    + "X-AGH-Webhook-Timestamp and X-AGH-Webhook-Signature: sha256=<hex HMAC-SHA256 of timestamp.body> "
                    + "(optional X-AGH-Webhook-Id). Timestamp within 5 minutes; body at most 1 MiB, a JSON object. "
                    + "Every enabled webhook trigger on the endpoint whose event (webhook-event / X-AGH-Webhook-Event "
                    + "header, else the body's event or type) and filter match fires its automation. A delivery id "
                    + "seen in the last 24 h answers the first answer (Idempotent-Replayed: true). 401 for an unknown "
                    + "endpoint, a bad signature or a stale timestamp alike; 429 with Retry-After over the endpoint's rate.",
            parameters = {
                    @Parameter(name = "webhook-id", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "webhook-timestamp", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "webhook-signature", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "X-AGH-Webhook-Id", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "X-AGH-Webhook-Timestamp", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "X-AGH-Webhook-Signature", in = ParameterIn.HEADER, schema = @Schema(type = "string"))},
            requestBody = @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE))),
            responses = {
                    @ApiResponse(responseCode = "202", description = "{result: {matched, runs, outcomes}}",
                            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryAnswer.class))),
                    @ApiResponse(responseCode = "401", description = "Unknown endpoint, missing or bad signature, or stale timestamp",
                            content = @Content(mediaType = "application/problem+json")),
                    @ApiResponse(responseCode = "429", description = "Over the endpoint's rate; see Retry-After",
                            content = @Content(mediaType = "application/problem+json"))})
    @PostMapping(path = "/api/webhooks/workspaces/{workspace_id}/{endpoint}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<String>> deliver(@PathVariable("workspace_id") String workspaceId, @PathVariable String endpoint,
                                         ServerWebExchange exchange) {
        return deliver(WebhookDirectory.key(workspaceId, endpoint), exchange);
    }

    @Operation(summary = "Deliver a signed webhook to a global endpoint", security = {},
            description = "As the workspace endpoints, for an endpoint of global webhook triggers (config.scope: global, "
                    + "added by operators): fans out to the matching triggers of every workspace on it.",
            parameters = {
                    @Parameter(name = "webhook-id", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "webhook-timestamp", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "webhook-signature", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "X-AGH-Webhook-Id", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "X-AGH-Webhook-Timestamp", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "X-AGH-Webhook-Signature", in = ParameterIn.HEADER, schema = @Schema(type = "string"))},
            requestBody = @RequestBody(content = @Content(mediaType = "application/json",
                    schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE))),
            responses = {
                    @ApiResponse(responseCode = "202", description = "{result: {matched, runs, outcomes}}",
                            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryAnswer.class))),
                    @ApiResponse(responseCode = "401", description = "Unknown endpoint, missing or bad signature, or stale timestamp",
                            content = @Content(mediaType = "application/problem+json")),
                    @ApiResponse(responseCode = "429", description = "Over the endpoint's rate; see Retry-After",
                            content = @Content(mediaType = "application/problem+json"))})
    @PostMapping(path = "/api/webhooks/global/{endpoint}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<String>> deliverGlobal(@PathVariable String endpoint, ServerWebExchange exchange) {
        return deliver(WebhookDirectory.key(WebhookDirectory.GLOBAL, endpoint), exchange);
    }

    private Mono<ResponseEntity<String>> deliver(String key, ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .onErrorMap(DataBufferLimitException.class, e -> new ApiProblem(413, "payload_too_large",
                        "Payload too large", "request bodies are limited to 1 MiB", null, null))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> directory.inMemory() ? verified(key, headers, body)
                        : Mono.fromCallable(() -> verified(key, headers, body)).subscribeOn(Schedulers.boundedElastic()).flatMap(m -> m))
                .flatMap(v -> handle(v, exchange));
    }

    /** The schema of a delivery's answer (for the API document). */
    @Schema(name = "WebhookDeliveryAnswer")
    record DeliveryAnswer(Result result) {
        record Result(int matched, List<Object> runs, List<Object> outcomes) {
        }
    }

    private record Verified(WebhookDirectory.Endpoint endpoint, WebhookSigning.Signed signed, byte[] body, Instant at) {
    }

    private Mono<Verified> verified(String key, HttpHeaders headers, byte[] body) {
        Instant now = clock.instant();
        WebhookSigning.Signed signed = WebhookSigning.Signed.of(headers);
        Optional<WebhookDirectory.Endpoint> endpoint = key.length() <= 200 ? directory.find(key) : Optional.empty();
        boolean ok = WebhookSigning.verify(signed, body, endpoint.map(e -> e.keysAt(now)).orElse(List.of()), now);
        if (!ok) {
            return Mono.error(ApiProblem.unauthorized(REJECTED));
        }
        return Mono.just(new Verified(endpoint.get(), signed, body, now));
    }

    private Mono<ResponseEntity<String>> handle(Verified v, ServerWebExchange exchange) {
        String key = v.endpoint().key();
        long wait = limiter.acquire(key, System.nanoTime());
        if (wait > 0) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            return Mono.error(new ApiProblem(429, "rate_limited", "Too many requests",
                    "this endpoint takes at most its configured deliveries per second; retry after " + wait + " s", null, null));
        }
        String deliveryId = deliveryId(v.signed());
        return Mono.fromCallable(() -> deliveries.answered(key, deliveryId, v.at()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(previous -> previous.isPresent()
                        ? Mono.just(ResponseEntity.status(HttpStatus.ACCEPTED).header("Idempotent-Replayed", "true")
                        .contentType(MediaType.APPLICATION_JSON).body(previous.get()))
                        : fanOut(v, deliveryId, exchange));
    }

    private Mono<ResponseEntity<String>> fanOut(Verified v, String deliveryId, ServerWebExchange exchange) {
        Map<String, Object> body;
        try {
            body = BODY.readValue(v.body(), new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            return Mono.error(ApiProblem.badRequest("the body must be a JSON object"));
        }
        if (body == null) {
            return Mono.error(ApiProblem.badRequest("the body must be a JSON object"));
        }
        String event = eventName(exchange.getRequest().getHeaders(), body);
        List<WebhookDirectory.Trigger> matches = v.endpoint().triggers().stream()
                .filter(t -> WebhookMatching.matches(t, event, body)).limit(MAX_FAN_OUT).toList();
        String slug = v.endpoint().slug();
        Instant deliveredAt = Instant.ofEpochSecond(Long.parseLong(v.signed().timestamp().trim()));
        Map<String, Object> inputs = Map.of("webhook", webhookInput(deliveryId, event, slug, body));
        return Flux.fromIterable(matches)
                .flatMapSequential(t -> fire(t, slug, deliveryId, deliveredAt, inputs, v.at(), exchange,
                        matches.size() == 1 ? WebhookEndpointWrites.delivery(v.endpoint().key(), deliveryId)
                                : org.axonframework.messaging.MetaData.emptyInstance()), 4)
                .collectList()
                .flatMap(results -> {
                    String answer = WebhookAnswers.json(results, deliveryId);
                    // a single fire that committed stored this answer in its own transaction (WebhookEndpointWrites)
                    boolean stored = results.size() == 1 && !"rejected".equals(results.get(0).outcome())
                            && !"not_matched".equals(results.get(0).outcome());
                    Mono<Void> record = stored ? Mono.empty() : Mono.<Void>fromRunnable(() -> deliveries.record(
                            v.endpoint().key(), deliveryId, answer, v.at())).subscribeOn(Schedulers.boundedElastic());
                    if (answered.incrementAndGet() % 10_000 == 0) {
                        Mono.fromRunnable(() -> deliveries.expire(v.at())).subscribeOn(Schedulers.boundedElastic()).subscribe();
                    }
                    return record.thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON)
                            .body(answer));
                });
    }

    private Mono<WebhookFireResult> fire(WebhookDirectory.Trigger t, String slug, String deliveryId, Instant deliveredAt,
                                         Map<String, Object> inputs, Instant at, ServerWebExchange exchange,
                                         org.axonframework.messaging.MetaData delivery) {
        String fireId = t.automationId() + "/" + t.triggerId() + "/webhook/" + deliveryId;
        FireWebhookTriggerCommand cmd = new FireWebhookTriggerCommand(t.automationId(), t.workspaceId(), t.triggerId(), slug,
                deliveryId, fireId, inputs, deliveredAt, at);
        return commands.<WebhookFireResult>send(cmd, CommandMetadata.of(exchange, t.workspaceId(), "webhook delivery " + deliveryId)
                        .mergedWith(delivery))
                .map(r -> r.orElseGet(() -> new WebhookFireResult(t.automationId(), t.triggerId(), "not_matched", null, null)))
                .onErrorResume(e -> {
                    ApiProblem p = ProblemExceptionHandler.toProblem(e);
                    if (p.status() >= 500) {
                        return Mono.error(e);
                    }
                    return Mono.just(new WebhookFireResult(t.automationId(), t.triggerId(),
                            p.status() == 404 ? "not_matched" : "rejected", p.getMessage(), null));
                });
    }

    /** The delivery id: the id header, else the signature (hashed when long, so it fits its column). */
    static String deliveryId(WebhookSigning.Signed signed) {
        String id = signed.deliveryId();
        if (id.length() <= 100 && id.chars().allMatch(c -> c > 32 && c < 127)) {
            return id;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String eventName(HttpHeaders headers, Map<String, Object> body) {
        String header = headers.getFirst("webhook-event");
        if (header == null) {
            header = headers.getFirst("X-AGH-Webhook-Event");
        }
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        if (body.get("event") instanceof String e) {
            return e;
        }
        return body.get("type") instanceof String t ? t : null;
    }

    private static Map<String, Object> webhookInput(String deliveryId, String event, String slug, Map<String, Object> body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivery_id", deliveryId);
        m.put("endpoint", slug);
        if (event != null) {
            m.put("event", event);
        }
        m.put("payload", body);
        return m;
    }

}
