package dev.autoplane.command.web;

import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.events.automation.AutomationCommands.ApproveAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.CreateAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.DeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PauseAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PublishAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.PurgeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RejectAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.ResumeAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.RotateAutomationSecretCommand;
import dev.autoplane.events.automation.AutomationCommands.SubmitAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UndeleteAutomationCommand;
import dev.autoplane.events.automation.AutomationCommands.UpdateAutomationCommand;
import dev.autoplane.events.common.EncryptedValue;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command endpoints of automations: translate HTTP into a command and the outcome back, nothing
 * more. Rules live in the {@code Automation} aggregate.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/automations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Automations", description = "Create, change, approve, publish and delete automations")
class AutomationCommandController {

    private static final String IF_MATCH = "If-Match";

    private final CommandDispatcher commands;
    private final AutomationResponses responses;
    private final WorkspaceAccess access;
    private final FieldCipher cipher;
    private final SecretHasher hasher;
    private final IdempotencyStore idempotency;
    private final JsonMapper json;
    private final Clock clock;

    AutomationCommandController(CommandDispatcher commands, AutomationResponses responses, WorkspaceAccess access,
                                FieldCipher cipher, SecretHasher hasher, IdempotencyStore idempotency,
                                JsonMapper json, Clock clock) {
        this.commands = commands;
        this.responses = responses;
        this.access = access;
        this.cipher = cipher;
        this.hasher = hasher;
        this.idempotency = idempotency;
        this.json = json;
        this.clock = clock;
    }

