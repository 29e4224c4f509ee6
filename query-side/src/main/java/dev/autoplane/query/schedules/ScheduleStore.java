package dev.autoplane.query.schedules;

import java.util.Optional;

/**
 * Where the automation projection keeps each automation's {@link ScheduleBook} (its time sources and
 * how far each has come). Adapters: {@link JdbcScheduleStore} and {@link MongoScheduleStore}.
 */
public interface ScheduleStore {

    /** Inserts or replaces the book, unless the stored one has a higher or equal version. */
    void save(ScheduleBook book);

    Optional<ScheduleBook> find(String automationId);

    void delete(String automationId);

    /** Removes everything (before a replay). */
    void clear();
}
