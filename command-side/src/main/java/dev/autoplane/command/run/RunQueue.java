package dev.autoplane.command.run;

import dev.autoplane.platform.jdbc.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lease queue ({@code run_queue}): one row per open run, kept by {@link RunQueueProjection} in the
 * transaction that appends the run's events. Executors claim due rows in a short transaction of their
 * own ({@link #claim}); the claim only reserves a row for a few seconds, the {@link Run} aggregate then
 * decides the lease. On PostgreSQL the claim skips rows another node has locked ({@code FOR UPDATE SKIP
 * LOCKED}); everywhere the claim is a conditional update, so one row is claimed by one caller at a time.
 */
@Component
public class RunQueue {

    /** A run whose lease has expired (for the sweeper). */
    public record Expired(String runId, String leaseId) {
    }

    /** How long a claim reserves a row while its lease command is on its way. */
    static final Duration CLAIM = Duration.ofSeconds(10);

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final TransactionTemplate shortTransactions;
    private final String insert;

    public RunQueue(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.dialect = SqlDialect.of(jdbc);
        this.shortTransactions = new TransactionTemplate(transactions);
        this.shortTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.insert = dialect.insertIfAbsent("run_queue", List.of("run_id"), "run_id", "workspace_id", "automation_id",
                "team_id", "status", "due_at");
    }

    // --- kept from the run events (in their transaction)

    void scheduled(String runId, String workspaceId, String automationId, String teamId, Instant dueAt) {
        jdbc.update(insert, runId, workspaceId, automationId, teamId, "scheduled", Timestamp.from(dueAt));
    }

    void leased(String runId, String leaseId, Instant expiresAt, Instant deliveryDueAt) {
        jdbc.update("UPDATE run_queue SET status = 'running', lease_id = ?, due_at = ?, claimed_until = NULL,"
                + " delivery_due_at = ? WHERE run_id = ?", leaseId, Timestamp.from(expiresAt),
                deliveryDueAt == null ? null : Timestamp.from(deliveryDueAt), runId);
    }

    void deliveryFailed(String runId, Instant retryAt, Instant expiresAt) {
        jdbc.update("UPDATE run_queue SET due_at = ?, delivery_due_at = ?, claimed_until = NULL WHERE run_id = ?"
                + " AND status = 'running'", Timestamp.from(expiresAt), Timestamp.from(retryAt), runId);
    }

    void extended(String runId, Instant expiresAt) {
        jdbc.update("UPDATE run_queue SET due_at = ? WHERE run_id = ?", Timestamp.from(expiresAt), runId);
    }

    void delegated(String runId) {
        jdbc.update("UPDATE run_queue SET status = 'delegated', delivery_due_at = NULL, claimed_until = NULL"
                + " WHERE run_id = ?", runId);
    }

    void retry(String runId, Instant nextAttemptAt) {
        jdbc.update("UPDATE run_queue SET status = 'scheduled', lease_id = NULL, due_at = ?, claimed_until = NULL,"
                + " delivery_due_at = NULL WHERE run_id = ?", Timestamp.from(nextAttemptAt), runId);
    }

    void remove(String runId) {
        jdbc.update("DELETE FROM run_queue WHERE run_id = ?", runId);
    }

    void removeAutomation(String automationId) {
        jdbc.update("DELETE FROM run_queue WHERE automation_id = ?", automationId);
    }

    // --- read by executors and the sweeper (each in a short transaction of its own)

    /**
     * Reserves up to {@code max} due, unclaimed scheduled runs of the workspace (optionally of one
     * automation; for a caller limited to teams, of those teams), earliest due first, and answers their ids.
     * Commits before returning: no lock is held while the lease commands are handled.
     */
    public List<String> claim(String workspaceId, String automationId, List<String> teamIds, int max, Instant now) {
        List<String> claimed = shortTransactions.execute(status -> {
            StringBuilder sql = new StringBuilder("SELECT run_id FROM run_queue WHERE workspace_id = ?"
                    + " AND status = 'scheduled' AND due_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
                    // runs of an automation with push delivery are leased by the delivery, not by pull executors
                    + " AND NOT EXISTS (SELECT 1 FROM delivery_target t WHERE t.automation_id = run_queue.automation_id)");
            List<Object> args = new ArrayList<>(List.of(workspaceId, Timestamp.from(now), Timestamp.from(now)));
            if (automationId != null) {
                sql.append(" AND automation_id = ?");
                args.add(automationId);
            }
            if (teamIds != null && !teamIds.isEmpty()) {
                sql.append(" AND team_id IN (").append(String.join(", ", teamIds.stream().map(t -> "?").toList()))
                        .append(")");
                args.addAll(teamIds);
            }
            sql.append(" ORDER BY due_at LIMIT ?");
            args.add(max);
            if (dialect == SqlDialect.POSTGRESQL) {
                sql.append(" FOR UPDATE SKIP LOCKED");
            }
            List<String> ids = jdbc.queryForList(sql.toString(), String.class, args.toArray());
            List<String> mine = new ArrayList<>();
            for (String id : ids) {
                int n = jdbc.update("UPDATE run_queue SET claimed_until = ? WHERE run_id = ? AND status = 'scheduled'"
                                + " AND (claimed_until IS NULL OR claimed_until < ?)",
                        Timestamp.from(now.plus(CLAIM)), id, Timestamp.from(now));
                if (n == 1) {
                    mine.add(id);
                }
            }
            return mine;
        });
        return claimed == null ? List.of() : claimed;
    }

    /** Gives a claim back (its lease was refused, e.g. the run was canceled meanwhile). */
    public void release(String runId) {
        shortTransactions.executeWithoutResult(status ->
                jdbc.update("UPDATE run_queue SET claimed_until = NULL WHERE run_id = ?", runId));
    }

    /** Up to {@code limit} running runs whose lease expired before {@code now}. */
    public List<Expired> expired(Instant now, int limit) {
        return jdbc.query("SELECT run_id, lease_id FROM run_queue WHERE status = 'running' AND due_at < ?"
                        + " ORDER BY due_at LIMIT ?",
                (rs, n) -> new Expired(rs.getString(1), rs.getString(2)), Timestamp.from(now), limit);
    }

    public void clear() {
        jdbc.update("DELETE FROM run_queue");
    }
}
