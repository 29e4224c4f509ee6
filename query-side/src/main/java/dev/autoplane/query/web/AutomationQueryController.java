package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.common.Revision;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.automation.AutomationDocument;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.filter.CelFilter;
import dev.autoplane.query.audit.AuditLog;
import dev.autoplane.query.history.EventHistoryReader;
import dev.autoplane.query.revisions.RevisionStore;
import dev.autoplane.query.revisions.RevisionView;
import dev.autoplane.query.runs.RunStore;
import dev.autoplane.query.runs.RunSummary;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.eventhandling.DomainEventMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Query endpoints of automations: listing, one automation (by stage or as of an instant), revisions, history. */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Automations")
class AutomationQueryController {

    /** Rows scanned at most per list request when a filter is selective; the next page continues from there. */
    static final int MAX_SCAN = 5_000;

    static final Map<String, CelType> AUTOMATION_FIELDS = Map.ofEntries(
            Map.entry("id", SimpleType.STRING), Map.entry("name", SimpleType.STRING),
            Map.entry("description", SimpleType.STRING), Map.entry("kind", SimpleType.STRING),
            Map.entry("status", SimpleType.STRING), Map.entry("team_id", SimpleType.STRING),
            Map.entry("enabled", SimpleType.BOOL), Map.entry("suspended", SimpleType.BOOL),
            Map.entry("oauth_token_present", SimpleType.BOOL), Map.entry("version", SimpleType.INT),
            Map.entry("revision", SimpleType.STRING), Map.entry("latest_published_version", SimpleType.STRING),
            Map.entry("state", SimpleType.STRING),
            Map.entry("activation_state", SimpleType.STRING), Map.entry("agent_name", SimpleType.STRING),
            Map.entry("provider_type", SimpleType.STRING), Map.entry("credential_label", SimpleType.STRING),
            Map.entry("workspace_lifecycle_policy", SimpleType.STRING), Map.entry("overlap_policy", SimpleType.STRING),
            Map.entry("created_by", SimpleType.STRING), Map.entry("created_at", SimpleType.STRING),
            Map.entry("updated_at", SimpleType.STRING), Map.entry("deleted", SimpleType.BOOL),
            Map.entry("scopes", ListType.create(SimpleType.STRING)),
            Map.entry("team_scope", ListType.create(SimpleType.STRING)),
            Map.entry("repository_ids", ListType.create(SimpleType.STRING)),
            Map.entry("config", MapType.create(SimpleType.STRING, SimpleType.DYN)));
    static final Map<String, CelType> REVISION_FIELDS = Map.of("revision", SimpleType.STRING,
            "stage", SimpleType.STRING, "name", SimpleType.STRING, "kind", SimpleType.STRING,
            "created_by", SimpleType.STRING, "created_at", SimpleType.STRING);

    private final AutomationStore automations;
    private final RevisionStore revisions;
    private final EventHistoryReader history;
    private final WorkspaceAccess access;
    private final RunStore runs;
    private final CelFilter automationFilter = new CelFilter(AUTOMATION_FIELDS);
    private final CelFilter revisionFilter = new CelFilter(REVISION_FIELDS);

    private final org.springframework.beans.factory.ObjectProvider<AuditLog> auditLog;

    AutomationQueryController(AutomationStore automations, RevisionStore revisions, EventHistoryReader history,
                              WorkspaceAccess access, RunStore runs,
                              org.springframework.beans.factory.ObjectProvider<AuditLog> auditLog) {
        this.auditLog = auditLog;
        this.runs = runs;
        this.automations = automations;
        this.revisions = revisions;
        this.history = history;
        this.access = access;
    }

