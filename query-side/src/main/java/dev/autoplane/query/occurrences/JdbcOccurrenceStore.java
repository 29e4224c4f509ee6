package dev.autoplane.query.occurrences;

import dev.autoplane.query.JdbcDocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.run.OccurrenceView;
import dev.autoplane.platform.jdbc.SqlDialect;
import dev.autoplane.query.runs.RunStore;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Occurrences in H2 or PostgreSQL: one row per fire id, the view as JSON. */
public class JdbcOccurrenceStore extends JdbcDocumentTable<OccurrenceView> implements OccurrenceStore {

    private final String upsert;

    public JdbcOccurrenceStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, "");
    }

    /** Over the table(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public JdbcOccurrenceStore(JdbcTemplate jdbc, ObjectMapper mapper, String suffix) {
        super(jdbc, mapper, "occurrence_view" + suffix, OccurrenceView.class);
        this.upsert = SqlDialect.of(jdbc).upsert(table, List.of("fire_id"),
                "fire_id", "workspace_id", "automation_id", "outcome", "scheduled_at", "doc");
    }

    @Override
    public void save(OccurrenceView o) {
        jdbc.update(upsert, o.fireId(), o.workspaceId(), o.automationId(), o.outcome(), RunStore.micros(o.scheduledAt()),
                write(o));
    }

    @Override
    public Optional<OccurrenceView> find(String fireId) {
        return findBy("fire_id", fireId);
    }

    @Override
    public List<OccurrenceView> page(String automationId, String outcome, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT doc FROM " + table + " WHERE automation_id = ?");
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
        return documents(sql.toString(), args.toArray());
    }

    @Override
    public void deleteByAutomation(String automationId) {
        deleteBy("automation_id", automationId);
    }

}
