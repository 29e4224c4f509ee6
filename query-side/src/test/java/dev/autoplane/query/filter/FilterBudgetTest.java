package dev.autoplane.query.filter;

import dev.autoplane.platform.web.problem.ApiProblem;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A filter's evaluation cost is bounded and counted in deterministic steps, never in time. */
class FilterBudgetTest {

    static final Map<String, CelType> FIELDS = Map.of("name", SimpleType.STRING, "description", SimpleType.STRING,
            "tags", ListType.create(SimpleType.STRING)); // no macros: filters have no comprehensions
    final CelFilter filter = new CelFilter(FIELDS);

    static Map<String, Object> item(String name) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("description", "");
        m.put("tags", IntStream.range(0, 100).mapToObj(i -> "t" + i).toList());
        return m;
    }

    static int evaluate(Predicate<Map<String, Object>> p, int rows, String name) {
        int matched = 0;
        for (int i = 0; i < rows; i++) {
            if (p.test(item(name))) {
                matched++;
            }
        }
        return matched;
    }

    @Test
    void theEvilRegexRunsOutOfBudgetWithAClearProblem() {
        Predicate<Map<String, Object>> p = filter.compile("name.matches('(a?){330}a{330}')");
        assertThatThrownBy(() -> evaluate(p, 1000, "a".repeat(200)))
                .isInstanceOfSatisfying(ApiProblem.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("filter_too_expensive");
                    assertThat(e.getMessage()).contains(String.valueOf(FilterBudget.STEPS_PER_REQUEST));
                });
    }

    @Test
    void nestedRepetitionIsRefusedBeforeRe2jExpandsIt() {
        assertThat(BoundedRegex.estimatedSize("((((a{100}){100}){100}){100})")).isGreaterThan(100_000_000L);
        assertThatThrownBy(() -> filter.compile("name.matches('((((a{100}){100}){100}){100})')"))
                .isInstanceOfSatisfying(ApiProblem.class, e -> assertThat(e.code()).isEqualTo("filter_too_expensive"));
        // a pattern from the data is checked the same way when it is used
        Predicate<Map<String, Object>> fromData = filter.compile("description.matches(name)");
        assertThatThrownBy(() -> fromData.test(item("((a{1000}){1000})")))
                .isInstanceOfSatisfying(ApiProblem.class, e -> assertThat(e.code()).isEqualTo("filter_too_expensive"));
        assertThatThrownBy(() -> filter.compile("name.matches('(unclosed')"))
                .isInstanceOfSatisfying(ApiProblem.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void theEstimateIsNeverBelowWhatRe2jCompiles() {
        for (String regex : List.of("(a?){330}a{330}", "abc", "[a-z]+@[a-z]+\\.com", "(x|y|z){20}", "a{2,9}b{3,}",
                "\\p{Greek}+", "(?i)weekly.*digest", "((ab){10}c){10}", "[]a]{5}", "\\Q{99}\\E")) {
            long compiled = com.google.re2j.Pattern.compile(regex).programSize();
            assertThat(BoundedRegex.estimatedSize(regex)).as(regex).isGreaterThanOrEqualTo(compiled);
        }
    }

    @Test
    void longTextIsChargedByItsLength() {
        Predicate<Map<String, Object>> p = filter.compile("description.matches('deploy') || description.contains('release')");
        Map<String, Object> row = item("x");
        row.put("description", "d".repeat(10_000));
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5_000; i++) {
                p.test(row);
            }
        }).isInstanceOfSatisfying(ApiProblem.class, e -> assertThat(e.code()).isEqualTo("filter_too_expensive"));
        // put a cheap condition first and the expensive one runs only where it matters
        Predicate<Map<String, Object>> narrowed = filter.compile("name == 'y' && description.matches('deploy')");
        for (int i = 0; i < 5_000; i++) {
            assertThat(narrowed.test(row)).isFalse();
        }
    }

    @Test
    void ordinaryFiltersOverTheMostRowsARequestScansStayWellInsideTheBudget() {
        FilterBudget budget = new FilterBudget(FilterBudget.STEPS_PER_REQUEST);
        Predicate<Map<String, Object>> p = filter.compile(
                "name.matches('^weekly-[0-9]+$') || name.contains('digest') || name.startsWith('a') || 't5' in tags",
                budget);
        assertThat(evaluate(p, 5_000, "weekly-" + "1".repeat(150))).isEqualTo(5_000);
        assertThat(budget.remaining()).isGreaterThan(FilterBudget.STEPS_PER_REQUEST / 2);
        assertThat(filter.compile("name.matches('week')").test(item("biweekly"))).isTrue(); // CEL: partial match
    }
}
