package dev.autoplane.query.runs;

import dev.autoplane.query.JdbcDocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs in H2 or PostgreSQL: indexed columns for the listings, the view as JSON. */
public class JdbcRunStore extends JdbcDocumentTable<RunView> implements RunStore {

    private final String insertIfAbsent;

    public JdbcRunStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        super(jdbc, mapper, "run_view", RunView.class);
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent("run_view", List.of("id"),
                "id", "workspace_id", "automation_id", "trigger_id", "status", "scheduled_at", "version", "doc");
    }

    @Override
    public void save(RunView run) {
        String doc = write(run);
        long scheduledAt = RunStore.micros(run.scheduledAt());
        int updated = jdbc.update("UPDATE run_view SET workspace_id = ?, automation_id = ?, trigger_id = ?, status = ?,"
                        + " scheduled_at = ?, version = ?, doc = ? WHERE id = ? AND version < ?",
                run.workspaceId(), run.automationId(), run.triggerId(), run.status(), scheduledAt, run.version(), doc,
                run.id(), run.version());
        if (updated == 0) {
            jdbc.update(insertIfAbsent, run.id(), run.workspaceId(), run.automationId(), run.triggerId(), run.status(),
                    scheduledAt, run.version(), doc);
        }
    }

    @Override
    public Optional<RunView> find(String runId) {
        return findBy("id", runId);
    }

    @Override
    public List<RunView> page(RunQuery q) {
        StringBuilder sql = new StringBuilder("SELECT doc FROM run_view WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(q.workspaceId()));
        if (q.automationId() != null) {
            sql.append(" AND automation_id = ?");
            args.add(q.automationId());
        }
        if (q.triggerId() != null) {
            sql.append(" AND trigger_id = ?");
            args.add(q.triggerId());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status());
        }
        if (q.since() != null) {
            sql.append(" AND scheduled_at >= ?");
            args.add(RunStore.micros(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND scheduled_at < ?");
            args.add(RunStore.micros(q.until()));
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        return documents(sql.toString(), args.toArray());
    }

    @Override
    public void deleteByAutomation(String automationId) {
        deleteBy("automation_id", automationId);
    }

}
