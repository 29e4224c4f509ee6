package dev.autoplane.query.web;

import dev.autoplane.platform.web.auth.AuthenticatedPrincipal;
import dev.autoplane.platform.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Operations on the projections of this process: status (position, lag) and replay (rebuild a
 * read model from the event log). Only operators ({@code autoplane.operators}, default {@code admin}).
 */
@RestController
@RequestMapping(path = "/api/v1/admin/projections", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operations", description = "Projection status and replay")
class AdminProjectionController {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final Set<String> operators;

    AdminProjectionController(EventProcessingConfiguration processing, EventStore eventStore,
                              @Value("${autoplane.operators:admin}") Set<String> operators) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.operators = operators;
    }

    @Operation(summary = "Status of every projection in this process: position in the log and lag behind its head")
    @GetMapping
    Mono<Map<String, Object>> list(ServerWebExchange exchange) {
        requireOperator(exchange);
        return Mono.fromCallable(() -> {
            TrackingToken head = eventStore.createHeadToken();
            long headPosition = head == null ? -1 : head.position().orElse(-1);
            List<Map<String, Object>> out = new ArrayList<>();
            processing.eventProcessors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor streaming) {
                    out.add(status(name, streaming, headPosition));
                }
            });
            return Map.<String, Object>of("projections", out, "head_position", headPosition);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(summary = "Rebuild a projection's read model from the event log",
            description = "Stops the projection, clears its read model (its reset handler), rewinds its token to the "
                    + "start of the log and starts it again. Answers 202; follow progress with GET.")
    @PostMapping("/{name}/replay")
    Mono<ResponseEntity<Map<String, Object>>> replay(@PathVariable String name, ServerWebExchange exchange) {
        requireOperator(exchange);
        StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> ApiProblem.notFound("no projection named " + name));
        if (!processor.supportsReset()) {
            throw ApiProblem.conflict("not_replayable", "projection " + name + " cannot be replayed");
        }
        return Mono.fromCallable(() -> {
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            return ResponseEntity.accepted().body(Map.<String, Object>of("name", name, "replaying", true));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Map<String, Object> status(String name, StreamingEventProcessor processor, long head) {
        long position = -1;
        boolean error = false;
        boolean replaying = false;
        for (EventTrackerStatus s : processor.processingStatus().values()) {
            OptionalLong p = s.getCurrentPosition();
            position = Math.max(position, p.orElse(-1));
            error |= s.isErrorState();
            replaying |= s.isReplaying();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("running", processor.isRunning());
        m.put("error", error);
        m.put("replaying", replaying);
        m.put("segments", processor.processingStatus().size());
        m.put("position", position);
        m.put("lag", head < 0 ? 0 : Math.max(0, head - position));
        return m;
    }

    private void requireOperator(ServerWebExchange exchange) {
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        if (!principal.actor().isPerson() || !operators.contains(principal.actor().id())) {
            throw ApiProblem.forbidden("only operators (autoplane.operators) may manage projections");
        }
    }
}
