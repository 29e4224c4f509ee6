package dev.autoplane.query.runs;

import dev.autoplane.query.JdbcDocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.run.RunView;
import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Runs in H2 or PostgreSQL: indexed columns for the listings, the view as JSON. */
public class JdbcRunStore extends JdbcDocumentTable<RunView> implements RunStore {

    private final String insertIfAbsent;
    private final String summaryIfAbsent;
    private final String summary;

    public JdbcRunStore(JdbcTemplate jdbc, ObjectMapper mapper) {
        this(jdbc, mapper, "");
    }

    /** Over the table(s) named with {@code suffix} appended ({@code ""}: the live read model; a rebuild writes a shadow). */
    public JdbcRunStore(JdbcTemplate jdbc, ObjectMapper mapper, String suffix) {
        super(jdbc, mapper, "run_view" + suffix, RunView.class);
        this.summary = "run_summary" + suffix;
        this.insertIfAbsent = SqlDialect.of(jdbc).insertIfAbsent(table, List.of("id"),
                "id", "workspace_id", "automation_id", "trigger_id", "status", "scheduled_at", "version", "doc");
        this.summaryIfAbsent = SqlDialect.of(jdbc).insertIfAbsent(summary, List.of("automation_id"), "automation_id");
    }

    @Override
    public void save(RunView run) {
        String doc = write(run);
        long scheduledAt = RunStore.micros(run.scheduledAt());
        int updated = jdbc.update("UPDATE " + table + " SET workspace_id = ?, automation_id = ?, trigger_id = ?, status = ?,"
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
        StringBuilder sql = new StringBuilder("SELECT doc FROM " + table + " WHERE workspace_id = ?");
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
        jdbc.update("DELETE FROM " + summary + " WHERE automation_id = ?", automationId);
    }

    @Override
    public void clear() {
        super.clear();
        jdbc.update("DELETE FROM " + summary);
    }

    /**
     * Per automation: its row made if absent, then one update adding the counts and, when the delta has a
     * newest run not older than the stored one, taking it (its status is set before its id: both compare
     * with the old id).
     */
    @Override
    public void addToSummaries(Collection<RunSummary> deltas) {
        String counts = RunStore.STATUSES.stream().map(s -> s + " = " + s + " + ?").collect(Collectors.joining(", "));
        String newer = "(last_run_id IS NULL OR last_run_id <= ?)";
        String withRun = "UPDATE " + summary + " SET " + counts
                + ", last_run_status = CASE WHEN " + newer + " THEN ? ELSE last_run_status END"
                + ", last_run_id = CASE WHEN " + newer + " THEN ? ELSE last_run_id END WHERE automation_id = ?";
        String countsOnly = "UPDATE " + summary + " SET " + counts + " WHERE automation_id = ?";
        for (RunSummary d : deltas) {
            List<Object> args = new ArrayList<>();
            RunStore.STATUSES.forEach(s -> args.add(d.counts().get(s)));
            if (d.lastRunId() != null) {
                args.addAll(List.of(d.lastRunId(), d.lastRunStatus(), d.lastRunId(), d.lastRunId()));
            }
            args.add(d.automationId());
            jdbc.update(summaryIfAbsent, d.automationId());
            jdbc.update(d.lastRunId() != null ? withRun : countsOnly, args.toArray());
        }
    }

    @Override
    public Map<String, RunSummary> summaries(Collection<String> automationIds) {
        Map<String, RunSummary> out = new HashMap<>();
        if (automationIds.isEmpty()) {
            return out;
        }
        String marks = automationIds.stream().map(id -> "?").collect(Collectors.joining(", "));
        jdbc.query("SELECT * FROM " + summary + " WHERE automation_id IN (" + marks + ")", rs -> {
            Map<String, Long> counts = new HashMap<>();
            for (String s : RunStore.STATUSES) {
                counts.put(s, rs.getLong(s));
            }
            String automationId = rs.getString("automation_id");
            out.put(automationId, new RunSummary(automationId, rs.getString("last_run_id"),
                    rs.getString("last_run_status"), counts));
        }, automationIds.toArray());
        return out;
    }

}
