package dev.autoplane.platform.web.problem;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.platform.text.InvalidTextError;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.json.InvalidTextException;
import dev.autoplane.platform.web.request.RequestContext;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.MismatchedInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The one place where every error becomes RFC 9457 {@code application/problem+json}: our own
 * problems, domain errors from the command bus (also across processes, as details), routing and
 * content-negotiation errors, body limits and JSON decoding errors. Nothing a client sends yields
 * a 500; an unexpected failure is logged with its request id and answered without internals.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_BASE = "https://autoplane.dev/problems/";

    private final JsonMapper json;

    public ProblemExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ApiProblem problem = toProblem(error);
        if (problem.status() >= 500) {
            logFailure(exchange, error);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + problem.code());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", TextRules.printable(String.valueOf(problem.getMessage()))); // may quote what the client sent
        body.put("instance", exchange.getRequest().getPath().value());
        body.put("code", problem.code());
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors().stream()
                    .map(v -> Map.of("field", TextRules.printable(v.field()), "message", TextRules.printable(v.message())))
                    .collect(Collectors.toList()));
        }
        problem.properties().forEach(body::putIfAbsent);
        String requestId = RequestContext.requestId(exchange);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        response.setRawStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(PROBLEM_JSON);
        headers.remove(HttpHeaders.ETAG);
        if (problem.status() == 401) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (error instanceof MethodNotAllowedException mna && !mna.getSupportedMethods().isEmpty()) {
            headers.setAllow(mna.getSupportedMethods());
        }
        byte[] bytes = json.writeValueAsBytes(body);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    /**
     * Logs a failed request in proportion to what it means: a request whose client went away (its
     * work was canceled, so the failure is the cancellation's echo) is one INFO line; anything else
     * is a server fault, an ERROR with its stack trace. Client errors (4xx) are not logged at all:
     * the client was told, and a flood of bad requests must not become a flood of log.
     */
    private static void logFailure(ServerWebExchange exchange, Throwable error) {
        if (ClientAbort.isAbort(exchange, error)) {
            log.info("Request {} {} abandoned by its client [request_id={}]: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), RequestContext.requestId(exchange), ClientAbort.rootSummary(error));
            return;
        }
        log.error("Request {} {} failed [request_id={}]", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), RequestContext.requestId(exchange), error);
    }

    /** Maps any failure to the problem a client should see. */
    public static ApiProblem toProblem(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ApiProblem p) {
            return p;
        }
        if (e instanceof DomainException d) {
            return fromDomain(d.details());
        }
        if (e instanceof CommandExecutionException cee) {
            Object details = cee.getDetails().orElse(null);
            if (details instanceof DomainException.Details d) {
                return fromDomain(d);
            }
            if (cee.getCause() != null && cee.getCause() != cee) {
                return toProblem(cee.getCause());
            }
        }
        if (e instanceof ConflictingAggregateVersionException) {
            return new ApiProblem(412, "precondition_failed", "Precondition failed",
                    "the resource changed since the version in If-Match; read it again and retry", null, null);
        }
        if (e instanceof AggregateNotFoundException) {
            return ApiProblem.notFound("no such resource");
        }
        if (e instanceof ConcurrencyException || find(e, org.springframework.dao.DuplicateKeyException.class) != null
                || find(e, org.axonframework.common.lock.DeadlockException.class) != null) {
            return ApiProblem.conflict("concurrent_modification",
                    "another change to this resource was accepted at the same time; read it again and retry");
        }
        if (e instanceof NoHandlerForCommandException) {
            return new ApiProblem(503, "unavailable", "Service unavailable",
                    "no command handler is reachable right now", null, null);
        }
        DataBufferLimitException limit = find(e, DataBufferLimitException.class);
        if (limit != null) {
            return new ApiProblem(413, "payload_too_large", "Payload too large",
                    "request bodies are limited to 1 MiB", null, null);
        }
        if (e instanceof ServerWebInputException input) {
            return fromInput(input);
        }
        if (e instanceof ResponseStatusException rse) {
            int status = rse.getStatusCode().value();
            String reason = rse.getReason() != null ? rse.getReason() : rse.getStatusCode().toString();
            return new ApiProblem(status, codeFor(status), titleFor(status), reason, null, null);
        }
        InvalidTextError text = find(e, InvalidTextError.class);
        if (text != null) {
            log.warn("A text field rule was missed before the event store: {}", text.getMessage());
            return new ApiProblem(400, "validation_failed", "Validation failed", text.getMessage(), null, null);
        }
        return new ApiProblem(500, "internal_error", "Internal error",
                "the server failed to handle this request; it has been logged with this request id", null, null);
    }

    private static ApiProblem fromInput(ServerWebInputException input) {
        UnrecognizedPropertyException unknown = find(input, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String field = path(unknown);
            return new ApiProblem(400, "unknown_field", "Bad request", "unknown field '" + field + "'",
                    List.of(new DomainException.FieldViolation(field, "unknown field")), null);
        }
        MismatchedInputException mismatch = find(input, MismatchedInputException.class);
        if (mismatch != null) {
            String field = path(mismatch);
            String message = expected(mismatch);
            return new ApiProblem(400, "validation_failed", "Validation failed",
                    (field.isEmpty() ? "body" : field) + ": " + message,
                    List.of(new DomainException.FieldViolation(field.isEmpty() ? "body" : field, message)), null);
        }
        JacksonException jackson = find(input, JacksonException.class);
        if (jackson != null || find(input, DecodingException.class) != null) {
            String detail = jackson != null ? jackson.getOriginalMessage() : "the body is not valid JSON";
            return new ApiProblem(400, "malformed_json", "Bad request", "malformed JSON: " + detail, null, null);
        }
        String reason = input.getReason() != null ? input.getReason() : "bad request";
        return new ApiProblem(400, "bad_request", "Bad request", reason, null, null);
    }

    /** What a field that failed to decode should have been: said the way field rules say it. */
    private static String expected(MismatchedInputException e) {
        if (e instanceof InvalidTextException) {
            return e.getOriginalMessage();
        }
        Class<?> type = e.getTargetType();
        if (type == null) {
            return "has the wrong type or shape";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "must be a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type or shape";
    }

    private static String path(JacksonException e) {
        List<String> parts = new ArrayList<>();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                parts.add(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                parts.add("[" + ref.getIndex() + "]");
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static ApiProblem fromDomain(DomainException.Details d) {
        int status = switch (d.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
            case PRECONDITION_FAILED -> 412;
        };
        return new ApiProblem(status, d.code(), titleFor(status), d.message(), d.violations(), d.properties());
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }

    private static String titleFor(int status) {
        org.springframework.http.HttpStatus s = org.springframework.http.HttpStatus.resolve(status);
        return s != null ? s.getReasonPhrase() : "Error";
    }
}
