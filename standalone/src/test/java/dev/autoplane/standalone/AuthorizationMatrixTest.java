package dev.autoplane.standalone;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorisation matrix, one row per endpoint (method, path template, the permission it needs, a
 * sample body, how to prepare what it acts on), each tried as: no token, a member of another
 * workspace only, a member limited to another team, a caller without the permission, a caller with
 * it: {@code 401 / 404 / 403 / 403 / 2xx}. {@link #everyApiEndpointHasARow} fails when the
 * application exposes an {@code /api/v1} operation (read from its OpenAPI document) with no row here:
 * add one for every endpoint you add.
 */
class AuthorizationMatrixTest extends ApiTest {

    /** Who needs what: a permission's wire name, or one of these. */
    static final String PUBLIC = "public";
    static final String PERSON = "person";
    static final String OPERATOR = "operator";

    /**
     * One endpoint. {@code team}: whether it acts on one automation (or agent), so that a member
     * limited to another team is refused; {@code workspace}: whether it lives in a workspace;
     * {@code missing}: the status for a caller without the permission ({@code null}: no such caller).
     */
    record Row(String method, String template, String permission, Function<Fixture, Object> body,
               Function<Fixture, Map<String, String>> setup,
               boolean team, boolean workspace, Integer missing) {
        String key() {
            return method + " " + template;
        }
    }

    static final String A = "/api/v1/workspaces/{ws}/automations";

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // automations: commands
        rows.add(ws("POST", A, "automation.write", Fixture::createBody, f -> Map.of(), false));
        rows.add(ws("PATCH", A + "/{id}", "automation.write", f -> Map.of("description", "changed"), f -> f.automation(null), true));
        rows.add(ws("DELETE", A + "/{id}", "automation.write", null, f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/undelete", "automation.write", null, f -> f.deleted(), true));
        rows.add(ws("POST", A + "/{id}/purge", "workspace.admin", null, f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/submit", "automation.write", null, f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/approve", "automation.approve", null, f -> f.automation("pending_approval"), true));
        rows.add(ws("POST", A + "/{id}/reject", "automation.approve", null, f -> f.automation("pending_approval"), true));
        rows.add(ws("POST", A + "/{id}/pause", "automation.write", null, f -> f.automation("active"), true));
        rows.add(ws("POST", A + "/{id}/resume", "automation.write", null, f -> f.automation("paused"), true));
        rows.add(ws("POST", A + "/{id}/publish", "automation.write", null, f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/secret/rotate", "automation.manage", f -> Map.of("grace_period_seconds", 10),
                f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/delivery/rotate-secret", "automation.write", f -> Map.of("grace_period_seconds", 10),
                f -> f.pushed(), true));
        // schedules, triggers, manual runs
        rows.add(ws("PUT", A + "/{id}/schedule", "automation.write", f -> Map.of("interval", "1h"), f -> f.automation(null), true));
        rows.add(ws("PATCH", A + "/{id}/schedule", "automation.write", f -> Map.of("jitter_seconds", 5), Fixture::scheduled, true));
        rows.add(ws("DELETE", A + "/{id}/schedule", "automation.write", null, Fixture::scheduled, true));
        rows.add(ws("POST", A + "/{id}/schedule/enable", "automation.write", null, Fixture::scheduled, true));
        rows.add(ws("POST", A + "/{id}/schedule/disable", "automation.write", null, Fixture::scheduled, true));
        rows.add(ws("POST", A + "/{id}/schedule/backfill", "run.write", f -> Map.of("start_time",
                        java.time.Instant.now().minusSeconds(7200).toString(), "end_time", java.time.Instant.now().minusSeconds(60).toString()),
                Fixture::scheduled, true));
        rows.add(ws("POST", A + "/{id}/triggers", "automation.write", f -> Map.of("type", "api"), f -> f.automation(null), true));
        rows.add(ws("PATCH", A + "/{id}/triggers/{tid}", "automation.write", f -> Map.of("enabled", false), Fixture::triggered, true));
        rows.add(ws("DELETE", A + "/{id}/triggers/{tid}", "automation.write", null, Fixture::triggered, true));
        rows.add(ws("POST", A + "/{id}/triggers/{tid}/rotate-secret", "automation.write", f -> Map.of("grace_period_seconds", 10),
                Fixture::webhookTriggered, true));
        rows.add(ws("POST", A + "/{id}/trigger", "run.write", f -> Map.of(), f -> f.automation("active"), true));
        rows.add(ws("POST", A + "/{id}/invoke", "run.write", f -> Map.of(), f -> f.automation("active"), true));
        // runs, occurrences, schedules and triggers: queries
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/runs", "run.read", null, f -> Map.of(), false));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/runs/{runId}", "run.read", null, Fixture::run, true));
        // live run status (Server-Sent Events): the caller with the permission is answered 200 and hangs up
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/runs/stream", "run.read", null, f -> Map.of(), false));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/runs/{runId}/stream", "run.read", null, Fixture::run, true));
        // runs: executors (the holder of run.write leases, then reports as the lease holder) and cancel
        String runs = "/api/v1/workspaces/{ws}/runs";
        rows.add(ws("POST", runs + "/lease", "run.write", f -> Map.of("max_runs", 1), f -> Map.of(), false));
        rows.add(ws("POST", runs + "/{runId}/heartbeat", "run.write", f -> Map.of(), Fixture::leased, true));
        rows.add(ws("POST", runs + "/{runId}/complete", "run.write", f -> Map.of("outputs", Map.of("ok", true)),
                Fixture::leased, true));
        rows.add(ws("POST", runs + "/{runId}/fail", "run.write", f -> Map.of("error", "boom"), Fixture::leased, true));
        rows.add(ws("POST", runs + "/{runId}/delegate", "run.write", f -> Map.of("external_ref", "ext-1"),
                Fixture::leased, true));
        rows.add(ws("POST", runs + "/{runId}/cancel", "run.write", f -> Map.of(), Fixture::run, true));
        rows.add(ws("GET", A + "/{id}/runs", "run.read", null, f -> f.automation(null), true));
        rows.add(ws("GET", A + "/{id}/triggers/{tid}/runs", "run.read", null, Fixture::triggered, true));
        rows.add(ws("GET", A + "/{id}/occurrences", "run.read", null, f -> f.automation(null), true));
        rows.add(ws("GET", A + "/{id}/schedule", "automation.read", null, Fixture::scheduled, true));
        rows.add(ws("GET", A + "/{id}/triggers", "automation.read", null, f -> f.automation(null), true));
        rows.add(ws("GET", A + "/{id}/triggers/{tid}", "automation.read", null, Fixture::triggered, true));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/triggers", "automation.read", null, f -> Map.of(), false));
        // automations: queries
        rows.add(ws("GET", A, "automation.read", null, f -> Map.of(), false));
        rows.add(ws("GET", A + "/{id}", "automation.read", null, f -> f.automation(null), true));
        rows.add(ws("GET", A + "/{id}/revisions", "automation.read", null, f -> f.automation(null), true));
        rows.add(ws("GET", A + "/{id}/revisions/{rev}", "automation.read", null, f -> with(f.automation(null), "rev", "latest"), true));
        rows.add(ws("GET", A + "/{id}/history", "automation.read", null, f -> f.automation(null), true));
        // the audit log: the whole workspace, so a member limited to teams is refused too
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/audit/events", "audit.read", null, f -> Map.of(), true));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/audit/events/stream", "audit.read", null, f -> Map.of(), true));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/audit/verify", "audit.read", null, f -> Map.of(), true));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/audit/head", "audit.read", null, f -> Map.of(), true));
        // seed 002: revision operations, connections
        rows.add(ws("POST", A + "/{id}/connections/add", "automation.write",
                f -> Map.of("connection_ids", List.of(f.connectionId)), f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/connections/remove", "automation.write",
                f -> Map.of("connection_ids", List.of(f.connectionId)), Fixture::usingConnection, true));
        rows.add(ws("POST", A + "/{id}/connections/upgrade", "automation.write",
                f -> Map.of("connection_ids", List.of(f.connectionId)), Fixture::usingConnection, true));
        rows.add(ws("POST", A + "/{id}/connections/switch", "automation.write", f -> Map.of("switches",
                List.of(Map.of("from_connection_id", f.connectionId, "to_connection_id", f.otherConnectionId))),
                Fixture::usingConnection, true));
        rows.add(ws("POST", A + "/{id}/restore", "automation.write", f -> Map.of("revision", "0.1"), f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/fork", "automation.write", null, f -> f.automation("active"), true));
        rows.add(ws("GET", A + "/{id}/revisions/{a}/diff/{b}", "automation.read", null,
                f -> with(with(f.automation(null), "a", "0.1"), "b", "latest"), true));
        rows.add(ws("GET", A + "/{id}/default-inputs-history", "automation.read", null, f -> f.automation(null), true));
        rows.add(ws("GET", A + "/{id}/visualization", "automation.read", null, f -> f.automation("active"), true));
        rows.add(ws("GET", A + "/{id}/code-connections", "automation.read", null, f -> f.automation(null), true));
        rows.add(ws("POST", A + "/{id}/activate", "automation.write", null, f -> f.automation("active"), true));
        rows.add(ws("POST", A + "/{id}/deactivate", "automation.write", null, f -> f.automation("active"), true));
        String c = "/api/v1/workspaces/{ws}/connections";
        rows.add(ws("POST", c, "automation.manage", f -> Map.of("name", uniqueName("matrix connection"), "provider", "slack"),
                f -> Map.of(), false));
        rows.add(ws("GET", c, "automation.read", null, f -> Map.of(), false));
        rows.add(ws("GET", c + "/{cid}", "automation.read", null, f -> Map.of("cid", f.connectionId), false));
        rows.add(ws("PATCH", c + "/{cid}", "automation.manage", f -> Map.of("name", uniqueName("renamed")), Fixture::connection, false));
        rows.add(ws("DELETE", c + "/{cid}", "automation.manage", null, Fixture::connection, false));
        rows.add(ws("POST", c + "/count-usage", "automation.read", f -> Map.of("connection_ids", List.of(f.connectionId)),
                f -> Map.of(), false));
        rows.add(ws("GET", c + "/{cid}/usage", "automation.read", null, f -> Map.of("cid", f.connectionId), false));
        // agents
        rows.add(ws("POST", "/api/v1/workspaces/{ws}/agents", "automation.manage", Fixture::agentBody, f -> Map.of(), true));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/agents", "automation.read", null, f -> Map.of(), false));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/agents/{agentId}", "automation.read", null, Fixture::agent, true));
        rows.add(ws("PATCH", "/api/v1/workspaces/{ws}/agents/{agentId}", "automation.manage", f -> Map.of("suspended", false),
                Fixture::agent, true));
        // members and teams
        rows.add(ws("PUT", "/api/v1/workspaces/{ws}/members/{userId}", "workspace.admin", f -> Map.of("role", "viewer"),
                f -> Map.of("userId", "matrix-" + System.nanoTime()), false));
        rows.add(ws("DELETE", "/api/v1/workspaces/{ws}/members/{userId}", "workspace.admin", null, Fixture::newMember, false));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/members", "automation.read", null, f -> Map.of(), false));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/members/{userId}", "automation.read", null,
                f -> Map.of("userId", f.viewerId), false));
        rows.add(ws("POST", "/api/v1/workspaces/{ws}/teams", "workspace.admin", f -> Map.of("name", uniqueName("matrix team")),
                f -> Map.of(), false));
        rows.add(ws("GET", "/api/v1/workspaces/{ws}/teams", "automation.read", null, f -> Map.of(), false));
        // workspaces and personal access tokens: any person, for themselves
        rows.add(new Row("POST", "/api/v1/workspaces", PERSON, f -> Map.of("name", uniqueName("matrix ws")), f -> Map.of(),
                false, false, 403));
        rows.add(new Row("GET", "/api/v1/workspaces", PERSON, null, f -> Map.of(), false, false, null));
        rows.add(new Row("POST", "/api/v1/tokens", PERSON, f -> Map.of("name", "matrix"), f -> Map.of(), false, false, 403));
        rows.add(new Row("GET", "/api/v1/tokens", PERSON, null, f -> Map.of(), false, false, null));
        rows.add(new Row("DELETE", "/api/v1/tokens/{id}", PERSON, null, Fixture::viewersSpareToken, false, false, 404));
        // the token exchange is public
        rows.add(new Row("POST", "/api/v1/oauth/token", PUBLIC, Fixture::exchangeBody, f -> Map.of(), false, false, null));
        // operators
        rows.add(new Row("GET", "/api/v1/admin/projections", OPERATOR, null, f -> Map.of(), false, false, 403));
        rows.add(new Row("POST", "/api/v1/admin/projections/{name}/replay", OPERATOR, null, f -> Map.of("name", "revisions"),
                false, false, 403));
        rows.add(new Row("POST", "/api/v1/admin/projections/replay", OPERATOR, null, f -> Map.of(), false, false, 403));
        rows.add(new Row("GET", "/api/v1/admin/signing-keys", OPERATOR, null, f -> Map.of(), false, false, 403));
        rows.add(new Row("POST", "/api/v1/admin/signing-keys/rotate", OPERATOR, null, f -> Map.of(), false, false, 403));
        return rows;
    }

    private static Row ws(String method, String template, String permission, Function<Fixture, Object> body,
                          Function<Fixture, Map<String, String>> setup, boolean team) {
        return new Row(method, template, permission, body, setup, team, true, 403);
    }

    private static Map<String, String> with(Map<String, String> vars, String key, String value) {
        Map<String, String> m = new HashMap<>(vars);
        m.put(key, value);
        return m;
    }

    @TestFactory
    Stream<DynamicNode> everyEndpointRefusesWhomItShouldAndServesWhomItShould() {
        Fixture f = new Fixture();
        return rows().stream().map(row -> DynamicContainer.dynamicContainer(row.key(), Stream.of(
                DynamicTest.dynamicTest("as everyone", () -> check(f, row)))));
    }

    @SuppressWarnings("unchecked")
    private void check(Fixture f, Row row) {
        Map<String, String> vars = new HashMap<>(row.setup().apply(f));
        vars.putIfAbsent("ws", WS);
        String path = expand(row.template(), vars);
        Object body = row.body() == null ? null : row.body().apply(f);
        if (row.permission().equals(PUBLIC)) {
            expect(row, "no token", call(row.method(), path, null, body), 200);
            return;
        }
        expectProblem(row, "no token", call(row.method(), path, null, body), 401);
        expectProblem(row, "garbage token", call(row.method(), path, "ap_pat_garbage", body), 401);
        if (row.workspace()) {
            expectProblem(row, "member of another workspace", call(row.method(), path, f.outsider, body), 404);
        }
        if (row.team()) {
            expectProblem(row, "member of another team", call(row.method(), path, f.otherTeam, body), 403);
        }
        if (row.missing() != null) {
            expectProblem(row, "without " + row.permission(), call(row.method(), path, f.lacking(row.permission()), body),
                    row.missing());
        }
        if (row.workspace()) {
            auditorReadsEverythingAndChangesNothing(f, row, path, body);
        }
        var ok = call(row.method(), path, f.holding(row.permission()), body);
        if (row.template().endsWith("/stream")) {
            var stream = ok.returnResult(RunStreamTest.SSE);
            assertThat(stream.getStatus().value()).as("%s with %s", row.key(), row.permission()).isEqualTo(200);
            stream.getResponseBody().take(1).blockLast(java.time.Duration.ofSeconds(30)); // the first frame, then hang up
            return;
        }
        var result = ok.expectBody(String.class).returnResult();
        int status = result.getStatus().value();
        assertThat(status).as("%s with %s: %s", row.key(), row.permission(), result.getResponseBody()).isBetween(200, 299);
        if (result.getResponseBody() != null && result.getResponseBody().contains("\"secret\":\"ap_sk_")) {
            issued(result.getResponseBody().replaceAll(".*\"secret\":\"(ap_sk_[A-Za-z0-9]+)\".*", "$1"));
        }
        if (result.getResponseBody() != null && result.getResponseBody().contains("\"token\":\"ap_pat_")) {
            issued(result.getResponseBody().replaceAll(".*\"token\":\"(ap_pat_[A-Za-z0-9]+)\".*", "$1"));
        }
        if (row.template().endsWith("/replay")) {
            f.awaitProjectionsCaughtUp();
        }
    }

    /** The auditor role: every read of the workspace answered, every change refused (403, nothing done). */
    private void auditorReadsEverythingAndChangesNothing(Fixture f, Row row, String path, Object body) {
        if (!Set.of("automation.read", "run.read", "audit.read").contains(row.permission())) {
            expectProblem(row, "auditor", call(row.method(), path, f.auditor, body), 403);
        } else if (!row.template().endsWith("/stream")) {
            var result = call(row.method(), path, f.auditor, body).expectBody(String.class).returnResult();
            assertThat(result.getStatus().value()).as("%s as auditor: %s", row.key(), result.getResponseBody())
                    .isBetween(200, 299);
        }
    }

    private static void expect(Row row, String who, WebTestClient.ResponseSpec response, int status) {
        var result = response.expectBody(String.class).returnResult();
        assertThat(result.getStatus().value()).as("%s as %s: %s", row.key(), who, result.getResponseBody()).isEqualTo(status);
        if (result.getResponseBody() != null && result.getResponseBody().contains("access_token")) {
            issued(result.getResponseBody().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1"));
        }
    }

    private static void expectProblem(Row row, String who, WebTestClient.ResponseSpec response, int status) {
        var result = response.expectBody(String.class).returnResult();
        assertThat(result.getStatus().value()).as("%s as %s: %s", row.key(), who, result.getResponseBody()).isEqualTo(status);
        assertThat(result.getResponseHeaders().getContentType()).as("%s as %s", row.key(), who)
                .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    private WebTestClient.ResponseSpec call(String method, String path, String token, Object body) {
        var spec = http.method(HttpMethod.valueOf(method)).uri(path);
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String expand(String template, Map<String, String> vars) {
        String path = template;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            path = path.replace("{" + v.getKey() + "}", v.getValue());
        }
        assertThat(path).as("unexpanded variables in " + template).doesNotContain("{");
        return path;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyApiEndpointHasARow() {
        Map<String, Object> docs = http.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Set<String> exposed = new TreeSet<>();
        ((Map<String, Map<String, Object>>) docs.get("paths")).forEach((path, operations) -> {
            if (path.startsWith("/api/v1")) {
                operations.keySet().stream()
                        .filter(m -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(m))
                        .forEach(m -> exposed.add(m.toUpperCase() + " " + path));
            }
        });
        Set<String> covered = new TreeSet<>();
        rows().forEach(r -> covered.add(r.key()));
        assertThat(exposed).as("API endpoints with no row in the authorisation matrix (add one to rows())")
                .isSubsetOf(covered);
        assertThat(covered).as("rows of the authorisation matrix for endpoints that do not exist").isSubsetOf(exposed);
        assertThat(exposed).hasSizeGreaterThan(30);
    }

    /** The callers and resources of the matrix, made through the API itself. */
    final class Fixture {
        final String teamId;
        final String otherTeamId;
        final String viewerId = "matrix-viewer-" + System.nanoTime();
        final String viewer;
        final String editor;
        final String approver;
        final String admin;
        final String auditor;
        final String outsider;
        final String otherTeam;
        final Map<String, String> withoutScope = new LinkedHashMap<>();
        final Map<String, String> machine;
        final String connectionId;
        final String otherConnectionId;

        Fixture() {
            teamId = team("matrix-a");
            otherTeamId = team("matrix-b");
            viewer = member(viewerId, "viewer");
            editor = member("matrix-editor-" + System.nanoTime(), "editor");
            approver = member("matrix-approver-" + System.nanoTime(), "approver");
            admin = member("matrix-admin-" + System.nanoTime(), "admin");
            auditor = member("matrix-auditor-" + System.nanoTime(), "auditor");
            String limited = "matrix-other-team-" + System.nanoTime();
            otherTeam = member(limited, "admin");
            putMember(WS, limited, Map.of("role", "admin", "team_ids", List.of(otherTeamId)));
            // a member of another workspace only
            String otherWs = (String) body(post(adminToken, "/workspaces", Map.of("name", uniqueName("elsewhere")))
                    .expectStatus().isCreated()).get("id");
            String outsiderId = "matrix-outsider-" + System.nanoTime();
            putMember(otherWs, outsiderId, Map.of("role", "admin"));
            outsider = issued((String) body(post(adminToken, "/tokens", Map.of("name", "outsider", "user_id", outsiderId))
                    .expectStatus().isCreated()).get("token"));
            machine = createMachine(adminToken, WS, Map.of("team_id", teamId));
            connectionId = connection().get("cid");
            otherConnectionId = connection().get("cid");
        }

        /** A fresh connection of the workspace, made by the workspace admin. */
        Map<String, String> connection() {
            Map<String, Object> made = body(post(adminToken, "/workspaces/" + WS + "/connections",
                    Map.of("name", uniqueName("matrix connection"), "provider", "slack")).expectStatus().isCreated());
            return Map.of("cid", (String) made.get("id"));
        }

        /** A fresh draft automation of the matrix team that uses {@link #connectionId}. */
        Map<String, String> usingConnection() {
            Map<String, String> vars = automation(null);
            post(adminToken, "/workspaces/" + WS + "/automations/" + vars.get("id") + "/connections/add",
                    Map.of("connection_ids", List.of(connectionId))).expectStatus().isOk();
            return vars;
        }

        private void putMember(String ws, String user, Map<String, Object> body) {
            http.put().uri("/api/v1/workspaces/" + ws + "/members/" + user).header("Authorization", "Bearer " + adminToken)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
        }

        private String team(String name) {
            return (String) body(post(adminToken, "/workspaces/" + WS + "/teams", Map.of("name", uniqueName(name)))
                    .expectStatus().isCreated()).get("id");
        }

        /** A caller that holds the permission, with the least role that does. */
        String holding(String permission) {
            return switch (permission) {
                case "automation.read", PERSON -> viewer;
                case "automation.write" -> editor;
                case "automation.approve" -> approver;
                case "audit.read" -> auditor;
                case OPERATOR -> adminToken;
                default -> admin;
            };
        }

        /** A caller of the workspace, on every team, that lacks the permission. */
        String lacking(String permission) {
            return switch (permission) {
                case "automation.write" -> viewer;
                case "automation.approve" -> editor;
                case "automation.manage", "workspace.admin" -> approver;
                case "audit.read" -> approver;
                case OPERATOR -> admin;
                default -> serviceAccountWithout(permission);
            };
        }

        /** An automation's access token with every scope but this one (for people-only endpoints: every scope). */
        String serviceAccountWithout(String permission) {
            return withoutScope.computeIfAbsent(permission, p -> {
                List<String> scopes = new ArrayList<>(List.of("automation.read", "automation.write", "automation.approve",
                        "automation.manage", "run.read", "run.write", "audit.read", "workspace.admin"));
                scopes.remove(p);
                Map<String, String> m = createMachine(adminToken, WS, Map.of("scopes", scopes));
                return accessToken(m.get("id"), m.get("secret"));
            });
        }

        Object createBody() {
            return Map.of("name", uniqueName("matrix"), "kind", "scheduled", "team_id", teamId);
        }

        Object agentBody() {
            return Map.of("name", uniqueName("matrix agent"), "installation_id", machine.get("id"));
        }

        Object exchangeBody() {
            return Map.of("grant_type", "client_credentials", "client_id", machine.get("id"), "client_secret", machine.get("secret"));
        }

        /** A fresh automation of the matrix team, created by the workspace admin, in that status (null: draft). */
        @SuppressWarnings("unchecked")
        Map<String, String> automation(String status) {
            Map<String, Object> body = new HashMap<>(Map.of("name", uniqueName("matrix target"), "kind", "scheduled",
                    "team_id", teamId));
            if (status != null) {
                body.put("status", status);
            }
            Map<String, Object> created = createAutomation(body);
            return Map.of("id", (String) created.get("id"));
        }

        /** An automation of the matrix team with push delivery (to a port nothing listens on: it is never fired). */
        @SuppressWarnings("unchecked")
        Map<String, String> pushed() {
            Map<String, Object> created = createAutomation(new HashMap<>(Map.of("name", uniqueName("matrix pushed"),
                    "kind", "scheduled", "team_id", teamId, "delivery", Map.of("url", "http://127.0.0.1:9/runs"))));
            String signing = (String) ((Map<String, Object>) created.get("delivery")).get("signing_secret");
            issued(signing);
            issued(signing.substring("whsec_".length()));
            return Map.of("id", (String) created.get("id"));
        }

        /** An active automation of the matrix team with an hourly schedule. */
        Map<String, String> scheduled() {
            Map<String, String> vars = automation("active");
            http.put().uri("/api/v1/workspaces/" + WS + "/automations/" + vars.get("id") + "/schedule")
                    .header("Authorization", "Bearer " + adminToken).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("interval", "1h")).exchange().expectStatus().isOk();
            return vars;
        }

        /** An automation of the matrix team with one api trigger ({@code tid}). */
        @SuppressWarnings("unchecked")
        Map<String, String> triggered() {
            Map<String, String> vars = automation(null);
            Map<String, Object> t = body(post(adminToken, "/workspaces/" + WS + "/automations/" + vars.get("id") + "/triggers",
                    Map.of("type", "api")).expectStatus().isCreated());
            return with(vars, "tid", (String) t.get("id"));
        }

        /** An automation of the matrix team with a webhook trigger ({@code tid}) on an endpoint of its own. */
        Map<String, String> webhookTriggered() {
            Map<String, String> vars = automation(null);
            Map<String, Object> t = body(post(adminToken, "/workspaces/" + WS + "/automations/" + vars.get("id") + "/triggers",
                    Map.of("type", "webhook")).expectStatus().isCreated());
            issued((String) t.get("webhook_secret"));
            return with(vars, "tid", (String) t.get("id"));
        }

        /** A run of an active automation of the matrix team ({@code runId}), fired by the admin. */
        @SuppressWarnings("unchecked")
        Map<String, String> run() {
            Map<String, String> vars = automation("active");
            Map<String, Object> answer = body(post(adminToken, "/workspaces/" + WS + "/automations/" + vars.get("id") + "/trigger",
                    Map.of()).expectStatus().isAccepted());
            return Map.of("runId", (String) ((Map<String, Object>) answer.get("run")).get("id"));
        }

        /** A run of an active automation of the matrix team ({@code runId}), leased by {@code holding("run.write")}. */
        @SuppressWarnings("unchecked")
        Map<String, String> leased() {
            Map<String, String> vars = automation("active");
            body(post(adminToken, "/workspaces/" + WS + "/automations/" + vars.get("id") + "/trigger", Map.of())
                    .expectStatus().isAccepted());
            Map<String, Object> leased = body(post(holding("run.write"), "/workspaces/" + WS + "/runs/lease",
                    Map.of("automation_id", vars.get("id"))).expectStatus().isOk());
            List<Map<String, Object>> runs = (List<Map<String, Object>>) leased.get("runs");
            assertThat(runs).hasSize(1);
            return Map.of("runId", (String) runs.get(0).get("id"));
        }

        Map<String, String> deleted() {
            Map<String, String> vars = automation(null);
            http.delete().uri("/api/v1/workspaces/" + WS + "/automations/" + vars.get("id"))
                    .header("Authorization", "Bearer " + adminToken).exchange().expectStatus().isOk();
            return vars;
        }

        @SuppressWarnings("unchecked")
        Map<String, String> agent() {
            Map<String, Object> agent = body(post(adminToken, "/workspaces/" + WS + "/agents", agentBody()).expectStatus().isCreated());
            return Map.of("agentId", (String) agent.get("id"));
        }

        Map<String, String> newMember() {
            String user = "matrix-leaving-" + System.nanoTime();
            putMember(WS, user, Map.of("role", "viewer"));
            return Map.of("userId", user);
        }

        Map<String, String> viewersSpareToken() {
            Map<String, Object> token = body(post(viewer, "/tokens", Map.of("name", "spare")).expectStatus().isCreated());
            issued((String) token.get("token"));
            return Map.of("id", (String) token.get("id"));
        }

        @SuppressWarnings("unchecked")
        void awaitProjectionsCaughtUp() {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                Map<String, Object> status = body(get(adminToken, "/admin/projections").exchange().expectStatus().isOk());
                return ((List<Map<String, Object>>) status.get("projections")).stream()
                        .filter(p -> p.get("name").equals("revisions"))
                        // no lag while a rebuild holds the live processor stopped (its segments released): not yet
                        .allMatch(p -> p.get("lag") instanceof Number lag && lag.longValue() == 0);
            });
        }
    }
}
