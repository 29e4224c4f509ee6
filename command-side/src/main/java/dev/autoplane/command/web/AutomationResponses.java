package dev.autoplane.command.web;

import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.events.automation.AutomationView.FindAutomationQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds command answers from the automation read model (asked over the query bus, after this
 * node's projections caught up). Where no query side is reachable (the split PostgreSQL mode
 * without Axon Server), the answer carries the id and workspace only; the query side serves the rest.
 */
@Component
class AutomationResponses {

    private final QueryGateway queries;

    AutomationResponses(QueryGateway queries) {
        this.queries = queries;
    }

    /** The automation as the read model shows it now, as a JSON-ready object. */
    Mono<Object> view(String workspaceId, String automationId) {
        return Mono.fromFuture(() -> queries.query(new FindAutomationQuery(workspaceId, automationId),
                        ResponseTypes.optionalInstanceOf(AutomationView.class)))
                .<Object>flatMap(found -> found.<Mono<Object>>map(Mono::just).orElseGet(Mono::empty))
                .onErrorResume(NoHandlerForQueryException.class, e -> Mono.empty())
                .switchIfEmpty(Mono.fromSupplier(() -> minimal(workspaceId, automationId)));
    }

    static Map<String, Object> minimal(String workspaceId, String automationId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", automationId);
        m.put("workspace_id", workspaceId);
        return m;
    }

    static Optional<String> etag(Object view) {
        return view instanceof AutomationView v ? Optional.of("\"" + v.version() + "\"") : Optional.empty();
    }

    static HttpHeaders headers(Object view) {
        HttpHeaders headers = new HttpHeaders();
        etag(view).ifPresent(headers::setETag);
        return headers;
    }
}
