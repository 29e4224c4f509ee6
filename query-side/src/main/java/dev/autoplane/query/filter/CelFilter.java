package dev.autoplane.query.filter;

import dev.autoplane.platform.web.problem.ApiProblem;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelStandardFunctions.StandardFunction;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * AIP-160-style list filters as CEL expressions (through cel-java), type-checked against the
 * fields a listing declares: an unknown field, a syntax error or a non-boolean expression is a
 * {@code 400} that says what is wrong. Compiled programs are cached per expression.
 *
 * <p>Evaluation has a bounded cost: each {@link #compile} (one list request) gets a
 * {@link FilterBudget}, every evaluated node is charged to it, and {@code matches},
 * {@code contains}, {@code startsWith} and {@code endsWith} are replaced by versions that charge
 * their worst-case cost before running ({@link BoundedRegex} also refuses regular expressions that
 * would expand too far, at compile time when the pattern is a literal). Going over the budget is
 * {@code 400 filter_too_expensive}: a viewer's filter cannot hold a core for seconds.
 */
public final class CelFilter {

    /** The budget of the evaluation running on this thread (evaluation is synchronous). */
    private static final ThreadLocal<FilterBudget> BUDGET = new ThreadLocal<>();
    private static final boolean PARTIAL_MATCH = CelOptions.DEFAULT.enableRegexPartialMatch();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setStandardEnvironmentEnabled(false)
            .setStandardFunctions(CelStandardFunctions.newBuilder().excludeFunctions(StandardFunction.MATCHES,
                    StandardFunction.CONTAINS, StandardFunction.STARTS_WITH, StandardFunction.ENDS_WITH).build())
            .addFunctionBindings(
                    CelFunctionBinding.from("matches", String.class, String.class, CelFilter::matches),
                    CelFunctionBinding.from("matches_string", String.class, String.class, CelFilter::matches),
                    CelFunctionBinding.from("contains_string", String.class, String.class, (text, part) -> {
                        charge(text.length() / 4 + (long) text.length() * part.length() / 64 + 1);
                        return text.contains(part);
                    }),
                    CelFunctionBinding.from("starts_with_string", String.class, String.class, (text, part) -> {
                        charge(part.length() + 1);
                        return text.startsWith(part);
                    }),
                    CelFunctionBinding.from("ends_with_string", String.class, String.class, (text, part) -> {
                        charge(part.length() + 1);
                        return text.endsWith(part);
                    }))
            .build();
    private static final CelEvaluationListener CHARGE_NODE = (expr, value) -> charge(FilterBudget.NODE_STEPS);
    private static final int MAX_LENGTH = 2_000;

    private final CelCompiler compiler;
    private final Map<String, CelRuntime.Program> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CelRuntime.Program> eldest) {
                    return size() > 256;
                }
            });

    /** @param fields the filterable fields and their CEL types */
    public CelFilter(Map<String, CelType> fields) {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder().setResultType(SimpleType.BOOL);
        fields.forEach(builder::addVar);
        this.compiler = builder.build();
    }

    /**
     * A predicate over the field values of one item; {@code null} or blank matches everything. The
     * predicate carries one request's {@link FilterBudget}: use it for one request only.
     */
    public Predicate<Map<String, Object>> compile(String expression) {
        return compile(expression, FilterBudget.perRequest());
    }

    Predicate<Map<String, Object>> compile(String expression, FilterBudget budget) {
        if (expression == null || expression.isBlank()) {
            return item -> true;
        }
        if (expression.length() > MAX_LENGTH) {
            throw ApiProblem.invalid("filter", "must be at most " + MAX_LENGTH + " characters");
        }
        CelRuntime.Program program = cache.computeIfAbsent(expression, this::program);
        return item -> {
            BUDGET.set(budget);
            try {
                return Boolean.TRUE.equals(program.trace(name -> Optional.ofNullable(item.get(name)), CHARGE_NODE));
            } catch (CelEvaluationException e) {
                ApiProblem problem = problemIn(e);
                if (problem != null) {
                    throw problem;
                }
                return false; // e.g. a missing map key: the item does not match
            } finally {
                BUDGET.remove();
            }
        };
    }

    private CelRuntime.Program program(String expression) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            checkLiteralPatterns(ast);
            return RUNTIME.createProgram(ast);
        } catch (CelValidationException e) {
            String message = e.getErrors().isEmpty() ? e.getMessage() : e.getErrors().get(0).getMessage();
            throw ApiProblem.invalid("filter", "is not a valid filter: " + message);
        } catch (CelEvaluationException e) {
            throw ApiProblem.invalid("filter", "is not a valid filter: " + e.getMessage());
        }
    }

    /** A literal pattern that is invalid or too large is refused before any row is read. */
    private static void checkLiteralPatterns(CelAbstractSyntaxTree ast) {
        CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .filter(node -> node.getKind() == CelExpr.ExprKind.Kind.CALL)
                .map(node -> node.expr().call())
                .filter(call -> call.function().equals("matches") && !call.args().isEmpty())
                .map(call -> call.args().get(call.args().size() - 1))
                .filter(arg -> arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE)
                .forEach(arg -> BoundedRegex.compile(arg.constant().stringValue()));
    }

    private static boolean matches(String text, String regex) {
        FilterBudget budget = BUDGET.get();
        return BoundedRegex.matches(text, regex, PARTIAL_MATCH, budget != null ? budget : FilterBudget.perRequest());
    }

    private static void charge(long steps) {
        FilterBudget budget = BUDGET.get();
        if (budget != null) {
            budget.charge(steps);
        }
    }

    private static ApiProblem problemIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiProblem p) {
                return p;
            }
        }
        return null;
    }
}
