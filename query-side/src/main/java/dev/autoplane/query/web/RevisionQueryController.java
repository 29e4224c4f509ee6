package dev.autoplane.query.web;

import dev.autoplane.events.automation.AutomationDefinition;
import dev.autoplane.events.common.Revision;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.automations.AutomationStore;
import dev.autoplane.query.revisions.RevisionStore;
import dev.autoplane.query.revisions.RevisionView;
import dev.autoplane.query.visualization.VisualizationGenerator;
import dev.autoplane.query.visualization.VisualizationView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 002's reads over an automation's revisions: the diff of two revisions, the history of its default inputs,
 * and the connections its code references. All are derived from the revision read model (every revision event's
 * snapshot), visible as the automation is (404 / 403 otherwise).
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Automation queries", description = "Read automations, their revisions and history")
class RevisionQueryController {

    /**
     * A connection reference in an automation's {@code code}: {@code connection("<id>")} or
     * {@code connections["<id>"]} (single or double quotes, spaces allowed inside the brackets).
     */
    static final Pattern CODE_REFERENCE = Pattern.compile(
            "\\bconnections?\\s*(?:\\(\\s*|\\[\\s*)([\"'])([A-Za-z0-9_.:-]{1,200})\\1\\s*[)\\]]");

    private final AutomationStore automations;
    private final RevisionStore revisions;
    private final WorkspaceAccess access;
    private final VisualizationGenerator visualizations;

    RevisionQueryController(AutomationStore automations, RevisionStore revisions, WorkspaceAccess access,
                            VisualizationGenerator visualizations) {
        this.automations = automations;
        this.revisions = revisions;
        this.access = access;
        this.visualizations = visualizations;
    }

