package dev.autoplane.command.delivery;

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
 * What push delivery owes, read from the lease queue ({@code run_queue}, kept from the run events) and claimed
 * in short transactions of their own, like the pull executors' claims: due {@code scheduled} runs of automations
 * with a {@code delivery_target} (to lease), and {@code running} runs whose {@code delivery_due_at} has come (to
 * send). A claim reserves a row for a while ({@code claimed_until}); the run aggregate decides the rest.
 */
@Component
public class DeliveryQueue {

    /** A claimed row: the run, its workspace and automation, and (for a send) the delivery's lease id. */
    public record Owed(String runId, String workspaceId, String automationId, String leaseId) {
    }

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final TransactionTemplate shortTransactions;

    public DeliveryQueue(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.dialect = SqlDialect.of(jdbc);
        this.shortTransactions = new TransactionTemplate(transactions);
        this.shortTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Claims up to {@code max} due scheduled runs of push automations (earliest due first), for {@code claim}.
     * The push automations are read first and named in the query ({@value #PUSH_CHUNK} at a time), so each is
     * looked up in {@code ix_run_queue_automation}: joined to {@code delivery_target} (or named by a sub-query),
     * H2 walked every due scheduled run of the queue in {@code due_at} order and looked its automation up, so a
     * backlog of pull runs that nobody leases made every pass (one per run queued) cost the whole backlog.
     */
    public List<Owed> claimToLease(Instant now, int max, Duration claim, java.util.Collection<String> busy) {
        if (max <= 0) {
            return List.of();
        }
        List<String> push = jdbc.queryForList("SELECT automation_id FROM delivery_target", String.class);
        push.removeAll(busy);
        List<Owed> claimed = new ArrayList<>();
        for (int from = 0; from < push.size() && claimed.size() < max; from += PUSH_CHUNK) {
            List<String> chunk = push.subList(from, Math.min(push.size(), from + PUSH_CHUNK));
            claimed.addAll(claim("SELECT q.run_id, q.workspace_id, q.automation_id, q.lease_id FROM run_queue q"
                            + " WHERE q.automation_id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))
                            + ") AND q.status = 'scheduled' AND q.due_at <= ?"
                            + " AND (q.claimed_until IS NULL OR q.claimed_until < ?) ORDER BY q.due_at LIMIT ?",
                    "status = 'scheduled'", chunk, now, max - claimed.size(), claim, List.of()));
        }
        return claimed;
    }

    /** How many push automations one lease claim names (a long list is claimed in parts, each earliest first). */
    static final int PUSH_CHUNK = 500;

    /**
     * Claims up to {@code max} sends that are owed now (running runs leased by delivery), for {@code claim}. The
     * lower bound on {@code delivery_due_at} is there for H2: with an upper bound alone it walks, in
     * {@code ix_run_queue_delivery}, every running run without a send owed (each pull lease) before the first
     * that has one.
     */
    public List<Owed> claimToSend(Instant now, int max, Duration claim, java.util.Collection<String> busy) {
        return claim("SELECT q.run_id, q.workspace_id, q.automation_id, q.lease_id FROM run_queue q"
                        + " WHERE q.status = 'running' AND q.delivery_due_at >= ?"
                        + " AND q.delivery_due_at <= ?"
                        + " AND (q.claimed_until IS NULL OR q.claimed_until < ?)" + except(busy)
                        + " ORDER BY q.delivery_due_at LIMIT ?",
                "status = 'running' AND delivery_due_at IS NOT NULL", List.of(Timestamp.from(Instant.EPOCH)), now, max, claim, busy);
    }

    /** Leaves out the automations at their in-flight limit on this node, so they cannot crowd out the others. */
    private static String except(java.util.Collection<String> busy) {
        return busy.isEmpty() ? "" : " AND q.automation_id NOT IN ("
                + String.join(", ", java.util.Collections.nCopies(busy.size(), "?")) + ")";
    }

    /** Runs {@code select} with {@code leading} arguments, then now twice, then {@code busy}, then {@code max}. */
    private List<Owed> claim(String select, String stillOwed, List<?> leading, Instant now, int max, Duration claim,
                             java.util.Collection<String> busy) {
        if (max <= 0) {
            return List.of();
        }
        List<Owed> claimed = shortTransactions.execute(status -> {
            String sql = select + (dialect == SqlDialect.POSTGRESQL ? " FOR UPDATE OF q SKIP LOCKED" : "");
            List<Object> args = new ArrayList<Object>(leading);
            args.add(Timestamp.from(now));
            args.add(Timestamp.from(now));
            args.addAll(busy);
            args.add(max);
            List<Owed> rows = jdbc.query(sql, (rs, n) -> new Owed(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4)), args.toArray());
            List<Owed> mine = new ArrayList<>();
            for (Owed row : rows) {
                int n = jdbc.update("UPDATE run_queue SET claimed_until = ? WHERE run_id = ? AND " + stillOwed
                                + " AND (claimed_until IS NULL OR claimed_until < ?)",
                        Timestamp.from(now.plus(claim)), row.runId(), Timestamp.from(now));
                if (n == 1) {
                    mine.add(row);
                }
            }
            return mine;
        });
        return claimed == null ? List.of() : claimed;
    }

    /** Gives a claim back (it could not be worked on now). */
    public void release(String runId) {
        shortTransactions.executeWithoutResult(status ->
                jdbc.update("UPDATE run_queue SET claimed_until = NULL WHERE run_id = ?", runId));
    }
}
