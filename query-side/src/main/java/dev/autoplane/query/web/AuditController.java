package dev.autoplane.query.web;

import dev.autoplane.events.agent.AgentEvents;
import dev.autoplane.events.automation.AutomationEvents;
import dev.autoplane.events.automation.ScheduleEvents;
import dev.autoplane.events.common.EncryptedValue;
import dev.autoplane.events.identity.IdentityEvents;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.run.RunEvents;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.query.audit.AuditLog;
import dev.autoplane.query.audit.AuditStream;
import dev.autoplane.query.stream.LiveFeed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The workspace's audit log (docs/audit.md): every event with its metadata, filtered and keyset paginated,
 * exported as NDJSON, tailed over Server-Sent Events, and checked against its hash chain. Needs audit.read.
 */
@RestController
@RequestMapping("/api/v1/workspaces/{ws}/audit")
@ConditionalOnExpression("'${autoplane.storage:embedded}' != 'distributed'")
@Tag(name = "Audit", description = "The workspace's whole event history: list, export, live tail, tamper evidence")
class AuditController {

    static final String NDJSON = "application/x-ndjson";
    static final String RESET = "{\"reset\":true,\"detail\":\"this stream fell behind: read GET .../audit/events with "
            + "page_token, or reconnect with the last event id\"}";

    /** The aggregate types of the event log (the aggregates' class names). */
    static final Set<String> AGGREGATE_TYPES = new TreeSet<>(List.of("Agent", "Automation", "PersonalAccessToken",
            "Run", "Workspace"));

    /** The event types of the event log (the events' class names). */
    static final Set<String> EVENT_TYPES = Stream.of(AutomationEvents.class, ScheduleEvents.class, RunEvents.class,
                    IdentityEvents.class, AgentEvents.class)
            .flatMap(c -> Arrays.stream(c.getDeclaredClasses())).filter(Class::isRecord).map(Class::getSimpleName)
            .collect(Collectors.toCollection(TreeSet::new));

    private static final int EXPORT_PAGE = 500;

    private final AuditLog log;
    private final AuditStream stream;
    private final WorkspaceAccess access;
    private final JsonMapper json;
    private final Duration heartbeat;

    AuditController(AuditLog log, AuditStream stream, WorkspaceAccess access, JsonMapper json,
                    @Value("${autoplane.runs.stream.heartbeat:10s}") Duration heartbeat) {
        this.log = log;
        this.stream = stream;
        this.access = access;
        this.json = json;
        this.heartbeat = heartbeat;
    }

