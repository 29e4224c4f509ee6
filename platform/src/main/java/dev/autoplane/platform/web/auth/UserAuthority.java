package dev.autoplane.platform.web.auth;

import dev.autoplane.events.common.Actor;
import dev.autoplane.events.identity.Role;
import dev.autoplane.platform.access.AccessDirectory;
import dev.autoplane.platform.access.AccessDirectory.WorkspaceRecord;
import dev.autoplane.platform.web.problem.ApiProblem;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Who may act on a user other than themselves: mint or revoke their tokens, list their tokens, add
 * them to one more workspace. The rule (docs/security.md, "Who may do what to whom"):
 * <ul>
 *   <li>the user themselves;</li>
 *   <li>an operator, over anyone;</li>
 *   <li>otherwise a person who is an admin of <em>every</em> workspace the user belongs to, provided the
 *       user belongs to at least one and is not an operator.</li>
 * </ul>
 * A workspace admin therefore never gains power over a user who also belongs to a workspace they do not
 * administer; and because adding an existing user to a workspace needs this same authority, a user's
 * workspaces only grow under someone who already administers all of them. Service accounts have
 * authority over nobody. Decided from the access read model on every request.
 */
@Component
public class UserAuthority {

    private final AccessDirectory directory;
    private final Operators operators;

    public UserAuthority(AccessDirectory directory, Operators operators) {
        this.directory = directory;
        this.operators = operators;
    }

    /** Whether {@code caller} has authority over {@code userId} (blocking: call off the event loop). */
    public boolean over(Actor caller, String userId) {
        if (!caller.isPerson()) {
            return false;
        }
        if (caller.id().equals(userId) || operators.is(caller)) {
            return true;
        }
        if (operators.isOperatorId(userId)) {
            return false;
        }
        List<WorkspaceRecord> workspaces = directory.workspacesOf(userId);
        return !workspaces.isEmpty() && workspaces.stream().allMatch(w -> directory.membership(w.workspaceId(), caller.id())
                .map(m -> m.role() == Role.ADMIN).orElse(false));
    }

    /** The refusal ({@code 403 user_outside_authority}) of a caller without authority over {@code userId}; {@code what} completes "to … you need". */
    public static ApiProblem refusal(String userId, String what) {
        return new ApiProblem(403, "user_outside_authority", "Forbidden", "to " + what + " you need authority over user "
                + userId + ": be an operator, or an admin of every workspace " + userId + " belongs to",
                null, Map.of("user_id", userId));
    }

    /**
     * Whether {@code userId} already exists as far as the identity rules are concerned: named by an
     * earlier membership or token, or an operator (who exist by configuration, so that nobody can claim
     * an operator's id by being first to add it to a workspace).
     */
    public boolean exists(String userId) {
        return operators.isOperatorId(userId) || directory.user(userId).isPresent(); // every member is a user
    }
}
