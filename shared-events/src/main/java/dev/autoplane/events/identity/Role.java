package dev.autoplane.events.identity;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Workspace roles for people, each a set of permissions. */
public enum Role {
    VIEWER(EnumSet.of(Permission.AUTOMATION_READ, Permission.RUN_READ)),
    EDITOR(EnumSet.of(Permission.AUTOMATION_READ, Permission.RUN_READ, Permission.AUTOMATION_WRITE, Permission.RUN_WRITE)),
    APPROVER(EnumSet.of(Permission.AUTOMATION_READ, Permission.RUN_READ, Permission.AUTOMATION_WRITE, Permission.RUN_WRITE,
            Permission.AUTOMATION_APPROVE)),
    /** Reads everything of the workspace, its audit log included, and changes nothing. */
    AUDITOR(EnumSet.of(Permission.AUTOMATION_READ, Permission.RUN_READ, Permission.AUDIT_READ)),
    ADMIN(EnumSet.allOf(Permission.class));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String value) {
        for (Role r : values()) {
            if (r.wire().equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
