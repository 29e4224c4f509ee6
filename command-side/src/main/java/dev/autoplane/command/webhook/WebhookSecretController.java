package dev.autoplane.command.webhook;

import dev.autoplane.events.automation.WebhookCommands.RotateWebhookSecretCommand;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST .../automations/{id}/triggers/{tid}/rotate-secret}: a new signing secret for the endpoint
 * of a webhook trigger (shared by every trigger on that endpoint), shown once; the previous one keeps
 * verifying for {@code grace_period_seconds} (0 to 604800, default 0).
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Schedules and triggers")
class WebhookSecretController {

    static final long MAX_GRACE_SECONDS = 604_800;

    private final WebhookTriggers webhooks;
    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final Clock clock;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final dev.autoplane.platform.access.AccessDirectory directory;

    WebhookSecretController(WebhookTriggers webhooks, CommandDispatcher commands, WorkspaceAccess access, Clock clock,
                            org.springframework.jdbc.core.JdbcTemplate jdbc, dev.autoplane.platform.access.AccessDirectory directory) {
        this.jdbc = jdbc;
        this.directory = directory;
        this.webhooks = webhooks;
        this.commands = commands;
        this.access = access;
        this.clock = clock;
    }

    /** Body of a webhook secret rotation. */
    @Schema(name = "RotateWebhookSecretRequest")
    record RotateRequest(@Schema(description = "0 to 604800, default 0") Long gracePeriodSeconds) {
    }

    @Operation(summary = "Rotate the signing secret of a webhook trigger's endpoint",
            description = "Answers {webhook_secret (shown once), webhook_secret_hash, endpoint_slug, "
                    + "previous_secret_valid_until}. Every trigger on the endpoint shares the secret; the previous one "
                    + "verifies until previous_secret_valid_until (now + grace_period_seconds). 409 for a trigger that "
                    + "is not a webhook trigger.")
    @PostMapping(path = "/triggers/{tid}/rotate-secret")
    Mono<ResponseEntity<Object>> rotate(@PathVariable String ws, @PathVariable String id, @PathVariable String tid,
                                        @RequestBody(required = false) RotateRequest body, ServerWebExchange exchange) {
        long grace = body == null || body.gracePeriodSeconds() == null ? 0 : body.gracePeriodSeconds();
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            return Mono.error(ApiProblem.invalid("grace_period_seconds", "must be 0 to 604800"));
        }
        Instant now = clock.instant();
        Instant until = now.plusSeconds(grace);
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE)
                .flatMap(grant -> Mono.fromCallable(() -> {
                            mayRotateForEveryAutomationOnTheEndpoint(grant, ws, id, tid);
                            return webhooks.rotate(ws, id, tid, until, exchange);
                        })
                        .map(rotated -> rotated.orElseThrow(() -> ApiProblem.conflict("not_a_webhook_trigger",
                                        "trigger " + tid + " of automation " + id + " is not a webhook trigger on an endpoint")))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(rotation -> commands.send(new RotateWebhookSecretCommand(id, ws, tid, rotation.slug(),
                                                rotation.secretHash(), until, grant.principal().actor(), now, grant.teamIds()),
                                        CommandMetadata.of(exchange, ws, null).mergedWith(rotation.metaData()))
                                .map(done -> {
                                    Map<String, Object> answer = new LinkedHashMap<>();
                                    answer.put("endpoint_slug", rotation.slug());
                                    answer.put("webhook_secret", rotation.secret());
                                    answer.put("webhook_secret_hash", rotation.secretHash());
                                    answer.put("previous_secret_valid_until", until);
                                    return ResponseEntity.ok().body((Object) answer);
                                })));
    }

    /**
     * A rotation changes the secret of every trigger on the endpoint and shows the new one: only a person may
     * rotate, and only one whose teams cover every automation on the endpoint (a member limited to teams could
     * otherwise attach a trigger to another team's endpoint and take its secret over).
     */
    private void mayRotateForEveryAutomationOnTheEndpoint(WorkspaceAccess.Grant grant, String ws, String automationId,
                                                          String triggerId) {
        if (!grant.principal().actor().isPerson()) {
            throw ApiProblem.forbidden("only a person may rotate a webhook endpoint's secret (it is shown in the answer)");
        }
        java.util.List<String> sharing = jdbc.queryForList("SELECT DISTINCT o.automation_id FROM webhook_trigger t"
                + " JOIN webhook_trigger o ON o.endpoint_key = t.endpoint_key AND o.deleted = FALSE"
                + " WHERE t.automation_id = ? AND t.trigger_id = ? AND t.workspace_id = ?", String.class, automationId,
                triggerId, ws);
        for (String other : sharing) {
            String team = directory.automation(other).map(dev.autoplane.platform.access.AccessDirectory.AutomationCredential::teamId)
                    .orElse(null);
            if (!grant.coversTeam(team)) {
                throw ApiProblem.forbidden("the endpoint is shared with automations outside your teams: only a member whose"
                        + " teams cover them all may rotate its secret");
            }
        }
    }
}
