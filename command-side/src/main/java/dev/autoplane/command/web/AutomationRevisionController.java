package dev.autoplane.command.web;

import dev.autoplane.command.connection.ConnectionDirectory;
import dev.autoplane.events.automation.RevisionCommands.ConnectionEdit;
import dev.autoplane.events.automation.RevisionCommands.ConnectionSwitch;
import dev.autoplane.events.automation.RevisionCommands.EditAutomationConnectionsCommand;
import dev.autoplane.events.automation.RevisionCommands.ForkAutomationCommand;
import dev.autoplane.events.automation.RevisionCommands.RestoreAutomationRevisionCommand;
import dev.autoplane.events.automation.RevisionCommands.SetAutomationActivationCommand;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Seed 002's revision operations on an automation: the atomic connection edits of a draft, restore, fork, and
 * activation. Translates HTTP into the commands of the automation's {@code Revising} member and answers the
 * automation as the command left it (with its {@code ETag}); the rules are the aggregate's.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Automations", description = "Create, change, approve, publish and delete automations")
class AutomationRevisionController {

    private static final String IF_MATCH = "If-Match";

    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final ConnectionDirectory connections;
    private final Clock clock;

    AutomationRevisionController(CommandDispatcher commands, WorkspaceAccess access, ConnectionDirectory connections,
                                 Clock clock) {
        this.commands = commands;
        this.access = access;
        this.connections = connections;
        this.clock = clock;
    }

    /** Body of add, remove and upgrade. */
    record ConnectionIdsRequest(List<String> connectionIds) {
    }

    /** One switch of a switch body. */
    record SwitchRequestItem(String fromConnectionId, String toConnectionId) {
    }

    /** Body of switch. */
    record SwitchRequest(List<SwitchRequestItem> switches) {
    }

    private static final String ATOMIC = " All or nothing: every problem is reported at once (400 with errors[]) and nothing "
            + "changes; otherwise one new draft revision. Only on a draft: 409 published_automation (with a fork link) on a "
            + "published automation without a draft, 409 pending_approval while a proposal is pending.";