    @Operation(summary = "The workspace's events with their metadata, oldest first",
            description = "Every event of the workspace (automations, runs, schedules, identity, agents) read from the "
                    + "event store, in audit position order (the order the audit log recorded them; within one "
                    + "aggregate, its sequence order). Filters: aggregate_id, aggregate_type, event_type, actor (the "
                    + "actor id), since (inclusive) and until (exclusive) on the event's timestamp. Keyset paginated "
                    + "(page_size up to 1000, page_token). With Accept: application/x-ndjson, the whole filtered log "
                    + "as one JSON object per line, streamed with backpressure (page_size and page_token ignored). "
                    + "Secret hashes and ciphertexts are redacted; an encrypted field whose key a purge destroyed "
                    + "shows \"[shredded]\". Needs audit.read.")
    @GetMapping(path = "/events", produces = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    Mono<ResponseEntity<Object>> events(@PathVariable String ws,
                                        @Parameter(description = "only this aggregate's events")
                                        @RequestParam(name = "aggregate_id", required = false) String aggregateId,
                                        @Parameter(description = "Agent, Automation, PersonalAccessToken, Run or Workspace")
                                        @RequestParam(name = "aggregate_type", required = false) String aggregateType,
                                        @Parameter(description = "e.g. AutomationApprovedEvent")
                                        @RequestParam(name = "event_type", required = false) String eventType,
                                        @Parameter(description = "only events of this actor id")
                                        @RequestParam(name = "actor", required = false) String actor,
                                        @Parameter(description = "RFC 3339; events at or after it")
                                        @RequestParam(name = "since", required = false) String since,
                                        @Parameter(description = "RFC 3339; events before it")
                                        @RequestParam(name = "until", required = false) String until,
                                        @Parameter(description = "1 to 1000 (larger values are coerced); default 50")
                                        @RequestParam(name = "page_size", required = false) String pageSize,
                                        @Parameter(description = "the next_page_token of the previous page")
                                        @RequestParam(name = "page_token", required = false) String pageToken,
                                        ServerWebExchange exchange) {
        ListParams p = new ListParams();
        AuditLog.Filter filter = filter(p, aggregateId, aggregateType, eventType, actor, since, until);
        int size = p.pageSize(pageSize);
        long after = position(p, "page_token", p.pageToken("e", pageToken));
        p.check();
        if (wantsExport(exchange)) {
            return auditor(exchange, ws).map(grant -> ResponseEntity.ok().contentType(MediaType.parseMediaType(NDJSON))
                    .body((Object) export(ws, filter)));
        }
        return auditor(exchange, ws).flatMap(grant -> Mono.fromCallable(() -> {
            List<AuditLog.Entry> page = log.page(ws, filter, after, size + 1);
            List<AuditLog.Entry> shown = page.subList(0, Math.min(size, page.size()));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("events", bodies(shown));
            if (page.size() > size) {
                answer.put("next_page_token", PageToken.encode("e", Long.toString(shown.get(shown.size() - 1).seq())));
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body((Object) answer);
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    /** Whether the client asked for the NDJSON export (Accept: application/x-ndjson). */
    private static boolean wantsExport(ServerWebExchange exchange) {
        MediaType ndjson = MediaType.parseMediaType(NDJSON);
        return exchange.getRequest().getHeaders().getAccept().stream().anyMatch(t -> t.equalsTypeAndSubtype(ndjson));
    }

    /**
     * The whole filtered log, pulled page by page as the client reads (Flux.generate is called once per
     * demand): one page of rows in memory at a time, whatever the log's size.
     */
    private Flux<Map<String, Object>> export(String ws, AuditLog.Filter filter) {
        return Flux.<List<Map<String, Object>>, Long>generate(() -> 0L, (cursor, sink) -> {
                    List<AuditLog.Entry> page = log.page(ws, filter, cursor, EXPORT_PAGE);
                    if (!page.isEmpty()) {
                        sink.next(bodies(page));
                    }
                    if (page.size() < EXPORT_PAGE) {
                        sink.complete();
                    }
                    return page.isEmpty() ? cursor : page.get(page.size() - 1).seq();
                })
                .subscribeOn(Schedulers.boundedElastic())
                .concatMapIterable(l -> l, 1);
    }

    @Operation(summary = "Follow the workspace's audit log live (Server-Sent Events)",
            description = "One event \"audit\" per event of the workspace as the audit log records it; data = the "
                    + "event as GET .../audit/events shows it, id = its audit position. Reconnect with Last-Event-ID "
                    + "to receive every later event once, in order. The same filters as the listing. A comment "
                    + "\": keep-alive\" at least every 15 s; a subscriber more than 1,024 events behind gets an event "
                    + "\"reset\" and the stream ends. Needs audit.read.")
    @GetMapping(path = "/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> tail(@PathVariable String ws,
                                      @RequestParam(name = "aggregate_id", required = false) String aggregateId,
                                      @RequestParam(name = "aggregate_type", required = false) String aggregateType,
                                      @RequestParam(name = "event_type", required = false) String eventType,
                                      @RequestParam(name = "actor", required = false) String actor,
                                      @RequestParam(name = "since", required = false) String since,
                                      @RequestParam(name = "until", required = false) String until,
                                      @Parameter(description = "resume after this event id")
                                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                      ServerWebExchange exchange) {
        ListParams p = new ListParams();
        AuditLog.Filter filter = filter(p, aggregateId, aggregateType, eventType, actor, since, until);
        Long after = lastEventId == null || lastEventId.isBlank() ? null : position(p, "Last-Event-ID", lastEventId.trim());
        p.check();
        return auditor(exchange, ws).flatMapMany(grant -> {
            // frames are made off the event loop (a purged key is looked up in the database)
            Flux<ServerSentEvent<String>> frames = stream.changes(ws, filter, after)
                    .publishOn(Schedulers.boundedElastic()).map(this::frame);
            return frames.publish(shared -> Flux.merge(shared, Flux.interval(Duration.ZERO, heartbeat)
                    .map(i -> ServerSentEvent.<String>builder().comment("keep-alive").build())
                    .takeUntilOther(shared.then())));
        });
    }

    @Operation(summary = "Verify the workspace's hash chain",
            description = "Recomputes each link of the workspace's chain from the events as the event store holds "
                    + "them now, for the events that occurred in [since, until) (all when absent), and answers how "
                    + "many verified and the first broken link (an event edited, removed or moved since it was "
                    + "recorded), or null. Covers the events the audit log has recorded (see GET .../audit/head). "
                    + "Needs audit.read.")
    @GetMapping(path = "/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> verify(@PathVariable String ws,
                                     @Parameter(description = "RFC 3339; events at or after it")
                                     @RequestParam(name = "since", required = false) String since,
                                     @Parameter(description = "RFC 3339; events before it")
                                     @RequestParam(name = "until", required = false) String until,
                                     ServerWebExchange exchange) {
        ListParams p = new ListParams();
        Instant from = p.instant("since", since);
        Instant to = p.instant("until", until);
        p.require(from == null || to == null || from.isBefore(to), "until", "must be after since");
        p.check();
        return auditor(exchange, ws).flatMap(grant -> Mono.fromCallable(() -> {
            AuditLog.Verification v = log.verify(ws, from, to);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("verified", v.verified());
            if (v.firstBroken() == null) {
                answer.put("first_broken", null);
            } else {
                Map<String, Object> broken = new LinkedHashMap<>();
                broken.put("position", v.firstBroken().seq());
                broken.put("event_id", v.firstBroken().eventId());
                broken.put("aggregate_id", v.firstBroken().aggregateId());
                answer.put("first_broken", broken);
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "The head of the workspace's hash chain",
            description = "The last link: its audit position, event id, hash and the event's time. Store it outside "
                    + "this system (a ticket, a signed mail, another database): with it, a rewrite of the whole "
                    + "chain up to that point becomes detectable. 404 before the workspace's first event. Needs "
                    + "audit.read.")
    @GetMapping(path = "/head", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> head(@PathVariable String ws, ServerWebExchange exchange) {
        return auditor(exchange, ws).flatMap(grant -> Mono.fromCallable(() -> {
            AuditLog.Entry e = log.head(ws).orElseThrow(() ->
                    dev.autoplane.platform.web.problem.ApiProblem.notFound("the audit log holds no event of workspace " + ws + " yet"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("position", e.seq());
            answer.put("event_id", e.eventId());
            answer.put("hash", e.hash());
            answer.put("at", instant(e.occurredMicros()));
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    // --- helpers

    /**
     * A caller with audit.read over the whole workspace: the log holds every team's events, so a caller limited
     * to teams is refused (403 outside_team_scope) rather than shown a partial log that looks whole.
     */
    private Mono<WorkspaceAccess.Grant> auditor(ServerWebExchange exchange, String ws) {
        return access.require(exchange, ws, Permission.AUDIT_READ).map(grant -> {
            if (grant.teamLimited()) {
                throw new dev.autoplane.platform.web.problem.ApiProblem(403, "outside_team_scope", "Forbidden",
                        "you are limited to the teams " + grant.teamIds() + "; the audit log covers every team of the "
                                + "workspace", null, null);
            }
            return grant;
        });
    }

    private ServerSentEvent<String> frame(LiveFeed.Item<AuditStream.Change> item) {
        if (item instanceof LiveFeed.Change<AuditStream.Change> c) {
            Map<String, Boolean> keys = new ConcurrentHashMap<>();
            return ServerSentEvent.<String>builder().event("audit").id(Long.toString(c.position()))
                    .data(json.writeValueAsString(body(c.value().entry(), c.value().message(), keys))).build();
        }
        return ServerSentEvent.<String>builder().event("reset").data(RESET).build();
    }

    private List<Map<String, Object>> bodies(List<AuditLog.Entry> entries) {
        Map<Long, DomainEventMessage<?>> events = log.events(entries);
        Map<String, Boolean> keys = new java.util.HashMap<>();
        return entries.stream().filter(e -> events.containsKey(e.globalIndex()))
                .map(e -> body(e, events.get(e.globalIndex()), keys)).toList();
    }

    /** One event as the audit endpoints show it: where it is in the log, its metadata, its redacted payload. */
    private Map<String, Object> body(AuditLog.Entry e, EventMessage<?> message, Map<String, Boolean> destroyedKeys) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("position", e.seq());
        m.put("global_index", e.globalIndex());
        m.put("event_id", e.eventId());
        m.put("aggregate_type", e.aggregateType());
        m.put("aggregate_id", e.aggregateId());
        m.put("sequence_number", message instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : null);
        m.put("event_type", e.eventType());
        m.put("timestamp", message.getTimestamp());
        m.put("metadata", new TreeMap<>(message.getMetaData()));
        m.put("payload", HistoryEvents.redact(message.getPayload(), (EncryptedValue v) ->
                destroyedKeys.computeIfAbsent(v.keyId(), log::keyDestroyed) ? "[shredded]" : "[redacted]"));
        return m;
    }

    private static AuditLog.Filter filter(ListParams p, String aggregateId, String aggregateType, String eventType,
                                          String actor, String since, String until) {
        String aggregate = p.text("aggregate_id", aggregateId, 255);
        String type = p.oneOf("aggregate_type", aggregateType, AGGREGATE_TYPES);
        String event = p.oneOf("event_type", eventType, EVENT_TYPES);
        String who = p.text("actor", actor, 255);
        Instant from = p.instant("since", since);
        Instant to = p.instant("until", until);
        p.require(from == null || to == null || from.isBefore(to), "until", "must be after since");
        return new AuditLog.Filter(aggregate, type, event, who, from, to);
    }

    private static long position(ListParams p, String field, String value) {
        if (value == null) {
            return 0;
        }
        try {
            long position = Long.parseLong(value);
            p.require(position >= 0, field, "must be an event id this log gave");
            return Math.max(0, position);
        } catch (NumberFormatException e) {
            p.require(false, field, "must be an event id this log gave");
            return 0;
        }
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
    }
}
