package dev.autoplane.events.common;

import java.util.List;

/**
 * A command to something that lives in a workspace, carrying what the caller addressed and how far
 * they reach: the aggregate refuses (as not found) a command naming another workspace, and (as
 * {@code 403 outside_team_scope}) one from a caller limited to teams that do not include its team.
 * One guard checks every such command before its handler runs (the {@code Automation} aggregate's
 * {@code @CommandHandlerInterceptor}), so no handler can forget it.
 */
public interface WorkspaceScoped {

    /** The workspace the caller addressed. */
    String workspaceId();

    /** The teams the caller is limited to; empty or {@code null}: every team of the workspace. */
    List<String> teamLimit();

    /** Whether a caller with this team limit reaches something of team {@code teamId} (none: only if unlimited). */
    default boolean reachesTeam(String teamId) {
        List<String> limit = teamLimit();
        return limit == null || limit.isEmpty() || (teamId != null && limit.contains(teamId));
    }

    /** Whether the command is meant for a deleted one too (undelete, purge); others find a deleted one gone. */
    default boolean reachesDeleted() {
        return false;
    }
}
