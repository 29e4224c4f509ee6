package dev.autoplane.query.web;

import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.query.filter.CelFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CEL list filters over the automation listing's fields. */
class CelFilterTest {

    final CelFilter filter = new CelFilter(AutomationQueryController.AUTOMATION_FIELDS);

    static Map<String, Object> item(String status, String kind) {
        Map<String, Object> m = new java.util.HashMap<>();
        AutomationQueryController.AUTOMATION_FIELDS.keySet().forEach(k -> m.put(k, ""));
        m.putAll(Map.of("status", status, "kind", kind, "enabled", true, "suspended", false, "oauth_token_present", false,
                "version", 3L, "deleted", false, "scopes", List.of("automation.read"), "team_scope", List.of(),
                "repository_ids", List.of()));
        m.put("config", Map.of("channel", "general"));
        return m;
    }

    @Test
    void matchesConjunctionsListsMapsAndNumbers() {
        assertThat(filter.compile("status == \"active\" && kind == \"webhook\"").test(item("active", "webhook"))).isTrue();
        assertThat(filter.compile("status == \"active\" && kind == \"webhook\"").test(item("active", "scheduled"))).isFalse();
        assertThat(filter.compile("\"automation.read\" in scopes").test(item("draft", "code"))).isTrue();
        assertThat(filter.compile("config.channel == \"general\"").test(item("draft", "code"))).isTrue();
        assertThat(filter.compile("version > 2").test(item("draft", "code"))).isTrue();
        assertThat(filter.compile("").test(item("draft", "code"))).isTrue();
    }

    @Test
    void aMissingMapKeyIsNoMatchNotAnError() {
        assertThat(filter.compile("config.nope == \"x\"").test(item("draft", "code"))).isFalse();
    }

    @Test
    void unknownFieldsSyntaxErrorsNonBooleansAndHugeFiltersAre400() {
        for (String bad : List.of("colour == \"red\"", "status ==", "status", "x".repeat(2_001))) {
            assertThatThrownBy(() -> filter.compile(bad)).isInstanceOf(ApiProblem.class)
                    .satisfies(e -> {
                        assertThat(((ApiProblem) e).status()).isEqualTo(400);
                        assertThat(((ApiProblem) e).errors()).extracting(v -> v.field()).containsExactly("filter");
                    });
        }
    }
}
