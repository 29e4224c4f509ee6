package dev.autoplane.command.automation;

import dev.autoplane.platform.jdbc.NameClaims;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Automation names in the command-side table {@code automation_name} ({@link NameClaims}). */
@Repository
class JdbcAutomationNameRegistry implements AutomationNameRegistry {

    private final NameClaims names;

    JdbcAutomationNameRegistry(JdbcTemplate jdbc) {
        this.names = NameClaims.of(jdbc, "automation_name", "automation_id");
    }

    @Override
    public void claim(String workspaceId, String name, String automationId) {
        if (!names.claim(workspaceId, AutomationNameRegistry.key(name), automationId)) {
            throw AutomationErrors.nameTaken(name.strip());
        }
    }

    @Override
    public void release(String workspaceId, String name, String automationId) {
        names.release(workspaceId, AutomationNameRegistry.key(name), automationId);
    }
}