    @Operation(summary = "Add connections to a draft, each at its latest version", description = "{connection_ids}." + ATOMIC)
    @PostMapping(path = "/connections/add", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> add(@PathVariable String ws, @PathVariable String id, @RequestBody ConnectionIdsRequest body,
                                     @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                     ServerWebExchange exchange) {
        return edit(ws, id, ConnectionEdit.ADD, ids(body), List.of(), ifMatch, exchange);
    }

    @Operation(summary = "Remove connections from a draft", description = "{connection_ids}." + ATOMIC)
    @PostMapping(path = "/connections/remove", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> remove(@PathVariable String ws, @PathVariable String id, @RequestBody ConnectionIdsRequest body,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return edit(ws, id, ConnectionEdit.REMOVE, ids(body), List.of(), ifMatch, exchange);
    }

    @Operation(summary = "Move a draft's connections to their latest versions", description = "{connection_ids}; connections "
            + "already at their latest version make no revision." + ATOMIC)
    @PostMapping(path = "/connections/upgrade", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> upgrade(@PathVariable String ws, @PathVariable String id, @RequestBody ConnectionIdsRequest body,
                                         @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                         ServerWebExchange exchange) {
        return edit(ws, id, ConnectionEdit.UPGRADE, ids(body), List.of(), ifMatch, exchange);
    }

    @Operation(summary = "Switch a draft's connections for others (in place, at their latest versions)",
            description = "{switches: [{from_connection_id, to_connection_id}]}." + ATOMIC)
    @PostMapping(path = "/connections/switch", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> switchConnections(@PathVariable String ws, @PathVariable String id,
                                                   @RequestBody SwitchRequest body,
                                                   @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                                   ServerWebExchange exchange) {
        if (body == null || body.switches() == null) {
            throw ApiProblem.invalid("switches", "is required: [{from_connection_id, to_connection_id}]");
        }
        List<ConnectionSwitch> switches = new ArrayList<>();
        for (SwitchRequestItem item : body.switches()) {
            switches.add(item == null ? null : new ConnectionSwitch(item.fromConnectionId(), item.toConnectionId()));
        }
        return edit(ws, id, ConnectionEdit.SWITCH, List.of(), switches, ifMatch, exchange);
    }

    /** Body of restore: the revision to restore ({@code version}, seed 002's name, is accepted too). */
    record RestoreRequest(String revision, String version) {
    }

    @Operation(summary = "Restore a revision as a new draft",
            description = "{revision} (or {version}): a new draft revision whose definition equals that revision's; the "
                    + "automation shows restore_time, restore_version, restore_user_id. 404 revision_not_found; 409 "
                    + "pending_approval; 409 name_taken when the restored name is used by another automation now.")
    @PostMapping(path = "/restore", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> restore(@PathVariable String ws, @PathVariable String id, @RequestBody RestoreRequest body,
                                         @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                         ServerWebExchange exchange) {
        String revision = body == null ? null : body.revision() != null ? body.revision() : body.version();
        if (revision == null || (body.revision() != null && body.version() != null && !body.revision().equals(body.version()))) {
            throw ApiProblem.invalid("revision", "is required: the revision to restore, like 1.0 or 0.3");
        }
        return act(ws, id, ifMatch, exchange, (grant, version) -> new RestoreAutomationRevisionCommand(id, ws, version,
                revision, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Fork the published revision as a new draft",
            description = "A new draft revision from the latest published one, so a published automation can be edited "
                    + "(its connections too). 409 not_published; 409 draft_exists when a newer draft exists already "
                    + "(edit it, or restore the published revision).")
    @PostMapping(path = "/fork")
    Mono<ResponseEntity<Object>> fork(@PathVariable String ws, @PathVariable String id,
                                      @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                      ServerWebExchange exchange) {
        return act(ws, id, ifMatch, exchange, (grant, version) -> new ForkAutomationCommand(id, ws, version,
                grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Activate the published revision (activation_state active)",
            description = "Independent of the status and of approval. 409 not_published when nothing is published.")
    @PostMapping(path = "/activate")
    Mono<ResponseEntity<Object>> activate(@PathVariable String ws, @PathVariable String id,
                                          @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                          ServerWebExchange exchange) {
        return act(ws, id, ifMatch, exchange, (grant, version) -> new SetAutomationActivationCommand(id, ws, version, true,
                grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Deactivate the published revision (activation_state deactivated)",
            description = "While deactivated, due occurrences are recorded as skipped_deactivated and nothing runs: manual "
                    + "runs of the published revision and backfills answer 409 deactivated. People only.")
    @PostMapping(path = "/deactivate")
    Mono<ResponseEntity<Object>> deactivate(@PathVariable String ws, @PathVariable String id,
                                            @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                            ServerWebExchange exchange) {
        return act(ws, id, ifMatch, exchange, (grant, version) -> new SetAutomationActivationCommand(id, ws, version, false,
                grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    // --- helpers

    private Mono<ResponseEntity<Object>> edit(String ws, String id, ConnectionEdit edit, List<String> ids,
                                              List<ConnectionSwitch> switches, String ifMatch, ServerWebExchange exchange) {
        RequestParts.automationId(id);
        Long version = Preconditions.expectedVersion(ifMatch);
        List<String> named = new ArrayList<>(ids);
        switches.stream().filter(s -> s != null && s.toConnectionId() != null).forEach(s -> named.add(s.toConnectionId()));
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE)
                .flatMap(grant -> Mono.fromCallable(() -> connections.latestVersions(ws, named))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(latest -> send(ws, new EditAutomationConnectionsCommand(id, ws, version, edit, ids,
                                switches, latest, grant.principal().actor(), clock.instant(), grant.teamIds()), exchange)));
    }

    private Mono<ResponseEntity<Object>> act(String ws, String id, String ifMatch, ServerWebExchange exchange,
                                             BiFunction<Grant, Long, Object> command) {
        RequestParts.automationId(id);
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE)
                .flatMap(grant -> send(ws, command.apply(grant, version), exchange));
    }

    private Mono<ResponseEntity<Object>> send(String ws, Object command, ServerWebExchange exchange) {
        return commands.send(command, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                .map(AutomationResponses::answer)
                .map(a -> ResponseEntity.ok().headers(AutomationResponses.headers(a)).body((Object) a.automation()));
    }

    private static List<String> ids(ConnectionIdsRequest body) {
        if (body == null || body.connectionIds() == null) {
            throw ApiProblem.invalid("connection_ids", "is required: 1 to 100 connection ids");
        }
        if (body.connectionIds().size() > 100) {
            throw ApiProblem.invalid("connection_ids", "must name 1 to 100 connections");
        }
        for (int i = 0; i < body.connectionIds().size(); i++) {
            String cid = body.connectionIds().get(i);
            if (cid == null || cid.isEmpty() || cid.length() > 64) {
                throw ApiProblem.invalid("connection_ids[" + i + "]", "must be a connection id");
            }
        }
        return List.copyOf(body.connectionIds());
    }

}
