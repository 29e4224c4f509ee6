package dev.autoplane.platform.access;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON body of a visible agent, as both sides answer it. */
public final class AgentBody {

    private AgentBody() {
    }

    public static Map<String, Object> of(AccessDirectory.AgentRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.agentId());
        m.put("workspace_id", a.workspaceId());
        m.put("name", a.name());
        m.put("installation_id", a.installationId());
        m.put("team_scope", a.teamScope());
        m.put("role", a.role() == null ? null : a.role().wire());
        m.put("suspended", a.suspended());
        m.put("version", a.version());
        m.put("created_at", a.createdAt());
        m.put("updated_at", a.updatedAt());
        return m;
    }
}
