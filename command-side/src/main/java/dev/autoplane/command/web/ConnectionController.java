package dev.autoplane.command.web;

import dev.autoplane.command.config.CommandTransactionWrites;
import dev.autoplane.command.connection.ConnectionDirectory;
import dev.autoplane.command.crypto.FieldCipher;
import dev.autoplane.events.connection.ConnectionCommands.CreateConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.DeleteConnectionCommand;
import dev.autoplane.events.connection.ConnectionCommands.UpdateConnectionCommand;
import dev.autoplane.events.connection.ConnectionView;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.json.Given;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.MetaData;
import org.openapitools.jackson.nullable.JsonNullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
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
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workspace connections (seed 002): create, read, change, delete, and which automations use them. The
 * credential is write-only: sealed here under the connection's own key, carried by the command as ciphertext,
 * never answered, logged or stored in clear. Rules live in the {@code Connection} aggregate; reads come from
 * the command side's {@link ConnectionDirectory}, the table the rules across aggregates check.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces/{ws}/connections", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Connections", description = "Workspace connections used by automations (credential write-only)")
class ConnectionController {

    static final String CREDENTIAL_FIELD = "connection_credential";
    private static final Set<String> FIELDS = Set.of("name", "provider", "config", "credential");

    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final FieldCipher cipher;
    private final ConnectionDirectory directory;
    private final Clock clock;

    ConnectionController(CommandDispatcher commands, WorkspaceAccess access, FieldCipher cipher,
                         ConnectionDirectory directory, Clock clock) {
        this.commands = commands;
        this.access = access;
        this.cipher = cipher;
        this.directory = directory;
        this.clock = clock;
    }

