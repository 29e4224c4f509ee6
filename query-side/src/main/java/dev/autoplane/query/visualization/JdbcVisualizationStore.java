package dev.autoplane.query.visualization;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.query.JdbcDocumentTable;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Optional;

/** Visualizations in H2 or PostgreSQL. */
public class JdbcVisualizationStore extends JdbcDocumentTable<VisualizationView> implements VisualizationStore {

    public JdbcVisualizationStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, "");
    }

    /** Over the table(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public JdbcVisualizationStore(JdbcTemplate jdbc, ObjectMapper mapper, String suffix) {
        super(jdbc, mapper, "automation_visualization" + suffix, VisualizationView.class);
    }

    @Override
    public void save(VisualizationView v) {
        jdbc.update("DELETE FROM " + table + " WHERE automation_id = ?", v.automationId());
        jdbc.update("INSERT INTO " + table + " (automation_id, workspace_id, doc) VALUES (?, ?, ?)",
                v.automationId(), v.workspaceId(), write(v));
    }

    @Override
    public Optional<VisualizationView> find(String automationId) {
        return findBy("automation_id", automationId);
    }

    @Override
    public void delete(String automationId) {
        deleteBy("automation_id", automationId);
    }
}