    @Operation(summary = "The diagram of the automation's latest published revision",
            description = "Each publish makes it PENDING; it is drawn when it is first read, so a read answers COMPLETED "
                    + "(mermaid: a Mermaid flowchart; svg: the same flow rendered by PlantUML) or FAILED (error_message), and "
                    + "PENDING only when a newer publish came while it was drawn. The flow: what starts "
                    + "it (schedule, triggers, the API), the revision it runs, its connections, where its runs go. 404 "
                    + "when nothing is published.")
    @GetMapping("/visualization")
    Mono<Map<String, Object>> visualization(@PathVariable String ws, @PathVariable String id, ServerWebExchange exchange) {
        return read(exchange, ws, id, current -> {
            // nothing published: answered before anything is drawn
            VisualizationView v = java.util.Optional.ofNullable(current.latestPublishedVersion())
                    .flatMap(latest -> visualizations.current(id, latest))
                    .orElseThrow(() -> ApiProblem.notFound("automation " + id + " has no published revision to visualize"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("name", "workspaces/" + ws + "/automations/" + id + "/visualization");
            answer.put("automation_version", v.automationVersion());
            answer.put("state", v.state());
            answer.put("error_message", v.errorMessage());
            answer.put("mermaid", v.mermaid());
            answer.put("svg", v.svg());
            answer.put("update_time", v.updatedAt());
            return answer;
        });
    }

    @Operation(summary = "What changed between two revisions (JSON Patch)",
            description = "Answers {from, to, patch}: an RFC 6902 JSON Patch that turns revision {a}'s definition into "
                    + "{b}'s, one operation per changed definition field (add, remove or replace of /<field> with the "
                    + "field's whole new value; fields absent on both sides are left out). a or b may be latest.")
    @GetMapping("/revisions/{a}/diff/{b}")
    Mono<Map<String, Object>> diff(@PathVariable String ws, @PathVariable String id, @PathVariable String a,
                                   @PathVariable String b, ServerWebExchange exchange) {
        checkRevision("a", a);
        checkRevision("b", b);
        return read(exchange, ws, id, ignored -> {
            RevisionView from = revision(id, a);
            RevisionView to = revision(id, b);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("from", from.revision());
            answer.put("to", to.revision());
            answer.put("patch", patch(definitionFields(from.definition()), definitionFields(to.definition())));
            return answer;
        });
    }

    @Operation(summary = "The history of the automation's default inputs, newest first",
            description = "One entry per revision whose default_inputs differ from the revision before it (of the same "
                    + "stage, with stage=DRAFT or PUBLISHED): {revision, stage, default_inputs, create_time, created_by}. "
                    + "page_size (default 50, at most 1000), page_token.")
    @GetMapping("/default-inputs-history")
    Mono<Map<String, Object>> defaultInputsHistory(@PathVariable String ws, @PathVariable String id,
                                                   @RequestParam(name = "stage", required = false) String stage,
                                                   @RequestParam(name = "page_size", required = false) Integer pageSize,
                                                   @RequestParam(name = "page_token", required = false) String pageToken,
                                                   ServerWebExchange exchange) {
        String wanted = stage(stage);
        int size = PageToken.size(pageSize);
        String after = PageToken.decode("i", pageToken);
        Revision afterRevision = after == null ? null : parse("page_token", after);
        return read(exchange, ws, id, ignored -> {
            List<RevisionView> oldestFirst = new ArrayList<>(revisions.list(id));
            Collections.reverse(oldestFirst);
            List<RevisionView> changes = new ArrayList<>();
            Map<String, Object> previous = null;
            boolean first = true;
            for (RevisionView r : oldestFirst) {
                if (wanted != null && !wanted.equals(r.stage())) {
                    continue;
                }
                Map<String, Object> inputs = r.definition().defaultInputs() == null ? Map.of() : r.definition().defaultInputs();
                if (first || !inputs.equals(previous)) {
                    changes.add(r);
                }
                previous = inputs;
                first = false;
            }
            Collections.reverse(changes);
            List<RevisionView> rest = changes.stream()
                    .filter(r -> afterRevision == null || Revision.parse(r.revision()).compareTo(afterRevision) < 0).toList();
            List<RevisionView> page = rest.subList(0, Math.min(size, rest.size()));
            List<Map<String, Object>> entries = new ArrayList<>();
            for (RevisionView r : page) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("revision", r.revision());
                e.put("stage", r.stage());
                e.put("default_inputs", r.definition().defaultInputs() == null ? Map.of() : r.definition().defaultInputs());
                e.put("create_time", r.createdAt());
                e.put("created_by", r.createdBy());
                entries.add(e);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("entries", entries);
            if (rest.size() > size) {
                answer.put("next_page_token", PageToken.encode("i", page.get(page.size() - 1).revision()));
            }
            return answer;
        });
    }

    @Operation(summary = "The connections the automation's code references",
            description = "stage: DRAFT (default: the newest revision) or PUBLISHED (the latest published one). Parses the "
                    + "code for connection(\"<connection id>\") and connections[\"<connection id>\"] (either quote). Answers "
                    + "{revision, stage, references: [{connection_id, line, used, version}], unreferenced_connections}: used "
                    + "says whether the revision uses that connection (and at which version); unreferenced_connections are "
                    + "the connections the revision uses that its code never names.")
    @GetMapping("/code-connections")
    Mono<Map<String, Object>> codeConnections(@PathVariable String ws, @PathVariable String id,
                                              @RequestParam(name = "stage", required = false) String stage,
                                              ServerWebExchange exchange) {
        String wanted = stage(stage);
        return read(exchange, ws, id, current -> {
            RevisionView r;
            if ("PUBLISHED".equals(wanted)) {
                if (current.latestPublishedVersion() == null) {
                    throw ApiProblem.notFound("automation " + id + " has no published revision");
                }
                r = revision(id, current.latestPublishedVersion());
            } else {
                r = revisions.list(id).stream().findFirst()
                        .orElseThrow(() -> ApiProblem.notFound("automation " + id + " has no revision"));
            }
            Map<String, Integer> used = new LinkedHashMap<>();
            if (r.definition().connections() != null) {
                r.definition().connections().forEach(c -> used.put(c.connectionId(), c.version()));
            }
            List<Map<String, Object>> references = new ArrayList<>();
            Set<String> named = new LinkedHashSet<>();
            String code = r.definition().code() == null ? "" : r.definition().code();
            String[] lines = code.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = CODE_REFERENCE.matcher(lines[i]);
                while (m.find()) {
                    String cid = m.group(2);
                    if (!named.add(cid)) {
                        continue;
                    }
                    Map<String, Object> ref = new LinkedHashMap<>();
                    ref.put("connection_id", cid);
                    ref.put("line", i + 1);
                    ref.put("used", used.containsKey(cid));
                    ref.put("version", used.get(cid));
                    references.add(ref);
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("revision", r.revision());
            answer.put("stage", r.stage());
            answer.put("references", references);
            answer.put("unreferenced_connections", used.keySet().stream().filter(c -> !named.contains(c)).toList());
            return answer;
        });
    }

    // --- the patch

    /** The definition as its revision body shows it, by wire name (absent: null or empty). */
    static Map<String, Object> definitionFields(AutomationDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>(AutomationQueryController.definitionBody(d));
        m.replaceAll((k, v) -> isEmpty(v) ? null : v);
        return m;
    }

    /** RFC 6902 operations turning {@code from} into {@code to}, one per changed field, in field order. */
    static List<Map<String, Object>> patch(Map<String, Object> from, Map<String, Object> to) {
        List<Map<String, Object>> ops = new ArrayList<>();
        for (String field : from.keySet()) {
            Object a = from.get(field);
            Object b = to.get(field);
            if (Objects.equals(a, b)) {
                continue;
            }
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("op", a == null ? "add" : b == null ? "remove" : "replace");
            op.put("path", "/" + field);
            if (b != null) {
                op.put("value", b);
            }
            ops.add(op);
        }
        return ops;
    }

    private static boolean isEmpty(Object v) {
        return v == null || (v instanceof Map<?, ?> m && m.isEmpty()) || (v instanceof List<?> l && l.isEmpty());
    }

    // --- helpers

    private <T> Mono<T> read(ServerWebExchange exchange, String ws, String id,
                             Function<dev.autoplane.events.automation.AutomationView, T> read) {
        return access.require(exchange, ws, Permission.AUTOMATION_READ)
                .flatMap(grant -> Mono.fromCallable(() -> read.apply(VisibleAutomations.require(automations, grant, ws, id)))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    private RevisionView revision(String id, String rev) {
        return (rev.equals("latest") ? revisions.list(id).stream().findFirst() : revisions.find(id, rev))
                .orElseThrow(() -> ApiProblem.notFound("revision " + rev + " of automation " + id + " not found"));
    }

    private static void checkRevision(String field, String rev) {
        if (!rev.equals("latest")) {
            parse(field, rev);
        }
    }

    private static Revision parse(String field, String value) {
        try {
            return Revision.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(field, e.getMessage());
        }
    }

    /** DRAFT or PUBLISHED (any case), or {@code null} for either. */
    private static String stage(String stage) {
        if (stage == null || stage.isEmpty()) {
            return null;
        }
        String upper = stage.toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals("DRAFT") && !upper.equals("PUBLISHED")) {
            throw ApiProblem.invalid("stage", "must be DRAFT or PUBLISHED");
        }
        return upper;
    }
}
