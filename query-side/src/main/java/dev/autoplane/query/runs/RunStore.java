package dev.autoplane.query.runs;

import dev.autoplane.events.run.RunView;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run read model's port. Adapters: {@link JdbcRunStore} (H2, PostgreSQL) and {@link MongoRunStore}
 * (MongoDB); one contract test suite holds them to the same behaviour.
 */
public interface RunStore {

    /** The statuses a run can be in. */
    List<String> STATUSES = List.of("scheduled", "running", "delegated", "completed", "failed", "canceled");

    /**
     * Which runs to list: one workspace, optionally one automation, one trigger (source id), one status
     * and a window on {@code scheduled_at} ({@code since} inclusive, {@code until} exclusive); ids below
     * {@code beforeId} (the keyset cursor; {@code null} for the first page), newest first.
     */
    record RunQuery(String workspaceId, String automationId, String triggerId, String status, Instant since,
                    Instant until, String beforeId, int limit) {

        public RunQuery before(String id) {
            return new RunQuery(workspaceId, automationId, triggerId, status, since, until, id, limit);
        }

        public RunQuery limit(int n) {
            return new RunQuery(workspaceId, automationId, triggerId, status, since, until, beforeId, n);
        }
    }

    /** Inserts or replaces the run, unless the stored one has a higher or equal version (replays change nothing). */
    void save(RunView run);

    Optional<RunView> find(String runId);

    /** Up to {@code query.limit()} runs matching the query, in descending id order (UUIDv7: newest first). */
    List<RunView> page(RunQuery query);

    /** Removes every run of the automation (it was purged), and its summary. */
    void deleteByAutomation(String automationId);

    /** Removes everything, summaries included (before a replay). */
    void clear();

    /**
     * Adds each delta to its automation's {@link RunSummary} (creating it from zero): the counts are added,
     * the newest run replaced when the delta's is not older. Called once per projected batch.
     */
    void addToSummaries(Collection<RunSummary> deltas);

    /** The summaries of those automations that have any (an automation without runs has none). */
    Map<String, RunSummary> summaries(Collection<String> automationIds);

    /** Epoch microseconds, the precision the stores index instants with. */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
