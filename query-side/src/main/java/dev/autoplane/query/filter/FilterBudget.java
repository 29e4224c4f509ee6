package dev.autoplane.query.filter;

import dev.autoplane.platform.web.problem.ApiProblem;

import java.util.Map;

/**
 * What one list request may spend evaluating its filter, in <em>steps</em>: every evaluated CEL
 * node costs {@link #NODE_STEPS}; a regular expression costs its compiled program size times the
 * length of the text it runs over (the bound of RE2J's linear-time matcher); {@code contains}
 * costs a quarter of the text's length plus its length times the part's over 64 (the JDK's search
 * is vectorised but quadratic at worst), {@code startsWith} and {@code endsWith} the part's length. The count is
 * deterministic — the same filter over the same rows always costs the same — so going over it is a
 * client error, {@code 400 filter_too_expensive}, and never a slow or 500 answer.
 *
 * <p>{@value #STEPS_PER_REQUEST} steps are about 0.25 s of one core on the build machine with a
 * warm JVM (a step of RE2J's NFA, the costliest kind, measured at ~10 ns; up to three times that
 * while the JIT is still cold); the issue's {@code name.matches('(a?){330}a{330}')} over 1,000
 * names took 3.8–5.4 s before. An ordinary filter over the 5,000 rows a request scans at most, with
 * a regular expression over names, uses less than half of it. A regular expression over long text
 * (descriptions) in thousands of rows can exceed it: put cheap conditions first, {@code &&} skips
 * the rest.
 */
final class FilterBudget {

    /** Steps one list request may spend on its filter. */
    static final long STEPS_PER_REQUEST = 25_000_000L;
    /** Steps charged for each evaluated node of the expression. */
    static final long NODE_STEPS = 10L;

    private long remaining;

    FilterBudget(long steps) {
        this.remaining = steps;
    }

    static FilterBudget perRequest() {
        return new FilterBudget(STEPS_PER_REQUEST);
    }

    /** Spends {@code steps}, or throws {@code 400 filter_too_expensive} if that is more than is left. */
    void charge(long steps) {
        if (steps > remaining) {
            remaining = 0;
            throw exceeded();
        }
        remaining -= steps;
    }

    long remaining() {
        return remaining;
    }

    static ApiProblem exceeded() {
        return new ApiProblem(400, "filter_too_expensive", "Bad request",
                "filter: evaluating this filter over the listed items needs more than the " + STEPS_PER_REQUEST
                        + " steps one request may spend (regular expressions cost their size times the text's length); "
                        + "use a simpler filter, for example fewer or simpler regular expressions, or startsWith/contains",
                java.util.List.of(new dev.autoplane.events.common.DomainException.FieldViolation("filter",
                        "is too expensive to evaluate")),
                Map.of("budget_steps", STEPS_PER_REQUEST));
    }
}
