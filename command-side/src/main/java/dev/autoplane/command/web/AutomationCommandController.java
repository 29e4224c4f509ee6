package dev.autoplane.command.web;

import dev.autoplane.command.config.CommandTransactionWrites;
import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.command.delivery.DeliveryAddressGuard;
import dev.autoplane.command.delivery.WebhookSigner;
import dev.autoplane.events.automation.AutomationCommands.DeliveryChange;
import dev.autoplane.events.automation.AutomationCommands.RotateDeliverySecretCommand;
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
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;
import dev.autoplane.platform.web.json.Given;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.MetaData;
import org.openapitools.jackson.nullable.JsonNullable;
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

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final DeliveryAddressGuard deliveryGuard;
    private final tools.jackson.databind.ObjectMapper json;
    private final dev.autoplane.command.webhook.WebhookTriggers webhooks;

    AutomationCommandController(CommandDispatcher commands, AutomationResponses responses, WorkspaceAccess access,
                                FieldCipher cipher, SecretHasher hasher, IdempotentRequests idempotency, Clock clock,
                                DeliveryAddressGuard deliveryGuard, tools.jackson.databind.ObjectMapper json,
                                dev.autoplane.command.webhook.WebhookTriggers webhooks) {
        this.deliveryGuard = deliveryGuard;
        this.json = json;
        this.webhooks = webhooks;
        this.commands = commands;
        this.responses = responses;
        this.access = access;
        this.cipher = cipher;
        this.hasher = hasher;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @Operation(summary = "Create an automation",
            description = "Answers 201 {automation, secret}. The raw secret (ap_sk_…) is shown here and in rotate "
                    + "responses only. With Idempotency-Key, a repeat of the same body within 24 h answers the first "
                    + "response and creates nothing; if the first response was lost after the automation was created "
                    + "(the server stopped in between), a repeat answers 201 {automation, secret_unavailable} without "
                    + "the secret, which is stored only as a hash: rotate it.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@PathVariable String ws, @RequestBody Given<AutomationWrite> body,
                                        @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                        ServerWebExchange exchange) {
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE).flatMap(grant -> {
            requireCredentialPermission(grant, body);
            webhooks.requireOperatorForGlobal(body.fields(), exchange); // global webhook triggers are the operators'
            String scope = ws + ":" + grant.principal().actor().id() + ":create-automation";
            return checkDelivery(body).then(Mono.defer(() -> idempotency.handle(scope, idempotencyKey, body.fields(),
                    "automation", (id, metaData) -> createNow(ws, id, body, grant, exchange, metaData),
                    id -> createdEarlier(ws, id, grant, exchange))));
        });
    }

    private Mono<ResponseEntity<Object>> createNow(String ws, String id, Given<AutomationWrite> body, Grant grant,
                                                   ServerWebExchange exchange, MetaData extra) {
        // webhook triggers get their endpoints; an endpoint made here answers its secret once (webhook_secrets)
        var hooks = webhooks.prepareBody(ws, null, commandFields(body), exchange);
        Map<String, Object> fields = hooks.fields();
        Secrets sealed = seal(id, body);
        String secret = SecretTokens.generate(SecretTokens.AUTOMATION_SECRET);
        var cmd = new CreateAutomationCommand(id, ws, fields, sealed.oauthToken(), sealed.delivery(), Ids.newId(),
                hasher.hash(secret), grant.principal().actor(), grant.has(Permission.AUTOMATION_APPROVE), clock.instant(),
                grant.teamIds());
        return commands.send(cmd, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)).mergedWith(extra)
                        .mergedWith(sealed.newKey()).mergedWith(hooks.metaData()))
                .map(AutomationResponses::answer)
                .map(created -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("automation", withSigningSecret(created.automation(), sealed.signingSecret()));
                    answer.put("secret", secret);
                    if (!hooks.secrets().isEmpty()) {
                        answer.put("webhook_secrets", hooks.secrets());
                    }
                    return ResponseEntity.created(URI.create("/api/v1/workspaces/" + ws + "/automations/" + id))
                            .headers(AutomationResponses.headers(created)).body((Object) answer);
                });
    }

    /**
     * The answer to a create whose command committed but whose answer was lost: the automation as it
     * is now, and instead of its secret (stored only as a hash, shown to no one) a note to rotate it.
     */
    private Mono<ResponseEntity<Object>> createdEarlier(String ws, String id, Grant grant, ServerWebExchange exchange) {
        return responses.current(ws, id, grant.teamIds(), exchange).map(current -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("automation", current.automation());
            answer.put("secret_unavailable", "the first answer to this Idempotency-Key was lost after the automation "
                    + "was created; its secret is stored only as a hash and was shown to no one: rotate it with POST "
                    + "/api/v1/workspaces/" + ws + "/automations/" + id + "/secret/rotate");
            return ResponseEntity.created(URI.create("/api/v1/workspaces/" + ws + "/automations/" + id))
                    .headers(AutomationResponses.headers(current)).body((Object) answer);
        });
    }

    @Operation(summary = "Change an automation (partial update)",
            description = "Any writable field, oauth_token (write-only; null clears it) and status. With If-Match, a "
                    + "stale version answers 412. A service account's change goes to pending_approval.")
    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String ws, @PathVariable String id,
                                        @RequestBody Given<AutomationWrite> body,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        RequestParts.automationId(id);
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE).flatMap(grant -> {
            requireCredentialPermission(grant, body);
            webhooks.requireOperatorForGlobal(body.fields(), exchange); // global webhook triggers are the operators'
            return checkDelivery(body).thenReturn(grant);
        }).flatMap(grant -> {
            var hooks = webhooks.prepareBody(ws, id, commandFields(body), exchange);
            if (!hooks.secrets().isEmpty()) { // a PATCH answers the automation alone: no place to show a new secret
                throw ApiProblem.invalid("triggers", "names a webhook endpoint that does not exist yet ("
                        + String.join(", ", hooks.secrets().keySet()) + "): add its first trigger with POST "
                        + ".../automations/{id}/triggers, whose answer shows the endpoint's secret");
            }
            Map<String, Object> changes = hooks.fields();
            boolean clear = body.record().oauthToken().isNull(); // sent as null: clear the token
            Secrets sealed = seal(id, body);
            var cmd = new UpdateAutomationCommand(id, ws, version, changes, sealed.oauthToken(), clear, sealed.delivery(),
                    grant.principal().actor(), grant.has(Permission.AUTOMATION_APPROVE), clock.instant(), grant.teamIds());
            return commands.send(cmd, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange))
                            .mergedWith(sealed.newKey()))
                    .map(AutomationResponses::answer)
                    .map(a -> ResponseEntity.ok().headers(AutomationResponses.headers(a))
                            .body(withSigningSecret(a.automation(), sealed.signingSecret())));
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

    @Operation(summary = "Restore a soft-deleted automation before it is purged",
            description = "Only a deleted automation that is not purged yet; its name must still be free in the workspace (409 name_taken otherwise).")
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
            var cmd = new PurgeAutomationCommand(RequestParts.automationId(id), ws, Preconditions.expectedVersion(ifMatch),
                    grant.principal().actor(), clock.instant(), grant.teamIds());
            // one command: its keys are shredded in its transaction (SubjectKeyShredder)
            return commands.send(cmd, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                    .thenReturn(ResponseEntity.noContent().build());
        });
    }

    @Operation(summary = "Submit a draft for approval (draft → pending_approval)",
            description = "The current draft revision becomes the proposal; a person with automation.approve other than the author approves or rejects it.")
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

    @Operation(summary = "Reject a pending automation (pending_approval → rejected)",
            description = "Needs automation.approve; the author of the proposal may not reject it (403 self_approval). Body {reason} is optional and recorded.")
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

    @Operation(summary = "Pause an active automation (active → paused)",
            description = "While paused, due occurrences are recorded as skipped_paused; resuming applies each source's catch_up_policy to them.")
    @PostMapping(path = "/{id}/pause")
    Mono<ResponseEntity<Object>> pause(@PathVariable String ws, @PathVariable String id,
                                       @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                       ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new PauseAutomationCommand(id, ws, version, grant.principal().actor(), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Resume a paused automation (paused → active)",
            description = "Occurrences skipped while paused run according to each source's catch_up_policy (skip, fire_once, fire_all).")
    @PostMapping(path = "/{id}/resume")
    Mono<ResponseEntity<Object>> resume(@PathVariable String ws, @PathVariable String id,
                                        @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        return act(ws, id, Permission.AUTOMATION_WRITE, exchange, ifMatch,
                (grant, version) -> new ResumeAutomationCommand(id, ws, version, grant.principal().actor(),
                        grant.has(Permission.AUTOMATION_APPROVE), clock.instant(), grant.teamIds()));
    }

    @Operation(summary = "Publish the current draft as the next immutable revision N.0",
            description = "People only; not while a proposal is pending (409 pending_approval), and 409 nothing_to_publish when the draft is already published.")
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
        RequestParts.automationId(id);
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
            return commands.send(cmd, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                    .map(AutomationResponses::answer)
                    .map(rotated -> {
                        Map<String, Object> answer = new LinkedHashMap<>();
                        answer.put("automation", rotated.automation());
                        answer.put("secret", secret);
                        answer.put("previous_secret_valid_until", now.plusSeconds(grace));
                        return ResponseEntity.ok().headers(AutomationResponses.headers(rotated)).body((Object) answer);
                    });
        });
    }

    /** Body of the delivery secret rotation. */
    record RotateDeliverySecretRequest(Long gracePeriodSeconds) {
    }

    @Operation(summary = "Rotate the push delivery signing secret",
            description = "Answers {automation, signing_secret} with the new whsec_ secret once. While the grace lasts "
                    + "(grace_period_seconds, 0 to 604800, default 0) every delivery carries both signatures "
                    + "(space-separated in webhook-signature); previous_secret_valid_until says until when. 409 no_delivery "
                    + "when the automation has no delivery url.")
    @PostMapping(path = "/{id}/delivery/rotate-secret")
    Mono<ResponseEntity<Object>> rotateDeliverySecret(@PathVariable String ws, @PathVariable String id,
                                                      @RequestBody(required = false) Map<String, Object> body,
                                                      @RequestHeader(value = IF_MATCH, required = false) String ifMatch,
                                                      ServerWebExchange exchange) {
        RequestParts.automationId(id);
        Map<String, Object> b = body == null ? Map.of() : body;
        for (String key : b.keySet()) {
            if (!key.equals("grace_period_seconds")) {
                return Mono.error(ApiProblem.invalid(key, "unknown field"));
            }
        }
        Object g = b.get("grace_period_seconds");
        if (g != null && (!(g instanceof Integer || g instanceof Long) || ((Number) g).longValue() < 0
                || ((Number) g).longValue() > 604_800)) {
            return Mono.error(ApiProblem.invalid("grace_period_seconds", "must be a whole number from 0 to 604800"));
        }
        long grace = g == null ? 0 : ((Number) g).longValue();
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, Permission.AUTOMATION_WRITE).flatMap(grant -> {
            if (grant.principal().actor().isServiceAccount()) {
                throw ApiProblem.forbidden("service accounts may not rotate the delivery signing secret");
            }
            String secret = WebhookSigner.newSecret();
            FieldCipher.Sealed sealed = cipher.seal(id, "delivery_signing_secret", secret);
            java.time.Instant now = clock.instant();
            var cmd = new RotateDeliverySecretCommand(id, ws, version, sealed.value(), grace, grant.principal().actor(),
                    grant.teamIds(), now);
            return commands.send(cmd, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange))
                            .mergedWith(CommandTransactionWrites.newSubjectKey(sealed)))
                    .map(AutomationResponses::answer)
                    .map(rotated -> {
                        Map<String, Object> answer = new LinkedHashMap<>();
                        answer.put("automation", rotated.automation());
                        answer.put("signing_secret", secret);
                        answer.put("previous_secret_valid_until", now.plusSeconds(grace));
                        return ResponseEntity.ok().headers(AutomationResponses.headers(rotated)).body((Object) answer);
                    });
        });
    }

    // --- helpers

    /** What a create or change carries encrypted, the new subject key (if any) and the new signing secret to show once. */
    private record Secrets(dev.autoplane.events.common.EncryptedValue oauthToken, DeliveryChange delivery,
                           MetaData newKey, String signingSecret) {
    }

    /**
     * Seals what the body sends encrypted: {@code oauth_token} and, when {@code delivery} sets a URL, a new
     * delivery signing secret; both under the automation's one key (a new one stored by the command, if it commits).
     */
    private Secrets seal(String automationId, Given<AutomationWrite> body) {
        String token = oauthToken(body);
        DeliveryChange delivery = null;
        String url = null;
        boolean deliverySent = body.sent("delivery");
        if (deliverySent) {
            url = deliveryUrl(body.fields().get("delivery"), false); // resolved before (checkDelivery)
        }
        String signingSecret = url == null ? null : WebhookSigner.newSecret();
        Map<String, String> plain = new LinkedHashMap<>();
        if (token != null) {
            plain.put("oauth_token", token);
        }
        if (signingSecret != null) {
            plain.put("delivery_signing_secret", signingSecret);
        }
        Map<String, FieldCipher.Sealed> sealed = plain.isEmpty() ? Map.of() : cipher.sealAll(automationId, plain);
        if (deliverySent) {
            delivery = new DeliveryChange(url, url == null ? null : sealed.get("delivery_signing_secret").value());
        }
        FieldCipher.Sealed any = sealed.values().stream().findFirst().orElse(null);
        return new Secrets(sealed.containsKey("oauth_token") ? sealed.get("oauth_token").value() : null, delivery,
                CommandTransactionWrites.newSubjectKey(any), signingSecret);
    }

    /**
     * The SSRF rule on a {@code delivery.url} sent (its host resolved), off the event loop: DNS may block. Completes
     * empty, or with {@code 400} on {@code delivery.url}.
     */
    private Mono<Void> checkDelivery(Given<AutomationWrite> body) {
        if (body == null || !body.sent("delivery") || body.fields().get("delivery") == null) {
            return Mono.empty();
        }
        return Mono.fromRunnable(() -> deliveryUrl(body.fields().get("delivery"), true))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()).then();
    }

    /**
     * The URL of a {@code delivery} sent ({@code null}: switched off); 400 on {@code delivery.url} when its shape is
     * wrong or (with {@code resolve}) its host resolves to a refused address.
     */
    private String deliveryUrl(Object sent, boolean resolve) {
        if (sent == null) {
            return null;
        }
        if (!(sent instanceof Map<?, ?> m)) {
            throw ApiProblem.invalid("delivery", "must be an object {url} or null");
        }
        for (Object key : m.keySet()) {
            if (!"url".equals(key)) {
                throw ApiProblem.invalid("delivery." + key, "unknown field");
            }
        }
        if (!(m.get("url") instanceof String url)) {
            throw ApiProblem.invalid("delivery.url", "is required: an http or https URL");
        }
        (resolve ? deliveryGuard.check(url) : DeliveryAddressGuard.shapeProblem(url)).ifPresent(problem -> {
            throw ApiProblem.invalid("delivery.url", problem);
        });
        return url;
    }

    /** The automation as answered, with {@code delivery.signing_secret} when this answer set a new one (shown once). */
    @SuppressWarnings("unchecked")
    private Object withSigningSecret(Object automation, String signingSecret) {
        if (signingSecret == null) {
            return automation;
        }
        Map<String, Object> copy = new LinkedHashMap<>(json.convertValue(automation, Map.class));
        Map<String, Object> delivery = new LinkedHashMap<>(copy.get("delivery") instanceof Map<?, ?> d
                ? (Map<String, Object>) d : Map.of());
        delivery.put("signing_secret", signingSecret);
        copy.put("delivery", delivery);
        return copy;
    }


    private Mono<ResponseEntity<Object>> act(String ws, String id, Permission permission, ServerWebExchange exchange,
                                             String ifMatch, java.util.function.BiFunction<Grant, Long, Object> command) {
        RequestParts.automationId(id);
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, permission)
                .flatMap(grant -> sendThenView(ws, id, command.apply(grant, version), exchange, HttpStatus.OK));
    }

    private Mono<ResponseEntity<Object>> sendThenView(String ws, String id, Object command, ServerWebExchange exchange,
                                                      HttpStatus status) {
        return commands.send(command, CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                .map(AutomationResponses::answer)
                .map(a -> ResponseEntity.status(status).headers(AutomationResponses.headers(a)).body((Object) a.automation()));
    }


    /**
     * The command's fields: every field as sent (the aggregate's {@code AutomationFields} judges them
     * all, those that did not bind to {@link AutomationWrite} included), without {@code oauth_token}
     * (the command carries it sealed) and with an id made here for each trigger sent without one.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> commandFields(Given<AutomationWrite> body) {
        Map<String, Object> fields = new HashMap<>(body.fields());
        fields.remove("oauth_token");
        fields.remove("delivery"); // the command carries it apart, with its secret sealed
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

    /** The {@code oauth_token} sent, or {@code null} when none was sent or it was sent as {@code null}. */
    private static String oauthToken(Given<AutomationWrite> body) {
        JsonNullable<String> bound = body.record().oauthToken();
        if (!body.sent("oauth_token") || bound.isNull()) {
            return null;
        }
        // a token of the wrong JSON type did not bind: the rule says so (400 must be a string)
        return TextRules.SECRET.optional("oauth_token", bound.isPresent() ? bound.get() : body.fields().get("oauth_token"));
    }

    /**
     * Authority is judged on what was sent, bound or not: a field needing {@code automation.manage} is
     * refused when present at all, and a mistyped list cannot slip past the check.
     */
    private static void requireCredentialPermission(Grant grant, Given<AutomationWrite> body) {
        if (body == null) {
            throw ApiProblem.badRequest("a JSON object body is required");
        }
        for (String field : AutomationWrite.CREDENTIAL_SETTINGS) {
            if (body.sent(field) && !grant.has(Permission.AUTOMATION_MANAGE)) {
                throw ApiProblem.forbidden("changing " + field + " needs the permission automation.manage");
            }
        }
        // a service account cannot hand out more than it holds, nor widen the teams it is limited to
        if (grant.principal().serviceAccount() != null && body.fields().get("scopes") instanceof java.util.List<?> scopes) {
            for (Object scope : scopes) {
                if (scope instanceof String s && Permission.fromWire(s).filter(p -> !grant.has(p)).isPresent()) {
                    throw ApiProblem.forbidden("a service account cannot grant the scope " + s + " it does not hold");
                }
            }
        }
        if (grant.teamLimited() && body.fields().get("team_scope") instanceof java.util.List<?> teams
                && !grant.teamIds().containsAll(teams)) {
            throw ApiProblem.forbidden("team_scope must stay within your teams " + grant.teamIds());
        }
    }
}
