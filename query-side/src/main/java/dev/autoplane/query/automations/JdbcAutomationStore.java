package dev.autoplane.query.automations;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.AutomationView;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/** The automation read model in H2 or PostgreSQL: indexed columns for lookups, the view as JSON. */
public class JdbcAutomationStore implements AutomationStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final String insertIfAbsent;

    public JdbcAutomationStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent("automation_view", List.of("id"),
                "id", "workspace_id", "deleted", "version", "doc");
    }

    @Override
    public void save(AutomationView view) {
        String doc = write(view);
        boolean deleted = view.deleteTime() != null;
        int updated = jdbc.update("UPDATE automation_view SET workspace_id = ?, deleted = ?, version = ?, doc = ?"
                + " WHERE id = ? AND version < ?", view.workspaceId(), deleted, view.version(), doc, view.id(), view.version());
        if (updated == 0) {
            jdbc.update(insertIfAbsent, view.id(), view.workspaceId(), deleted, view.version(), doc);
        }
    }

    @Override
    public void delete(String automationId) {
        jdbc.update("DELETE FROM automation_view WHERE id = ?", automationId);
    }

    @Override
    public Optional<AutomationView> find(String automationId) {
        return jdbc.queryForList("SELECT doc FROM automation_view WHERE id = ?", String.class, automationId)
                .stream().findFirst().map(this::read);
    }

    @Override
    public List<AutomationView> page(String workspaceId, String afterId, boolean includeDeleted, int limit) {
        String sql = "SELECT doc FROM automation_view WHERE workspace_id = ? AND id > ?"
                + (includeDeleted ? "" : " AND deleted = FALSE") + " ORDER BY id LIMIT ?";
        return jdbc.queryForList(sql, String.class, workspaceId, afterId == null ? "" : afterId, limit)
                .stream().map(this::read).toList();
    }

    @Override
    public void clear() {
        jdbc.update("DELETE FROM automation_view");
    }

    private String write(AutomationView view) {
        return JsonDocuments.write(mapper, view);
    }

    private AutomationView read(String doc) {
        return JsonDocuments.read(mapper, doc, AutomationView.class);
    }
}
