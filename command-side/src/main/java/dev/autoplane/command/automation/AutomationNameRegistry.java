package dev.autoplane.command.automation;

/**
 * Set-based validation owned by the command side: automation names are unique per workspace among
 * non-deleted automations. Claims join the command's transaction, so a rejected command claims nothing.
 */
public interface AutomationNameRegistry {

    /** Claims {@code name} for the automation; throws a {@code name_taken} conflict if another holds it. */
    void claim(String workspaceId, String name, String automationId);

    void release(String workspaceId, String name, String automationId);

    static String key(String name) {
        return name.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
