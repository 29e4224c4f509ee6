package dev.autoplane.standalone.seeds;

import dev.autoplane.events.identity.Permission;
import dev.autoplane.platform.web.auth.WorkspaceAccess.Grant;

import java.util.Map;

/**
 * The seeds whose create takes {@code enabled} (default true) instead of a status (004, and 003's jobs): it asks for
 * {@code active} when the caller may approve, else for {@code pending_approval}, as {@code /api/v1} would be asked;
 * {@code enabled: false} leaves the automation a draft. The aggregate decides as for any {@code /api/v1} create.
 */
public final class SeedStatus {

    private SeedStatus() {
    }

    /** {@code fields} with the status the seed's {@code enabled} asks for (unless a status was sent). */
    public static Map<String, Object> requested(Map<String, Object> fields, Grant grant) {
        if (!fields.containsKey("status") && !Boolean.FALSE.equals(fields.get("enabled"))) {
            fields.put("status", grant.has(Permission.AUTOMATION_APPROVE) ? "active" : "pending_approval");
        }
        return fields;
    }
}
