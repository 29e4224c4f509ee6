package dev.autoplane.command.web;

import dev.autoplane.command.token.SigningKeys;
import dev.autoplane.platform.concurrent.StartedWork;
import dev.autoplane.platform.web.auth.Operators;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operators ({@code autoplane.operators}) list and rotate the access-token signing keys. */
@RestController
@RequestMapping(path = "/api/v1/admin/signing-keys", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operations")
class SigningKeyAdminController {

    private final SigningKeys keys;
    private final StartedWork work;
    private final Operators operators;

    SigningKeyAdminController(SigningKeys keys, StartedWork work, Operators operators) {
        this.keys = keys;
        this.work = work;
        this.operators = operators;
    }

    @Operation(summary = "The signing keys: id, when each signs from, until when each stays published (operators)",
            description = "Public parts only; private keys are stored wrapped by the master key and never leave the server.")
    @GetMapping
    Mono<Map<String, Object>> list(ServerWebExchange exchange) {
        requireOperator(exchange);
        return Mono.fromCallable(() -> Map.<String, Object>of("signing_keys", keys.list().stream().map(row -> {
            Map<String, Object> m = new LinkedHashMap<>();
            row.forEach((k, v) -> m.put(k.toLowerCase(java.util.Locale.ROOT),
                    v instanceof java.sql.Timestamp t ? t.toInstant() : v instanceof java.time.OffsetDateTime o ? o.toInstant() : v));
            return m;
        }).toList())).subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(summary = "Rotate the signing key (operators)",
            description = "The new key is published at once and signs from autoplane.jwt.publish-ahead later; the "
                    + "keys it replaces stay published until the last token they signed has expired.")
    @PostMapping("/rotate")
    Mono<Map<String, Object>> rotate(ServerWebExchange exchange) {
        requireOperator(exchange);
        // a rotation that started finishes even if the operator's client hangs up
        return work.call(() -> {
            SigningKeys.Rotation r = keys.rotate();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("kid", r.kid());
            answer.put("signs_from", r.signsFrom());
            answer.put("retiring", r.retiring());
            return answer;
        });
    }

    private void requireOperator(ServerWebExchange exchange) {
        operators.require(exchange, "manage signing keys");
    }
}
