package dev.autoplane.command.web;

import dev.autoplane.events.automation.AutomationCommands.DescribeAutomationCommand;
import dev.autoplane.platform.automation.AutomationAnswer;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.web.request.CommandMetadata;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Optional;

/**
 * Command answers come from the aggregate: a command to an automation returns the automation as it
 * left it ({@link AutomationAnswer}, built from the aggregate's own state), so an answer is never
 * stale, on any deployment. Only an answer that must show the automation without changing it (the
 * replay of an {@code Idempotency-Key} whose first answer was lost) asks the aggregate with a command
 * that records nothing.
 */
@Component
class AutomationResponses {

    private final CommandDispatcher commands;

    AutomationResponses(CommandDispatcher commands) {
        this.commands = commands;
    }

    /** The answer a command to an automation returned. */
    static AutomationAnswer answer(Optional<?> result) {
        return result.filter(AutomationAnswer.class::isInstance).map(AutomationAnswer.class::cast)
                .orElseThrow(() -> new IllegalStateException("the automation's command returned no answer"));
    }

    /** The automation as it is now, asked of its aggregate. */
    Mono<AutomationAnswer> current(String workspaceId, String automationId, List<String> teamLimit, ServerWebExchange exchange) {
        return commands.send(new DescribeAutomationCommand(automationId, workspaceId, teamLimit),
                CommandMetadata.of(exchange, workspaceId, null)).map(AutomationResponses::answer);
    }

    static HttpHeaders headers(AutomationAnswer answer) {
        HttpHeaders headers = new HttpHeaders();
        headers.setETag(answer.etag());
        return headers;
    }
}