    @Schema(name = "ConnectionWrite", description = "On create, name and provider are required; on PATCH every field "
            + "is optional (provider cannot change) and credential: null removes the credential.")
    record ConnectionWrite(
            @Schema(example = "Team Slack", maxLength = 200) JsonNullable<String> name,
            @Schema(example = "slack", description = "create only; 1 to 100 of a-z 0-9 _ . -", maxLength = 100)
            JsonNullable<String> provider,
            @Schema(description = "the provider's settings (not secret)", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            JsonNullable<Map<String, Object>> config,
            @Schema(description = "write-only; stored encrypted under the connection's own key", writeOnly = true,
                    maxLength = 8_192) JsonNullable<String> credential) {
    }

    @Operation(summary = "Create a connection (automation.manage)",
            description = "Answers 201 with the connection at version 1; credential is never answered (credential_present says whether one is set).")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> create(@PathVariable String ws, @RequestBody Given<ConnectionWrite> body,
                                        ServerWebExchange exchange) {
        Map<String, Object> f = fields(body);
        return access.require(exchange, ws, Permission.AUTOMATION_MANAGE).flatMap(grant -> {
            String id = Ids.newId();
            String credential = credential(f);
            FieldCipher.Sealed sealed = credential == null ? null : cipher.seal(id, CREDENTIAL_FIELD, credential);
            var cmd = new CreateConnectionCommand(id, ws, string(f, "name"), string(f, "provider"), config(f),
                    sealed == null ? null : sealed.value(), grant.principal().actor(), clock.instant());
            return commands.<ConnectionView>send(cmd, metadata(exchange, ws, sealed))
                    .map(v -> ResponseEntity.created(URI.create("/api/v1/workspaces/" + ws + "/connections/" + id))
                            .body((Object) v.orElseThrow()));
        });
    }

    @Operation(summary = "List the workspace's connections", description = "Oldest first; page_size (1 to 1000, default 50) and page_token.")
    @GetMapping
    Mono<ResponseEntity<Object>> list(@PathVariable String ws,
                                      @RequestParam(name = "page_size", required = false) Integer pageSize,
                                      @RequestParam(name = "page_token", required = false) String pageToken,
                                      ServerWebExchange exchange) {
        int size = pageSize == null ? 50 : pageSize;
        if (size < 1 || size > 1000) {
            throw ApiProblem.invalid("page_size", "must be 1 to 1000");
        }
        if (pageToken != null && !Ids.isWellFormed(pageToken)) {
            throw ApiProblem.invalid("page_token", "is not a token this server issued");
        }
        return access.require(exchange, ws, Permission.AUTOMATION_READ)
                .flatMap(grant -> Mono.fromCallable(() -> directory.list(ws, pageToken, size + 1))
                        .subscribeOn(Schedulers.boundedElastic()))
                .map(found -> {
                    Map<String, Object> page = new LinkedHashMap<>();
                    page.put("connections", found.size() > size ? found.subList(0, size) : found);
                    page.put("next_page_token", found.size() > size ? found.get(size - 1).id() : null);
                    return ResponseEntity.ok((Object) page);
                });
    }

    @Operation(summary = "One connection", description = "The connection without its credential (credential_present "
            + "says whether one is set); 404 connection_not_found when it is deleted or of another workspace.")
    @GetMapping(path = "/{cid}")
    Mono<ResponseEntity<Object>> get(@PathVariable String ws, @PathVariable String cid, ServerWebExchange exchange) {
        connectionId(cid);
        return access.require(exchange, ws, Permission.AUTOMATION_READ)
                .flatMap(grant -> Mono.fromCallable(() -> directory.find(ws, cid)).subscribeOn(Schedulers.boundedElastic()))
                .map(found -> ResponseEntity.ok((Object) found.orElseThrow(() -> notFound(cid))));
    }

    @Operation(summary = "Change a connection (automation.manage)",
            description = "name, config, credential (write-only; null removes it). A change of config or credential makes the "
                    + "next version (automations move to it with .../connections/upgrade). With If-Match, a stale version answers 412.")
    @PatchMapping(path = "/{cid}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    Mono<ResponseEntity<Object>> update(@PathVariable String ws, @PathVariable String cid,
                                        @RequestBody Given<ConnectionWrite> body,
                                        @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                        ServerWebExchange exchange) {
        connectionId(cid);
        Map<String, Object> f = fields(body);
        if (f.containsKey("provider")) {
            throw ApiProblem.invalid("provider", "can only be set on create");
        }
        Long version = Preconditions.expectedVersion(ifMatch);
        return access.require(exchange, ws, Permission.AUTOMATION_MANAGE).flatMap(grant -> {
            String credential = credential(f);
            FieldCipher.Sealed sealed = credential == null ? null : cipher.seal(cid, CREDENTIAL_FIELD, credential);
            boolean clear = f.containsKey("credential") && f.get("credential") == null;
            var cmd = new UpdateConnectionCommand(cid, ws, version, f.containsKey("name") ? string(f, "name") : null,
                    f.containsKey("config") ? config(f) : null, sealed == null ? null : sealed.value(), clear,
                    grant.principal().actor(), clock.instant());
            return commands.<ConnectionView>send(cmd, metadata(exchange, ws, sealed))
                    .map(v -> ResponseEntity.ok((Object) v.orElseThrow()));
        });
    }

    @Operation(summary = "Delete a connection (automation.manage)",
            description = "409 connection_in_use (with blocking_automations) while a published revision of an automation uses it. "
                    + "Otherwise deleted (its key destroyed), answering affected_draft_automations: the drafts that still "
                    + "name it, which cannot be published until it is switched or removed.")
    @DeleteMapping(path = "/{cid}")
    Mono<ResponseEntity<Object>> delete(@PathVariable String ws, @PathVariable String cid, ServerWebExchange exchange) {
        connectionId(cid);
        return access.require(exchange, ws, Permission.AUTOMATION_MANAGE).flatMap(grant -> Mono.fromCallable(() -> {
            if (directory.find(ws, cid).isEmpty()) {
                throw notFound(cid);
            }
            Map<String, List<String>> users = directory.users(ws, cid);
            List<String> blocking = users.entrySet().stream()
                    .filter(e -> e.getValue().contains(ConnectionDirectory.PUBLISHED)).map(Map.Entry::getKey).toList();
            if (!blocking.isEmpty()) {
                throw new ApiProblem(409, "connection_in_use", "Conflict", "connection " + cid + " is used by the published "
                        + "revision of " + blocking.size() + " automation(s): switch or remove it there (fork, edit, publish) first",
                        null, Map.of("blocking_automations", blocking));
            }
            return users.keySet().stream().toList();
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(drafts -> commands.send(
                        new DeleteConnectionCommand(cid, ws, grant.principal().actor(), clock.instant()),
                        CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                .thenReturn(ResponseEntity.ok((Object) Map.of("connection_id", cid, "affected_draft_automations", drafts)))));
    }

    /** Body of count-usage. */
    record CountUsageRequest(List<String> connectionIds) {
    }

    @Operation(summary = "How many automations use each connection",
            description = "Answers {counts: [{connection_id, automation_count}]} in the order asked; an automation counts once "
                    + "whether its draft, its published revision or both use the connection; deleted automations do not count.")
    @PostMapping(path = "/count-usage", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> countUsage(@PathVariable String ws, @RequestBody CountUsageRequest body,
                                            ServerWebExchange exchange) {
        List<String> ids = body == null || body.connectionIds() == null ? List.of() : body.connectionIds();
        if (ids.isEmpty() || ids.size() > 100 || ids.stream().anyMatch(id -> id == null || id.length() > 64)) {
            throw ApiProblem.invalid("connection_ids", "is required: 1 to 100 connection ids");
        }
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            List<Map<String, Object>> counts = new ArrayList<>();
            for (String id : ids) {
                counts.add(Map.of("connection_id", id, "automation_count", directory.users(ws, id).size()));
            }
            return ResponseEntity.ok((Object) Map.of("counts", counts));
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @Operation(summary = "Which automations use a connection, and in which stages",
            description = "Answers {connection_id, automations: [{automation_id, stages: [DRAFT, PUBLISHED], versions}]}.")
    @GetMapping(path = "/{cid}/usage")
    Mono<ResponseEntity<Object>> traceUsage(@PathVariable String ws, @PathVariable String cid, ServerWebExchange exchange) {
        connectionId(cid);
        return access.require(exchange, ws, Permission.AUTOMATION_READ).flatMap(grant -> Mono.fromCallable(() -> {
            Map<String, Map<String, Object>> byAutomation = new LinkedHashMap<>();
            for (ConnectionDirectory.Usage u : directory.usage(ws, cid)) {
                Map<String, Object> entry = byAutomation.computeIfAbsent(u.automationId(), k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("automation_id", k);
                    m.put("stages", new ArrayList<String>());
                    m.put("versions", new LinkedHashMap<String, Integer>());
                    return m;
                });
                @SuppressWarnings("unchecked") List<String> stages = (List<String>) entry.get("stages");
                stages.add(u.stage());
                @SuppressWarnings("unchecked") Map<String, Integer> versions = (Map<String, Integer>) entry.get("versions");
                versions.put(u.stage(), u.version());
            }
            return ResponseEntity.ok((Object) Map.of("connection_id", cid, "automations", List.copyOf(byAutomation.values())));
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    // --- helpers

    private static MetaData metadata(ServerWebExchange exchange, String ws, FieldCipher.Sealed sealed) {
        return CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)).mergedWith(CommandTransactionWrites.newSubjectKey(sealed));
    }

    /** The fields sent, each of the right JSON type (or 400 naming it); unknown fields are refused. */
    private static Map<String, Object> fields(Given<ConnectionWrite> body) {
        if (body == null) {
            throw ApiProblem.badRequest("a JSON object body is required");
        }
        for (String key : body.fields().keySet()) {
            if (!FIELDS.contains(key)) {
                throw ApiProblem.invalid(key, "unknown field");
            }
        }
        Map<String, Object> f = body.fields();
        for (String text : List.of("name", "provider", "credential")) {
            if (f.get(text) != null && !(f.get(text) instanceof String)) {
                throw ApiProblem.invalid(text, "must be a string");
            }
        }
        if (f.get("config") != null && !(f.get("config") instanceof Map<?, ?>)) {
            throw ApiProblem.invalid("config", "must be an object");
        }
        return f;
    }

    private static String string(Map<String, Object> f, String field) {
        return (String) f.get(field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> f) {
        return f.get("config") == null ? Map.of() : (Map<String, Object>) f.get("config");
    }

    /** The credential sent (checked like every secret), or {@code null}. Never logged, never answered. */
    private static String credential(Map<String, Object> f) {
        return TextRules.SECRET.optional("credential", f.get("credential"));
    }

    private static void connectionId(String cid) {
        if (!Ids.isWellFormed(cid)) {
            throw notFound(cid.length() > 64 ? cid.substring(0, 64) + "…" : cid);
        }
    }

    private static ApiProblem notFound(String cid) {
        return new ApiProblem(404, "connection_not_found", "Not found", "connection " + cid + " not found", null, null);
    }
}
