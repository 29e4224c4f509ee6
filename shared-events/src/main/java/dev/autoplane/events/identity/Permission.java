package dev.autoplane.events.identity;

import java.util.Map;
import java.util.Optional;

/** The permissions of API.md "Identity and access", with the seed names that map onto them. */
public enum Permission {
    AUTOMATION_READ("automation.read"),
    AUTOMATION_WRITE("automation.write"),
    AUTOMATION_APPROVE("automation.approve"),
    AUTOMATION_MANAGE("automation.manage"),
    RUN_READ("run.read"),
    RUN_WRITE("run.write"),
    AUDIT_READ("audit.read"),
    WORKSPACE_ADMIN("workspace.admin");

    private static final Map<String, Permission> SEED_ALIASES = Map.of(
            "workspace.automation.manage", AUTOMATION_MANAGE,
            "files.read", AUTOMATION_READ,
            "files.write", AUTOMATION_WRITE);

    private final String wire;

    Permission(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Parses a permission name or one of the seed aliases. */
    public static Optional<Permission> fromWire(String value) {
        for (Permission p : values()) {
            if (p.wire.equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.ofNullable(SEED_ALIASES.get(value));
    }
}
