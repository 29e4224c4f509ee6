package dev.autoplane.command.webhook;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelStandardFunctions.StandardFunction;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A webhook trigger's optional CEL {@code filter}: a boolean expression over {@code body} (the
 * delivery's JSON object, {@code map(string, dyn)}) and {@code event} (its event name, {@code ""} when
 * none), e.g. {@code body.action == "opened" && body.pull_request.base.ref == "main"}. Checked when the
 * trigger is written; at a delivery an error (a missing key, a wrong type) or going over the budget
 * of {@link #MAX_STEPS} evaluated nodes is a non-match. {@code matches} (regular expressions) is not
 * available: its cost is not bounded.
 */
public final class WebhookCel {

    static final long MAX_STEPS = 100_000;

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setResultType(SimpleType.BOOL)
            .addVar("body", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("event", SimpleType.STRING)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setStandardEnvironmentEnabled(false)
            .setStandardFunctions(CelStandardFunctions.newBuilder().excludeFunctions(StandardFunction.MATCHES).build())
            .build();
    private static final ThreadLocal<long[]> STEPS = ThreadLocal.withInitial(() -> new long[1]);
    private static final CelEvaluationListener COUNT = (expr, value) -> {
        if (++STEPS.get()[0] > MAX_STEPS) {
            throw new OverBudget();
        }
    };
    private static final Map<String, Optional<CelRuntime.Program>> PROGRAMS = new ConcurrentHashMap<>();

    private WebhookCel() {
    }

    /** Why the expression is not an acceptable filter, or {@code null}. */
    public static String problem(String expression) {
        try {
            if (expression.contains("matches")) {
                COMPILER.compile(expression).getAst(); // a syntax error first, if any
                return "matches (regular expressions) is not available in webhook filters";
            }
            RUNTIME.createProgram(COMPILER.compile(expression).getAst());
            return null;
        } catch (CelValidationException e) {
            return "is not a valid CEL filter: " + (e.getErrors().isEmpty() ? e.getMessage() : e.getErrors().get(0).getMessage());
        } catch (CelEvaluationException e) {
            return "is not a valid CEL filter: " + e.getMessage();
        }
    }

    /** Whether the delivery matches; {@code null} or blank matches everything. */
    static boolean test(String expression, String event, Map<String, Object> body) {
        if (expression == null || expression.isBlank()) {
            return true;
        }
        if (PROGRAMS.size() > 10_000) {
            PROGRAMS.clear(); // bounded: triggers are few, but expressions are the writers'
        }
        CelRuntime.Program program = PROGRAMS.computeIfAbsent(expression, WebhookCel::program).orElse(null);
        if (program == null) {
            return false;
        }
        STEPS.get()[0] = 0;
        try {
            Map<String, Object> vars = Map.of("body", cel(body), "event", event == null ? "" : event);
            return Boolean.TRUE.equals(program.trace(name -> Optional.ofNullable(vars.get(name)), COUNT));
        } catch (CelEvaluationException | RuntimeException e) {
            return false;
        }
    }

    /** JSON values as CEL's runtime takes them: integers as {@code long}, other numbers as {@code double}. */
    private static Object cel(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, cel(v)));
            return out;
        }
        if (value instanceof java.util.List<?> l) {
            return l.stream().map(WebhookCel::cel).toList();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float || value instanceof java.math.BigDecimal) {
            return ((Number) value).doubleValue();
        }
        return value;
    }

    private static Optional<CelRuntime.Program> program(String expression) {
        try {
            return problem(expression) != null ? Optional.empty()
                    : Optional.of(RUNTIME.createProgram(COMPILER.compile(expression).getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            return Optional.empty();
        }
    }

    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super("the filter evaluated too many nodes", null, false, false);
        }
    }
}
