package dev.autoplane.command.agent;

import java.util.Locale;

/** Agent names are unique per workspace (case-insensitively); claimed in the command's transaction. */
public interface AgentNameRegistry {

    /** Claims the name for the agent, or throws a {@code 409 name_taken} domain error. */
    void claim(String workspaceId, String name, String agentId);

    void release(String workspaceId, String name, String agentId);

    static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