    @Operation(summary = "List automations",
            description = "Keyset-paginated in creation order. filter is a CEL expression over the listed fields, "
                    + "e.g. status == \"active\" && kind == \"webhook\". show_deleted includes soft-deleted ones. "
                    + "as_of=<RFC 3339>: the workspace's automations as they were at that instant, each rebuilt from "
                    + "its events up to then (no runs' summary), keyset-paginated by id; purged ones included, "
                    + "as the log shows them.")
    @GetMapping
    Mono<Map<String, Object>> list(@PathVariable String ws,
                                   @RequestParam(name = "page_size", required = false) Integer pageSize,
                                   @RequestParam(name = "page_token", required = false) String pageToken,
                                   @RequestParam(name = "filter", required = false) String filter,
                                   @RequestParam(name = "show_deleted", defaultValue = "false") boolean showDeleted,
                                   @RequestParam(name = "as_of", required = false) String asOf,
                                   ServerWebExchange exchange) {
        int size = PageToken.size(pageSize);
        if (asOf != null) {
            return listAsOf(ws, size, pageToken, filter, showDeleted, parseInstant("as_of", asOf), exchange);
        }
        String after = PageToken.decode("a", pageToken);
        Predicate<Map<String, Object>> predicate = automationFilter.compile(filter);
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            List<AutomationView> out = new ArrayList<>();
            String cursor = after;
            int scanned = 0;
            boolean exhausted = false;
            while (out.size() < size && scanned < MAX_SCAN && !exhausted) {
                int batch = Math.min(Math.max(size + 1, 50), MAX_SCAN - scanned);
                List<AutomationView> page = automations.page(ws, cursor, showDeleted, batch);
                exhausted = page.size() < batch;
                for (AutomationView v : page) {
                    if (out.size() == size) {
                        exhausted = false; // there is at least this one more
                        break;
                    }
                    cursor = v.id();
                    scanned++;
                    if (grant.coversTeam(v.teamId()) && predicate.test(fields(v))) {
                        out.add(v);
                    }
                }
            }
            boolean more = !exhausted && cursor != null
                    && !automations.page(ws, cursor, showDeleted, 1).isEmpty();
            Map<String, RunSummary> summaries = runs.summaries(out.stream().map(AutomationView::id).toList());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("automations", out.stream().map(v -> AutomationRead.of(v, summaries.get(v.id()))).toList());
            if (more && cursor != null) {
                answer.put("next_page_token", PageToken.encode("a", cursor));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "Get an automation",
            description = "stage=draft|published picks the revision whose definition is shown; as_of=<RFC 3339> "
                    + "returns the state rebuilt from the event history up to that instant.")
    @GetMapping("/{id}")
    Mono<ResponseEntity<Object>> get(@PathVariable String ws, @PathVariable String id,
                                             @RequestParam(name = "stage", required = false) String stage,
                                             @RequestParam(name = "as_of", required = false) String asOf,
                                             ServerWebExchange exchange) {
        if (stage != null && !Set.of("draft", "published").contains(stage)) {
            throw ApiProblem.invalid("stage", "must be draft or published");
        }
        Instant instant = asOf == null ? null : parseInstant("as_of", asOf);
        if (instant != null && stage != null) {
            throw ApiProblem.invalid("as_of", "cannot be combined with stage");
        }
        return readVisible(exchange, ws, id, current -> {
            if (instant != null) {
                AutomationView then = asOf(current, instant);
                return ResponseEntity.ok().eTag("\"" + then.version() + "\"").body(then);
            }
            AutomationView view = "published".equals(stage) ? published(current) : current;
            RunSummary summary = runs.summaries(List.of(view.id())).get(view.id());
            return ResponseEntity.ok().eTag("\"" + view.version() + "\"").body(AutomationRead.of(view, summary));
        });
    }

    @Operation(summary = "List an automation's revisions, newest first",
            description = "filter over revision, stage (DRAFT | PUBLISHED), name, kind, created_by, created_at.")
    @GetMapping("/{id}/revisions")
    Mono<Map<String, Object>> listRevisions(@PathVariable String ws, @PathVariable String id,
                                            @RequestParam(name = "filter", required = false) String filter,
                                            @RequestParam(name = "page_size", required = false) Integer pageSize,
                                            @RequestParam(name = "page_token", required = false) String pageToken,
                                            ServerWebExchange exchange) {
        int size = PageToken.size(pageSize);
        String after = PageToken.decode("r", pageToken);
        Revision afterRevision = after == null ? null : parseRevision("page_token", after);
        Predicate<Map<String, Object>> predicate = revisionFilter.compile(filter);
        return readVisible(exchange, ws, id, current -> {
            List<RevisionView> all = revisions.list(id).stream()
                    .filter(r -> afterRevision == null || Revision.parse(r.revision()).compareTo(afterRevision) < 0)
                    .filter(r -> predicate.test(fields(r))).toList();
            Map<String, Object> answer = new LinkedHashMap<>();
            List<RevisionView> page = all.subList(0, Math.min(size, all.size()));
            answer.put("revisions", page.stream().map(AutomationQueryController::revisionBody).toList());
            if (all.size() > size) {
                answer.put("next_page_token", PageToken.encode("r", page.get(page.size() - 1).revision()));
            }
            return answer;
        });
    }

    @Operation(summary = "Get one revision snapshot; rev may be latest",
            description = "An immutable revision: draft revisions 0.1, 0.2…, published ones N.0; latest is the newest of either.")
    @GetMapping("/{id}/revisions/{rev}")
    Mono<Map<String, Object>> getRevision(@PathVariable String ws, @PathVariable String id, @PathVariable String rev,
                                          ServerWebExchange exchange) {
        if (!rev.equals("latest")) {
            parseRevision("rev", rev);
        }
        return readVisible(exchange, ws, id, current -> revisionBody(
                (rev.equals("latest") ? revisions.list(id).stream().findFirst() : revisions.find(id, rev))
                        .orElseThrow(() -> ApiProblem.notFound("revision " + rev + " of automation " + id + " not found"))));
    }

    @Operation(summary = "The automation's events with their metadata, oldest first",
            description = "Read from the event store itself. Secret hashes and ciphertexts are redacted.")
    @GetMapping("/{id}/history")
    Mono<Map<String, Object>> history(@PathVariable String ws, @PathVariable String id,
                                      @RequestParam(name = "page_size", required = false) Integer pageSize,
                                      @RequestParam(name = "page_token", required = false) String pageToken,
                                      ServerWebExchange exchange) {
        int size = PageToken.size(pageSize);
        String after = PageToken.decode("h", pageToken);
        long from = after == null ? 0 : parseLong(after) + 1;
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            visibleIncludingPurged(grant, ws, id);
            List<DomainEventMessage<?>> events = history.events(id).stream()
                    .filter(e -> e.getSequenceNumber() >= from).toList();
            List<DomainEventMessage<?>> page = events.subList(0, Math.min(size, events.size()));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("events", page.stream().map(HistoryEvents::toBody).toList());
            if (events.size() > size) {
                answer.put("next_page_token", PageToken.encode("h", String.valueOf(page.get(page.size() - 1).getSequenceNumber())));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    /**
     * The automations of the workspace at {@code instant}: those with an event at or before it (from the audit
     * log's index), each folded from its events up to the instant, in id order after the page token.
     */
    private Mono<Map<String, Object>> listAsOf(String ws, int size, String pageToken, String filter, boolean showDeleted,
                                               Instant instant, ServerWebExchange exchange) {
        AuditLog index = auditLog.getIfAvailable();
        if (index == null) {
            throw ApiProblem.invalid("as_of", "is not offered in this storage mode (docs/audit.md)");
        }
        String after = PageToken.decode("w", pageToken);
        if (after != null && !Ids.isWellFormed(after)) {
            throw ApiProblem.invalid("page_token", "is not a page token this listing issued");
        }
        Predicate<Map<String, Object>> predicate = automationFilter.compile(filter);
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            List<AutomationView> out = new ArrayList<>();
            String cursor = after;
            int scanned = 0;
            boolean more = false;
            while (out.size() <= size && scanned < MAX_SCAN) {
                List<String> ids = index.automationsAt(ws, instant, cursor, Math.max(size + 1, 50));
                for (String id : ids) {
                    AutomationView then = foldUntil(id, instant);
                    if (then == null || !grant.coversTeam(then.teamId())
                            || (then.deleteTime() != null && !showDeleted) || !predicate.test(fields(then))) {
                        cursor = id;
                        scanned++;
                        continue;
                    }
                    if (out.size() == size) {
                        more = true;
                        break;
                    }
                    out.add(then);
                    cursor = id;
                    scanned++;
                }
                if (more || ids.size() < Math.max(size + 1, 50)) {
                    break;
                }
            }
            if (!more && scanned >= MAX_SCAN) {
                more = true; // a selective filter: the next page continues from here
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("automations", out);
            if (more && cursor != null) {
                answer.put("next_page_token", PageToken.encode("w", cursor));
            }
            return answer;
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    /** The automation as its events up to {@code instant} make it, or {@code null} if it did not exist then. */
    private AutomationView foldUntil(String id, Instant instant) {
        AutomationDocument doc = null;
        for (DomainEventMessage<?> e : history.events(id)) {
            if (e.getTimestamp().isAfter(instant)) {
                break;
            }
            doc = AutomationDocument.apply(doc, e.getPayload(), e.getSequenceNumber(), e.getTimestamp());
        }
        return doc == null ? null : doc.toView();
    }

    // --- helpers

    /**
     * With {@code automation.read} and the automation visible to the caller (404 / 403 otherwise),
     * answers what {@code read} makes of it, off the event loop.
     */
    private <T> Mono<T> readVisible(ServerWebExchange exchange, String ws, String id,
                                    java.util.function.Function<AutomationView, T> read) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ)
                .flatMap(grant -> Mono.fromCallable(() -> read.apply(visible(grant, ws, id)))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    private AutomationView visible(Grant grant, String ws, String id) {
        return VisibleAutomations.require(automations, grant, ws, id);
    }

    /** History stays readable after a purge (audit): check the workspace on the events themselves. */
    private void visibleIncludingPurged(Grant grant, String ws, String id) {
        if (!Ids.isWellFormed(id)) {
            throw ApiProblem.notFound("automation not found");
        }
        Optional<AutomationView> live = automations.find(id).filter(v -> v.workspaceId().equals(ws));
        if (live.isPresent()) {
            if (!grant.coversTeam(live.get().teamId())) {
                throw VisibleAutomations.outsideTeams(grant);
            }
            return;
        }
        List<DomainEventMessage<?>> events = history.events(id);
        boolean ours = !events.isEmpty() && events.get(0).getPayload() instanceof
                dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent created
                && created.workspaceId().equals(ws) && grant.coversTeam(created.settings().teamId());
        if (!ours) {
            throw ApiProblem.notFound("automation " + id + " not found");
        }
    }

    private AutomationView asOf(AutomationView current, Instant instant) {
        AutomationDocument doc = null;
        for (DomainEventMessage<?> e : history.events(current.id())) {
            if (e.getTimestamp().isAfter(instant)) {
                break;
            }
            doc = AutomationDocument.apply(doc, e.getPayload(), e.getSequenceNumber(), e.getTimestamp());
        }
        if (doc == null) {
            throw ApiProblem.notFound("automation " + current.id() + " did not exist at " + instant);
        }
        return doc.toView();
    }

    private AutomationView published(AutomationView v) {
        if (v.latestPublishedVersion() == null) {
            throw ApiProblem.notFound("automation " + v.id() + " has no published revision");
        }
        RevisionView r = revisions.find(v.id(), v.latestPublishedVersion())
                .orElseThrow(() -> ApiProblem.notFound("revision " + v.latestPublishedVersion() + " not found"));
        AutomationDefinition d = r.definition();
        return new AutomationView(v.id(), v.workspaceId(), v.organizationId(), v.teamId(), d.name(), d.description(),
                d.kind(), d.config(), d.prompt(), d.code(), d.englishCode(), d.agentName(), d.repositoryIds(),
                d.repositorySetId(), d.workspaceLifecyclePolicy(), d.workspaceAutoStopMinutes(), d.defaultInputs(),
                v.triggers(), v.fireLimit(), v.retry(), v.misfire(), v.overlapPolicy(), v.status(), v.enabled(),
                v.activationState(), v.version(), r.revision(), v.latestPublishedVersion(), v.scopes(), v.teamScope(),
                v.providerType(), v.credentialLabel(), v.suspended(), v.oauthTokenPresent(), v.delivery(), v.createdBy(),
                v.createdByServiceAccountId(), v.reviewedBy(), v.reviewedAt(), v.rejectionReason(), v.lastRunAt(),
                v.lastError(), v.nextRunAt(), v.createdAt(), v.updatedAt(), v.deleteTime(), v.purgeTime(),
                d.connections() == null ? java.util.List.of() : d.connections(),
                d.markedOutputs() == null ? java.util.List.of() : d.markedOutputs(), v.updateUserId(), v.publishTime(),
                v.publishUserId(), v.restoreTime(), v.restoreVersion(), v.restoreUserId());
    }

    static Map<String, Object> fields(AutomationView v) {
        Map<String, Object> f = new HashMap<>();
        f.put("id", v.id());
        f.put("name", nz(v.name()));
        f.put("description", nz(v.description()));
        f.put("kind", nz(v.kind()));
        f.put("status", nz(v.status()));
        f.put("team_id", nz(v.teamId()));
        f.put("enabled", v.enabled());
        f.put("suspended", v.suspended());
        f.put("oauth_token_present", v.oauthTokenPresent());
        f.put("version", v.version());
        f.put("revision", nz(v.revision()));
        f.put("latest_published_version", nz(v.latestPublishedVersion()));
        // seed 002's state: PUBLISHED once a revision is published, DRAFT before
        f.put("state", nz(v.latestPublishedVersion()).isEmpty() ? "DRAFT" : "PUBLISHED");
        f.put("activation_state", nz(v.activationState()));
        f.put("agent_name", nz(v.agentName()));
        f.put("provider_type", nz(v.providerType()));
        f.put("credential_label", nz(v.credentialLabel()));
        f.put("workspace_lifecycle_policy", nz(v.workspaceLifecyclePolicy()));
        f.put("overlap_policy", nz(v.overlapPolicy()));
        f.put("created_by", v.createdBy() == null ? "" : v.createdBy().id());
        f.put("created_at", v.createdAt() == null ? "" : v.createdAt().toString());
        f.put("updated_at", v.updatedAt() == null ? "" : v.updatedAt().toString());
        f.put("deleted", v.deleteTime() != null);
        f.put("scopes", v.scopes());
        f.put("team_scope", v.teamScope());
        f.put("repository_ids", v.repositoryIds());
        f.put("config", v.config());
        return f;
    }

    static Map<String, Object> fields(RevisionView r) {
        return Map.of("revision", r.revision(), "stage", r.stage(), "name", nz(r.definition().name()),
                "kind", nz(r.definition().kind()), "created_by", r.createdBy() == null ? "" : r.createdBy().id(),
                "created_at", r.createdAt() == null ? "" : r.createdAt().toString());
    }

    static Map<String, Object> revisionBody(RevisionView r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("automation_id", r.automationId());
        m.put("revision", r.revision());
        m.put("stage", r.stage());
        m.putAll(definitionBody(r.definition()));
        m.put("created_by", r.createdBy());
        m.put("created_at", r.createdAt());
        return m;
    }

    /** A definition's fields by wire name, as a revision shows them (the revision diff compares these too). */
    static Map<String, Object> definitionBody(AutomationDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("description", d.description());
        m.put("kind", d.kind());
        m.put("config", d.config());
        m.put("prompt", d.prompt());
        m.put("code", d.code());
        m.put("english_code", d.englishCode());
        m.put("agent_name", d.agentName());
        m.put("repository_ids", d.repositoryIds());
        m.put("repository_set_id", d.repositorySetId());
        m.put("workspace_lifecycle_policy", d.workspaceLifecyclePolicy());
        m.put("workspace_auto_stop_minutes", d.workspaceAutoStopMinutes());
        m.put("default_inputs", d.defaultInputs());
        m.put("connections", d.connections() == null ? List.of() : d.connections());
        m.put("marked_outputs", d.markedOutputs() == null ? List.of() : d.markedOutputs());
        return m;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static Instant parseInstant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be an RFC 3339 timestamp like 2026-03-08T09:00:00Z");
        }
    }

    private static Revision parseRevision(String field, String value) {
        try {
            return Revision.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(field, e.getMessage());
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid("page_token", "is not a page token this listing issued");
        }
    }
}
