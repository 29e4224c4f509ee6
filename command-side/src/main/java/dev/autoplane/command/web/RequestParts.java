package dev.autoplane.command.web;

import dev.autoplane.platform.Ids;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.springframework.web.server.ServerWebExchange;

/** What every command endpoint reads off a request the same way: the recorded reason, an automation's id. */
final class RequestParts {

    private RequestParts() {
    }

    /** The {@code X-Reason} header, recorded in every event's metadata: checked like any other text field. */
    static String reason(ServerWebExchange exchange) {
        return TextRules.HEADER_REASON.optional("X-Reason", exchange.getRequest().getHeaders().getFirst("X-Reason"));
    }

    /** An automation id from a path: one that cannot be an id names no automation ({@code 404}, as an unknown one). */
    static String automationId(String id) {
        if (!Ids.isWellFormed(id)) {
            throw ApiProblem.notFound("automation " + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + " not found");
        }
        return id;
    }
}
