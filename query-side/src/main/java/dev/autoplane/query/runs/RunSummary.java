package dev.autoplane.query.runs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the automation shows of its runs: its newest run (by id, which is ordered by fire time) with that
 * run's current status, and how many of its runs are in each status now. Kept by the
 * {@link RunProjection} as deltas per projected batch ({@link RunStore#addToSummaries}), so a read costs
 * one row, however many runs the automation has.
 *
 * @param counts a count for every status of {@link RunStore#STATUSES} (zero included)
 */
public record RunSummary(String automationId, String lastRunId, String lastRunStatus, Map<String, Long> counts) {

    public RunSummary {
        Map<String, Long> all = new LinkedHashMap<>();
        for (String status : RunStore.STATUSES) {
            all.put(status, counts == null ? 0L : counts.getOrDefault(status, 0L));
        }
        counts = Map.copyOf(all);
    }

    /** The counts in the order of {@link RunStore#STATUSES} (as the API shows them). */
    public Map<String, Long> orderedCounts() {
        Map<String, Long> ordered = new LinkedHashMap<>();
        RunStore.STATUSES.forEach(s -> ordered.put(s, counts.get(s)));
        return ordered;
    }

    /** Adds {@code delta}: its counts to these, and its newest run if it is not older than this one's. */
    public RunSummary plus(RunSummary delta) {
        Map<String, Long> sum = new LinkedHashMap<>();
        RunStore.STATUSES.forEach(s -> sum.put(s, counts.get(s) + delta.counts.get(s)));
        boolean newer = delta.lastRunId != null && (lastRunId == null || delta.lastRunId.compareTo(lastRunId) >= 0);
        return new RunSummary(automationId, newer ? delta.lastRunId : lastRunId,
                newer ? delta.lastRunStatus : lastRunStatus, sum);
    }
}