    @Operation(summary = "Create an automation",
            description = "Answers 201 {automation, secret}. The raw secret (ap_sk_…) is shown here and in rotate "
                    + "responses only. With Idempotency-Key, a repeat of the same body within 24 h answers the first "
                    + "response and creates nothing.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@PathVariable String ws, @RequestBody Map<String, Object> body,
                                        @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                        ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE).flatMap(grant -> {
            requireCredentialPermission(grant, body);
            if (idempotencyKey == null) {
                return createNow(ws, Ids.newId(), body, grant, exchange);
            }
            return idempotentCreate(ws, idempotencyKey, body, grant, exchange);
        });
    }

    private Mono<ResponseEntity<Object>> createNow(String ws, String id, Map<String, Object> body, Grant grant,
                                                   ServerWebExchange exchange) {
        Map<String, Object> fields = withTriggerIds(body);
        EncryptedValue oauthToken = sealOauthToken(id, fields);
        String secret = SecretTokens.generate(SecretTokens.AUTOMATION_SECRET);
        var cmd = new CreateAutomationCommand(id, ws, fields, oauthToken, Ids.newId(), hasher.hash(secret),
                grant.principal().actor(), grant.has(Permission.AUTOMATION_APPROVE), clock.instant(), grant.teamIds());
        return commands.send(cmd, CommandMetadata.of(exchange, ws, reason(exchange)))
                .then(responses.view(ws, id))
                .map(view -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("automation", view);
                    answer.put("secret", secret);
                    return ResponseEntity.created(URI.create("/api/v1/workspaces/" + ws + "/automations/" + id))
                            .headers(AutomationResponses.headers(view)).body((Object) answer);
                });
    }

    private Mono<ResponseEntity<Object>> idempotentCreate(String ws, String key, Map<String, Object> body, Grant grant,
                                                          ServerWebExchange exchange) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            return Mono.error(ApiProblem.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters"));
        }
        String scope = ws + ":" + grant.principal().actor().id() + ":create-automation";
        String hash = requestHash(body);
        return Mono.fromCallable(() -> idempotency.reserve(scope, key, hash, Ids.newId()))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .flatMap(entry -> {
                    if (!entry.requestHash().equals(hash)) {
                        return Mono.error(new ApiProblem(422, "idempotency_key_reused", "Unprocessable content",
                                "this Idempotency-Key was used with a different body", null, null));
                    }
                    if (entry.status() != null && entry.body() != null) {
                        return Mono.just(replay(entry));
                    }
                    // first attempt, or a retry after a crash between the command and the stored answer
                    return createNow(ws, entry.resourceId(), body, grant, exchange)
                            .flatMap(response -> Mono.fromCallable(() -> {
                                idempotency.complete(scope, key, entry.resourceId(), response.getStatusCode().value(),
                                        json.writeValueAsString(response.getBody()));
                                return response;
                            }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                            .onErrorResume(AggregateStreamCreationException.class, e -> waitForAnswer(scope, key, entry.resourceId()))
                            .onErrorResume(e -> !(e instanceof AggregateStreamCreationException),
                                    e -> Mono.fromRunnable(() -> idempotency.release(scope, key))
                                            .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                                            .then(Mono.error(e)));
                });
    }

    /**
     * Another request with the same key created the resource: answer what it answered. If that
     * answer never comes (the server stopped between creating and recording it), say which
     * automation exists: its secret was never shown to anyone and must be rotated.
     */
    private Mono<ResponseEntity<Object>> waitForAnswer(String scope, String key, String resourceId) {
        return Mono.fromCallable(() -> idempotency.find(scope, key).filter(e -> e.body() != null).orElse(null))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .repeatWhenEmpty(50, f -> f.delayElements(java.time.Duration.ofMillis(100)))
                .map(this::replay)
                .switchIfEmpty(Mono.error(new ApiProblem(409, "idempotency_in_progress", "Conflict",
                        "automation " + resourceId + " was created for this Idempotency-Key but its answer is not recorded "
                                + "(still in progress, or interrupted); read the automation, and rotate its secret if the "
                                + "first answer was lost", null, java.util.Map.of("automation_id", resourceId))));
    }

    private ResponseEntity<Object> replay(IdempotencyStore.Entry entry) {
        Object body = json.readValue(entry.body(), Object.class);
        return ResponseEntity.status(entry.status()).header("Idempotent-Replayed", "true").body(body);
    }

    @Operation(summary = "Change an automation (partial update)",
            description = "Any writable field, oauth_token (write-only; null clears it) and status. With If-Match, a "
                    + "stale version answers 412. A service account's change goes to pending_approval.")
    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String ws, @PathVariable String id,
                                        @RequestBody Map<String, Object> body,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE).flatMap(grant -> {
            requireCredentialPermission(grant, body);
            Map<String, Object> changes = withTriggerIds(body);
            boolean clear = changes.containsKey("oauth_token") && changes.get("oauth_token") == null;
            EncryptedValue oauthToken = sealOauthToken(id, changes);
            changes.remove("oauth_token");
            var cmd = new UpdateAutomationCommand(requireId(id), ws, Preconditions.expectedVersion(ifMatch), changes,
                    oauthToken, clear, grant.principal().actor(), grant.has(Permission.AUTOMATION_APPROVE), clock.instant(), grant.teamIds());
            return sendThenView(ws, id, cmd, exchange, HttpStatus.OK);
        });
    }

    @Operation(summary = "Soft-delete an automation", description = "Sets delete_time and purge_time (+30 days). "
            + "With purge=true (workspace admins) the automation is purged now.")
    @DeleteMapping(path = "/{id}")
    Mono<ResponseEntity<Object>> delete(@PathVariable String ws, @PathVariable String id,
                                        @RequestParam(name = "purge", defaultValue = "false") boolean purge,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        if (purge) {
            return purge(ws, id, ifMatch, exchange);
        }
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new DeleteAutomationCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Restore a soft-deleted automation before it is purged")
    @PostMapping(path = "/{id}/undelete")
    Mono<ResponseEntity<Object>> undelete(@PathVariable String ws, @PathVariable String id,
                                          @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                          ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new UndeleteAutomationCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Purge an automation now (workspace admins)",
            description = "Its read models are removed and its encryption keys destroyed; the event history stays for audit.")
    @PostMapping(path = "/{id}/purge")
    Mono<ResponseEntity<Object>> purge(@PathVariable String ws, @PathVariable String id,
                                       @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                       ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.WORKSPACE_ADMIN).flatMap(grant -> {
            var cmd = new PurgeAutomationCommand(requireId(id), ws, Preconditions.expectedVersion(ifMatch),
                    grant.principal().actor(), clock.instant(), grant.teamIds());
            return commands.send(cmd, CommandMetadata.of(exchange, ws, reason(exchange)))
                    .then(Mono.fromRunnable(() -> cipher.shred(id))
                            .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                    .thenReturn(ResponseEntity.noContent().build());
        });
    }

    @Operation(summary = "Submit a draft for approval (draft → pending_approval)")
    @PostMapping(path = "/{id}/submit")
    Mono<ResponseEntity<Object>> submit(@PathVariable String ws, @PathVariable String id,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new SubmitAutomationCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    /** Body of approve: optionally the revision the approver reviewed. */
    record ApproveRequest(String revision) {
    }

    /** Body of reject: the reason the proposer will read. */
    record RejectRequest(String reason) {
    }

    @Operation(summary = "Approve a pending automation (pending_approval → active)",
            description = "Needs automation.approve; the proposal's author cannot approve it. With {revision}, "
                    + "approves only if that is still the proposed revision (409 otherwise).")
    @PostMapping(path = "/{id}/approve")
    Mono<ResponseEntity<Object>> approve(@PathVariable String ws, @PathVariable String id,
                                         @RequestBody(required = false) ApproveRequest body,
                                         @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                         ServerWebExchange exchange) {
        String revision = body == null ? null : body.revision();
        if (revision != null && !dev.autoplane.events.common.Revision.isValid(revision)) {
            return Mono.error(ApiProblem.invalid("revision", "must look like 1.0 or 0.2"));
        }
        return act(ws, id, Permission.AUTOMATION_APPROVE, exchange, ifMatch,
                (grant, version) -> new ApproveAutomationCommand(id, ws, version, revision, grant.principal().actor(),
                        true, clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Reject a pending automation (pending_approval → rejected)")
    @PostMapping(path = "/{id}/reject")
    Mono<ResponseEntity<Object>> reject(@PathVariable String ws, @PathVariable String id,
                                        @RequestBody(required = false) RejectRequest body,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        String reason = TextRules.REASON.optional("reason", body == null ? null : body.reason());
        return act(ws, id, Permission.AUTOMATION_APPROVE, exchange, ifMatch,
                (grant, version) -> new RejectAutomationCommand(id, ws, version, reason, grant.principal().actor(),
                        true, clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Pause an active automation (active → paused)")
    @PostMapping(path = "/{id}/pause")
    Mono<ResponseEntity<Object>> pause(@PathVariable String ws, @PathVariable String id,
                                       @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                       ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new PauseAutomationCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Resume a paused automation (paused → active)")
    @PostMapping(path = "/{id}/resume")
    Mono<ResponseEntity<Object>> resume(@PathVariable String ws, @PathVariable String id,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new ResumeAutomationCommand(id, ws, version, grant.principal().actor(),
                        grant.has(Permission.AUTOMATION_APPROVE), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Publish the current draft as the next immutable revision N.0")
    @PostMapping(path = "/{id}/publish")
    Mono<ResponseEntity<Object>> publish(@PathVariable String ws, @PathVariable String id,
                                         @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                         ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new PublishAutomationCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    /** Body of secret rotation. */
    record RotateSecretRequest(Long gracePeriodSeconds) {
    }

    @Operation(summary = "Rotate the automation's secret (automation.manage)",
            description = "Answers the new ap_sk_ secret once. The previous secret keeps working until "
                    + "previous_secret_valid_until (now + grace_period_seconds, 0 to 604800, default 0; exclusive) and "
                    + "never after, also across restarts.")
    @PostMapping(path = "/{id}/secret/rotate")
    Mono<ResponseEntity<Object>> rotateSecret(@PathVariable String ws, @PathVariable String id,
                                              @RequestBody(required = false) RotateSecretRequest body,
                                              @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                              ServerWebExchange exchange) {
        requireId(id);
        long grace = body == null || body.gracePeriodSeconds() == null ? 0 : body.gracePeriodSeconds();
        if (grace < 0 || grace > 604_800) {
            return Mono.error(ApiProblem.invalid("grace_period_seconds", "must be 0 to 604800"));
        }
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, Permission.AUTOMATION_MANAGE).flatMap(grant -> {
            String secret = SecretTokens.generate(SecretTokens.AUTOMATION_SECRET);
            java.time.Instant now = clock.instant();
            var cmd = new RotateAutomationSecretCommand(id, ws, version, Ids.newId(), hasher.hash(secret), grace,
                    grant.principal().actor(), grant.teamIds(), now);
            return commands.send(cmd, CommandMetadata.of(exchange, ws, reason(exchange)))
                    .then(responses.view(ws, id))
                    .map(view -> {
                        Map<String, Object> answer = new LinkedHashMap<>();
                        answer.put("automation", view);
                        answer.put("secret", secret);
                        answer.put("previous_secret_valid_until", now.plusSeconds(grace));
                        return ResponseEntity.ok().headers(AutomationResponses.headers(view)).body((Object) answer);
                    });
        });
    }

    // --- helpers

    private Mono<ResponseEntity<Object>> act(String ws, String id, Permission permission, ServerWebExchange exchange,
                                             String ifMatch, java.util.function.BiFunction<Grant, Long, Object> command) {
        requireId(id);
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, permission)
                .flatMap(grant -> sendThenView(ws, id, command.apply(grant, version), exchange, HttpStatus.OK));
    }

    private Mono<ResponseEntity<Object>> sendThenView(String ws, String id, Object command, ServerWebExchange exchange,
                                                      HttpStatus status) {
        return commands.send(command, CommandMetadata.of(exchange, ws, reason(exchange)))
                .then(responses.view(ws, id))
                .map(view -> ResponseEntity.status(status).headers(AutomationResponses.headers(view)).body(view));
    }

    static String requireId(String id) {
        if (!Ids.isWellFormed(id)) {
            throw ApiProblem.notFound("automation " + abbreviate(id) + " not found");
        }
        return id;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** Ids are made at the edge: a trigger given without one gets a new UUIDv7. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withTriggerIds(Map<String, Object> body) {
        Map<String, Object> fields = new HashMap<>(body);
        if (fields.get("triggers") instanceof java.util.List<?> triggers) {
            java.util.List<Object> withIds = new java.util.ArrayList<>(triggers.size());
            for (Object t : triggers) {
                if (t instanceof Map<?, ?> m && !m.containsKey("id")) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                    copy.put("id", Ids.newId());
                    withIds.add(copy);
                } else {
                    withIds.add(t);
                }
            }
            fields.put("triggers", withIds);
        }
        return fields;
    }

    private EncryptedValue sealOauthToken(String automationId, Map<String, Object> fields) {
        if (!fields.containsKey("oauth_token")) {
            return null;
        }
        Object value = fields.remove("oauth_token");
        if (value == null) {
            return null;
        }
        String token = TextRules.SECRET.optional("oauth_token", value);
        return cipher.encrypt(automationId, "oauth_token", token);
    }

    private static void requireCredentialPermission(Grant grant, Map<String, Object> body) {
        if (body == null) {
            throw ApiProblem.badRequest("a JSON object body is required");
        }
        for (String field : java.util.List.of("scopes", "team_scope", "provider_type", "credential_label", "suspended")) {
            if (body.containsKey(field) && !grant.has(Permission.AUTOMATION_MANAGE)) {
                throw ApiProblem.forbidden("changing " + field + " needs the permission automation.manage");
            }
        }
        // a service account cannot hand out more than it holds, nor widen the teams it is limited to
        if (grant.principal().serviceAccount() != null && body.get("scopes") instanceof java.util.List<?> scopes) {
            for (Object scope : scopes) {
                if (scope instanceof String s && Permission.fromWire(s).filter(p -> !grant.has(p)).isPresent()) {
                    throw ApiProblem.forbidden("a service account cannot grant the scope " + s + " it does not hold");
                }
            }
        }
        if (grant.teamLimited() && body.get("team_scope") instanceof java.util.List<?> teams
                && !grant.teamIds().containsAll(teams)) {
            throw ApiProblem.forbidden("team_scope must stay within your teams " + grant.teamIds());
        }
    }

    /** The {@code X-Reason} header, recorded in every event's metadata: checked like any other text field. */
    static String reason(ServerWebExchange exchange) {
        return TextRules.HEADER_REASON.optional("X-Reason", exchange.getRequest().getHeaders().getFirst("X-Reason"));
    }

    private String requestHash(Map<String, Object> body) {
        return requestHash(json, body);
    }

    /** SHA-256 of the body with its keys sorted at every level: the same JSON object, whatever its key order. */
    static String requestHash(JsonMapper json, Map<String, Object> body) {
        try {
            byte[] canonical = json.writeValueAsBytes(canonical(body));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(AutomationCommandController::canonical).toList();
        }
        return value;
    }

}
