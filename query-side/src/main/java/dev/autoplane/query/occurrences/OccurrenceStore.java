package dev.autoplane.query.occurrences;

import dev.autoplane.events.run.OccurrenceView;

import java.util.List;
import java.util.Optional;

/**
 * The occurrence read model's port: one row per fire id. Adapters: {@link JdbcOccurrenceStore} and
 * {@link MongoOccurrenceStore}; one contract test suite holds them to the same behaviour.
 */
public interface OccurrenceStore {

    /** The outcomes an occurrence can have. */
    List<String> OUTCOMES = List.of("fired", "canceled_other", "skipped_paused", "skipped_overlap", "throttled",
            "missed", "buffered", "skipped_deactivated", "skipped_inactive");

    /** A keyset position: the last occurrence of a page ({@code scheduled_at} in epoch microseconds, fire id). */
    record Cursor(long scheduledAtMicros, String fireId) {
    }

    /** Inserts the occurrence or replaces the one with its fire id (the projection decides which outcome stands). */
    void save(OccurrenceView occurrence);

    Optional<OccurrenceView> find(String fireId);

    /**
     * Up to {@code limit} occurrences of the automation, optionally of one outcome, after {@code after}
     * ({@code null} for the first page), newest first by {@code scheduled_at}, ties by fire id descending.
     */
    List<OccurrenceView> page(String automationId, String outcome, Cursor after, int limit);

    void deleteByAutomation(String automationId);

    /** Removes everything (before a replay). */
    void clear();
}
