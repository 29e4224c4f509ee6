package dev.autoplane.query.automations;

import dev.autoplane.query.JdbcDocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** The automation read model in H2 or PostgreSQL: indexed columns for lookups, the view as JSON. */
public class JdbcAutomationStore extends JdbcDocumentTable<AutomationView> implements AutomationStore {

    private final String insertIfAbsent;

    public JdbcAutomationStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, "");
    }

    /** Over the table(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public JdbcAutomationStore(JdbcTemplate jdbc, ObjectMapper mapper, String suffix) {
        super(jdbc, mapper, "automation_view" + suffix, AutomationView.class);
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent(table, List.of("id"),
                "id", "workspace_id", "deleted", "version", "doc");
    }

    @Override
    public void save(AutomationView view) {
        String doc = write(view);
        boolean deleted = view.deleteTime() != null;
        int updated = jdbc.update("UPDATE " + table + " SET workspace_id = ?, deleted = ?, version = ?, doc = ?"
                + " WHERE id = ? AND version < ?", view.workspaceId(), deleted, view.version(), doc, view.id(), view.version());
        if (updated == 0) {
            jdbc.update(insertIfAbsent, view.id(), view.workspaceId(), deleted, view.version(), doc);
        }
    }

    @Override
    public void delete(String automationId) {
        deleteBy("id", automationId);
    }

    @Override
    public Optional<AutomationView> find(String automationId) {
        return findBy("id", automationId);
    }

    @Override
    public List<AutomationView> page(String workspaceId, String afterId, boolean includeDeleted, int limit) {
        String sql = "SELECT doc FROM " + table + " WHERE workspace_id = ? AND id > ?"
                + (includeDeleted ? "" : " AND deleted = FALSE") + " ORDER BY id LIMIT ?";
        return documents(sql, workspaceId, afterId == null ? "" : afterId, limit);
    }

}
