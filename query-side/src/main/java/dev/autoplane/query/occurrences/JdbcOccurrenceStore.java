package dev.autoplane.query.occurrences;

import dev.autoplane.query.JsonDocuments;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.platform.jdbc.SqlDialect;
import dev.autoplane.query.runs.RunStore;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Occurrences in H2 or PostgreSQL: one row per fire id, the view as JSON. */
public class JdbcOccurrenceStore implements OccurrenceStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final String upsert;

    public JdbcOccurrenceStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.upsert = SqlDialect.of(jdbc).upsert("occurrence_view", List.of("fire_id"),
                "fire_id", "workspace_id", "automation_id", "outcome", "scheduled_at", "doc");
    }

    @Override
    public void save(OccurrenceView o) {
        jdbc.update(upsert, o.fireId(), o.workspaceId(), o.automationId(), o.outcome(), RunStore.micros(o.scheduledAt()),
                write(o));
    }

    @Override
    public Optional<OccurrenceView> find(String fireId) {
        return jdbc.queryForList("SELECT doc FROM occurrence_view WHERE fire_id = ?", String.class, fireId).stream()
                .findFirst().map(this::read);
    }

    @Override
    public List<OccurrenceView> page(String automationId, String outcome, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT doc FROM occurrence_view WHERE automation_id = ?");
        List<Object> args = new ArrayList<>(List.of(automationId));
        if (outcome != null) {
            sql.append(" AND outcome = ?");
            args.add(outcome);
        }
        if (after != null) {
            sql.append(" AND (scheduled_at < ? OR (scheduled_at = ? AND fire_id < ?))");
            args.addAll(List.of(after.scheduledAtMicros(), after.scheduledAtMicros(), after.fireId()));
        }
        sql.append(" ORDER BY scheduled_at DESC, fire_id DESC LIMIT ?");
        args.add(limit);
        return jdbc.queryForList(sql.toString(), String.class, args.toArray()).stream().map(this::read).toList();
    }

    @Override
    public void deleteByAutomation(String automationId) {
        jdbc.update("DELETE FROM occurrence_view WHERE automation_id = ?", automationId);
    }

    @Override
    public void clear() {
        jdbc.update("DELETE FROM occurrence_view");
    }

    private String write(OccurrenceView o) {
        return JsonDocuments.write(mapper, o);
    }

    private OccurrenceView read(String doc) {
        return JsonDocuments.read(mapper, doc, OccurrenceView.class);
    }
}
