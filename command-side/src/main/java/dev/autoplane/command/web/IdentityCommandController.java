package dev.autoplane.command.web;

import dev.autoplane.events.identity.IdentityCommands.CreateTeamCommand;
import dev.autoplane.events.identity.IdentityCommands.CreateWorkspaceCommand;
import dev.autoplane.events.identity.IdentityCommands.IssuePersonalAccessTokenCommand;
import dev.autoplane.events.identity.IdentityCommands.PutWorkspaceMemberCommand;
import dev.autoplane.events.identity.IdentityCommands.RemoveWorkspaceMemberCommand;
import dev.autoplane.events.identity.IdentityCommands.RevokePersonalAccessTokenCommand;
import dev.autoplane.events.identity.Permission;
import dev.autoplane.events.identity.Role;
import dev.autoplane.platform.Ids;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.axon.CommandDispatcher;
import dev.autoplane.platform.secret.SecretHasher;
import dev.autoplane.platform.secret.SecretTokens;
import dev.autoplane.platform.text.TextRules;
import dev.autoplane.platform.web.auth.AuthenticatedPrincipal;
import dev.autoplane.platform.web.auth.UserAuthority;
import dev.autoplane.platform.web.auth.WorkspaceAccess;
import dev.autoplane.platform.web.problem.ApiProblem;
import dev.autoplane.platform.web.request.CommandMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Command endpoints of workspaces, members, teams and personal access tokens. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Identity", description = "Workspaces, members, teams, personal access tokens")
class IdentityCommandController {

    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}");

    private final CommandDispatcher commands;
    private final WorkspaceAccess access;
    private final AccessDirectory directory;
    private final UserAuthority authority;
    private final SecretHasher hasher;
    private final Clock clock;

    IdentityCommandController(CommandDispatcher commands, WorkspaceAccess access, AccessDirectory directory,
                              UserAuthority authority, SecretHasher hasher, Clock clock) {
        this.commands = commands;
        this.access = access;
        this.directory = directory;
        this.authority = authority;
        this.hasher = hasher;
        this.clock = clock;
    }

    record CreateWorkspaceRequest(String name, String organizationId) {
    }

    @Operation(summary = "Create a workspace; the caller becomes its admin",
            description = "Any person may create a workspace; it gives no power over users of other workspaces (docs/security.md). Service accounts get 403.")
    @PostMapping(path = "/workspaces", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> createWorkspace(@RequestBody CreateWorkspaceRequest body, ServerWebExchange exchange) {
        String name = TextRules.NAME.require("name", body.name());
        TextRules.REFERENCE.optional("organization_id", body.organizationId());
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        requirePerson(principal);
        String id = Ids.newId();
        Instant now = clock.instant();
        return commands.send(new CreateWorkspaceCommand(id, name, body.organizationId(), principal.actor(), now),
                        CommandMetadata.of(exchange, id, RequestParts.reason(exchange)))
                .thenReturn(ResponseEntity.created(URI.create("/api/v1/workspaces/" + id)).body(
                        (Object) workspace(id, name, body.organizationId(), now)));
    }

    record PutMemberRequest(String role, List<String> teamIds) {
    }

    @Operation(summary = "Add a member or change their role and teams (workspace admins)",
            description = "A user id nobody has used yet becomes a new user whose home is this workspace. A user who "
                    + "already exists (a member elsewhere, an operator, or someone with tokens) can be added only by "
                    + "someone with authority over them: an operator, or an admin of every workspace they belong to "
                    + "(403 user_outside_authority otherwise). See docs/security.md.")
    @PutMapping(path = "/workspaces/{ws}/members/{userId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> putMember(@PathVariable String ws, @PathVariable String userId,
                                           @RequestBody PutMemberRequest body, ServerWebExchange exchange) {
        if (!USER_ID.matcher(userId).matches()) {
            throw ApiProblem.invalid("user_id", "must be 1 to 200 characters: letters, digits and . _ @ + -");
        }
        Role role = body.role() == null ? null : Role.fromWire(body.role()).orElse(null);
        if (role == null) {
            throw ApiProblem.invalid("role", "must be one of viewer, editor, approver, auditor, admin");
        }
        List<String> teams = body.teamIds() == null ? List.of() : body.teamIds();
        if (teams.size() > 100 || teams.stream().anyMatch(t -> t == null || !Ids.isWellFormed(t))) {
            throw ApiProblem.invalid("team_ids", "must be at most 100 team ids of this workspace");
        }
        return access.require(exchange, ws, Permission.WORKSPACE_ADMIN)
                .flatMap(grant -> Mono.fromCallable(() -> requireMayAdd(grant.principal(), ws, userId))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(caller -> commands.send(
                                new PutWorkspaceMemberCommand(ws, userId, role, teams, caller.actor(), clock.instant()),
                                CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                        .thenReturn(ResponseEntity.ok((Object) member(ws, userId, role, teams))));
    }

    /**
     * A member of this workspace may always be changed by its admins; a new user id becomes a user
     * whose home is this workspace; an existing user joins only under someone with authority over them
     * (else a workspace admin could collect users and then act on their tokens). A user who belongs to
     * no workspace any more may be re-added by the admins of their home workspace.
     */
    private AuthenticatedPrincipal requireMayAdd(AuthenticatedPrincipal caller, String ws, String userId) {
        if (directory.membership(ws, userId).isPresent() || !authority.exists(userId)
                || authority.over(caller.actor(), userId)) {
            return caller;
        }
        boolean homeless = directory.workspacesOf(userId).isEmpty();
        if (homeless && directory.user(userId).map(u -> ws.equals(u.homeWorkspaceId())).orElse(false)) {
            return caller;
        }
        throw UserAuthority.refusal(userId, "add them to this workspace");
    }

    @Operation(summary = "Remove a member (workspace admins); effective on their next request",
            description = "The member's next request is refused; a workspace keeps at least one admin (409 last_admin). Their tokens stay theirs.")
    @DeleteMapping(path = "/workspaces/{ws}/members/{userId}")
    Mono<ResponseEntity<Object>> removeMember(@PathVariable String ws, @PathVariable String userId,
                                              ServerWebExchange exchange) {
        if (!USER_ID.matcher(userId).matches()) {
            throw ApiProblem.invalid("user_id", "must be 1 to 200 characters: letters, digits and . _ @ + -");
        }
        return access.require(exchange, ws, Permission.WORKSPACE_ADMIN).flatMap(grant -> commands.send(
                        new RemoveWorkspaceMemberCommand(ws, userId, grant.principal().actor(), clock.instant()),
                        CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                .thenReturn(ResponseEntity.noContent().build()));
    }

    record CreateTeamRequest(String name) {
    }

    @Operation(summary = "Create a team (workspace admins)",
            description = "Members and service accounts can be limited to teams; a limited caller acts only on automations of its teams.")
    @PostMapping(path = "/workspaces/{ws}/teams", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> createTeam(@PathVariable String ws, @RequestBody CreateTeamRequest body,
                                            ServerWebExchange exchange) {
        String name = TextRules.NAME.require("name", body.name());
        String teamId = Ids.newId();
        Instant now = clock.instant();
        return access.require(exchange, ws, Permission.WORKSPACE_ADMIN).flatMap(grant -> commands.send(
                        new CreateTeamCommand(ws, teamId, name, grant.principal().actor(), now),
                        CommandMetadata.of(exchange, ws, RequestParts.reason(exchange)))
                .thenReturn(ResponseEntity.created(URI.create("/api/v1/workspaces/" + ws + "/teams/" + teamId))
                        .body((Object) Map.of("id", teamId, "workspace_id", ws, "name", name, "created_at", now))));
    }

    record CreateTokenRequest(String name, String expiresAt, String userId) {
    }

    @Operation(summary = "Create a personal access token (shown once)",
            description = "user_id other than the caller's needs authority over that user: an operator, or an admin of "
                    + "every workspace the user belongs to (403 user_outside_authority otherwise).")
    @PostMapping(path = "/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> createToken(@RequestBody CreateTokenRequest body, ServerWebExchange exchange) {
        String name = TextRules.NAME.require("name", body.name());
        Instant now = clock.instant();
        Instant expiresAt = null;
        if (body.expiresAt() != null) {
            try {
                expiresAt = OffsetDateTime.parse(body.expiresAt()).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiProblem.invalid("expires_at", "must be an RFC 3339 timestamp");
            }
            if (!expiresAt.isAfter(now)) {
                throw ApiProblem.invalid("expires_at", "must be in the future");
            }
        }
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        requirePerson(principal);
        String userId = body.userId() == null ? principal.actor().id() : body.userId();
        if (!USER_ID.matcher(userId).matches()) {
            throw ApiProblem.invalid("user_id", "must be 1 to 200 characters: letters, digits and . _ @ + -");
        }
        Instant expiry = expiresAt;
        Mono<Void> allowed = userId.equals(principal.actor().id()) ? Mono.empty()
                : Mono.fromRunnable(() -> {
                    if (!authority.exists(userId) || !authority.over(principal.actor(), userId)) {
                        throw UserAuthority.refusal(userId, "create tokens for them");
                    }
                }).subscribeOn(Schedulers.boundedElastic()).then();
        String token = SecretTokens.generate(SecretTokens.PERSONAL_ACCESS_TOKEN);
        String tokenId = Ids.newId();
        return allowed.then(commands.send(new IssuePersonalAccessTokenCommand(tokenId, userId, name, hasher.hash(token),
                                expiry, principal.actor(), now),
                        CommandMetadata.of(exchange, null, RequestParts.reason(exchange))))
                .then(Mono.fromSupplier(() -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("id", tokenId);
                    answer.put("token", token);
                    answer.put("name", name);
                    answer.put("user_id", userId);
                    answer.put("expires_at", expiry);
                    answer.put("created_at", now);
                    return ResponseEntity.status(HttpStatus.CREATED).body((Object) answer);
                }));
    }

    @Operation(summary = "Revoke a personal access token; it fails from the next request on",
            description = "Your own tokens, or those of a user you have authority over (an operator, or an admin of every "
                    + "workspace they belong to); any other token id answers 404, as an unknown one does.")
    @DeleteMapping(path = "/tokens/{id}")
    Mono<ResponseEntity<Object>> revokeToken(@PathVariable String id, ServerWebExchange exchange) {
        AuthenticatedPrincipal principal = AuthenticatedPrincipal.of(exchange);
        return Mono.fromCallable(() -> directory.token(id)
                        .filter(t -> authority.over(principal.actor(), t.userId()))
                        .orElseThrow(() -> ApiProblem.notFound("token " + id + " not found")))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(t -> commands.send(new RevokePersonalAccessTokenCommand(id, principal.actor(), clock.instant()),
                        CommandMetadata.of(exchange, null, RequestParts.reason(exchange))))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private static void requirePerson(AuthenticatedPrincipal principal) {
        if (!principal.actor().isPerson()) {
            throw ApiProblem.forbidden("only people can do this");
        }
    }

    static Map<String, Object> workspace(String id, String name, String organizationId, Instant createdAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("organization_id", organizationId);
        m.put("created_at", createdAt);
        return m;
    }

    static Map<String, Object> member(String ws, String userId, Role role, List<String> teams) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workspace_id", ws);
        m.put("user_id", userId);
        m.put("role", role.wire());
        m.put("team_ids", teams);
        return m;
    }

}
