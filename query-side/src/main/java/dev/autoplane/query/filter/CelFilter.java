package dev.autoplane.query.filter;

import dev.autoplane.platform.web.problem.ApiProblem;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * AIP-160-style list filters as CEL expressions (through cel-java), type-checked against the
 * fields a listing declares: an unknown field, a syntax error or a non-boolean expression is a
 * {@code 400} that says what is wrong. Compiled programs are cached per expression.
 */
public final class CelFilter {

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
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

    /** A predicate over the field values of one item; {@code null} or blank matches everything. */
    public Predicate<Map<String, Object>> compile(String expression) {
        if (expression == null || expression.isBlank()) {
            return item -> true;
        }
        if (expression.length() > MAX_LENGTH) {
            throw ApiProblem.invalid("filter", "must be at most " + MAX_LENGTH + " characters");
        }
        CelRuntime.Program program = cache.computeIfAbsent(expression, this::program);
        return item -> {
            try {
                return Boolean.TRUE.equals(program.eval(name -> Optional.ofNullable(item.get(name))));
            } catch (CelEvaluationException e) {
                return false; // e.g. a missing map key: the item does not match
            }
        };
    }

    private CelRuntime.Program program(String expression) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            return RUNTIME.createProgram(ast);
        } catch (CelValidationException e) {
            String message = e.getErrors().isEmpty() ? e.getMessage() : e.getErrors().get(0).getMessage();
            throw ApiProblem.invalid("filter", "is not a valid filter: " + message);
        } catch (CelEvaluationException e) {
            throw ApiProblem.invalid("filter", "is not a valid filter: " + e.getMessage());
        }
    }
}
