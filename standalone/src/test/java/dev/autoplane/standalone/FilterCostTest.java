package dev.autoplane.standalone;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 10: a viewer's filter cannot hold a core for seconds. An exponential-looking
 * regular expression over long text runs out of the request's filter budget and answers
 * {@code 400 filter_too_expensive}; one that would expand past the compiled-size limit is refused
 * before any row is read. The assertions are on the answers; the CPU spent is printed for the record.
 */
class FilterCostTest extends ApiTest {

    static final String EVIL = "(a?){330}a{330}";

    /** A workspace of its own: its long descriptions stay out of the listings other tests read. */
    String ws;

    /** The listing with this filter (a URI, not a template: braces are regex syntax here). */
    org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> list(String token, String filter) {
        return http.get().uri(java.net.URI.create("http://localhost:" + port + "/api/v1/workspaces/" + ws
                        + "/automations?page_size=1000&filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token);
    }

    @Test
    void theEvilRegexAnswersAProblemWithinTheBudget() {
        ws = (String) body(post(adminToken, "/workspaces", Map.of("name", uniqueName("filter cost")))
                .expectStatus().isCreated()).get("id");
        String viewer = member("filter-viewer", "viewer");
        http.put().uri("/api/v1/workspaces/" + ws + "/members/filter-viewer").header("Authorization", "Bearer " + adminToken)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "viewer"))
                .exchange().expectStatus().isOk();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> automation = Map.of("name", uniqueName("a".repeat(150)), "kind", "scheduled",
                    "description", "a".repeat(10_000));
            issued((String) body(post(adminToken, "/workspaces/" + ws + "/automations", automation)
                    .expectStatus().isCreated()).get("secret"));
        }
        long cpu = processCpuNanos();
        Map<String, Object> problem = assertProblem(list(viewer, "description.matches('" + EVIL + "')").exchange(), 400,
                "filter");
        System.out.printf("FILTER-CPU evil description filter: %d ms of process CPU%n", (processCpuNanos() - cpu) / 1_000_000);
        assertThat(problem.get("type")).isEqualTo("https://autoplane.dev/problems/filter_too_expensive");
        assertThat(problem.get("budget_steps")).isNotNull();
        assertThat((String) problem.get("detail")).contains("steps");

        cpu = processCpuNanos();
        var answer = list(viewer, "name.matches('" + EVIL + "')").exchange().expectBody(Map.class).returnResult();
        System.out.printf("FILTER-CPU evil name filter: %d ms of process CPU, status %d%n",
                (processCpuNanos() - cpu) / 1_000_000, answer.getStatus().value());
        assertThat(answer.getStatus().value()).isIn(200, 400);

        assertProblem(list(viewer, "name.matches('((((a{100}){100}){100}){100})')").exchange(), 400, "filter");
        assertProblem(list(viewer, "name.matches('(unclosed')").exchange(), 400, "filter");
        // ordinary filters are unaffected
        @SuppressWarnings("unchecked")
        List<Object> found = (List<Object>) body(list(viewer, "name.matches('^a{150} ') && kind == 'scheduled'")
                .exchange().expectStatus().isOk()).get("automations");
        assertThat(found).hasSizeGreaterThanOrEqualTo(20);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
