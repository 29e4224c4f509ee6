package dev.autoplane.command.automation;

import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * Names in a command-side table whose primary key is (workspace, lower-cased name). Writes join the
 * command's transaction: a command that fails claims and releases nothing.
 */
@Repository
class JdbcAutomationNameRegistry implements AutomationNameRegistry {

    private final JdbcTemplate jdbc;
    private final String insertIfAbsent;

    JdbcAutomationNameRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent("automation_name",
                List.of("workspace_id", "name_key"), "workspace_id", "name_key", "automation_id");
    }

    @Override
    public void claim(String workspaceId, String name, String automationId) {
        String key = AutomationNameRegistry.key(name);
        List<String> owner = List.of();
        for (int attempt = 0; attempt < 2 && owner.isEmpty(); attempt++) {
            try {
                jdbc.update(insertIfAbsent, workspaceId, key, automationId);
            } catch (DuplicateKeyException e) {
                // H2: a concurrent transaction claimed the same key and committed while we waited for its lock
            }
            owner = jdbc.queryForList("SELECT automation_id FROM automation_name WHERE workspace_id = ? AND name_key = ?",
                    String.class, workspaceId, key);
            // empty: the concurrent claim rolled back; try once more
        }
        if (owner.isEmpty() || !owner.get(0).equals(automationId)) {
            throw AutomationErrors.nameTaken(name.strip());
        }
    }

    @Override
    public void release(String workspaceId, String name, String automationId) {
        jdbc.update("DELETE FROM automation_name WHERE workspace_id = ? AND name_key = ? AND automation_id = ?",
                workspaceId, AutomationNameRegistry.key(name), automationId);
    }
}
