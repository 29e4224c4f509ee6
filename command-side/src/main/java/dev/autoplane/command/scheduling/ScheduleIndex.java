package dev.autoplane.command.scheduling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.platform.jdbc.SqlDialect;
import dev.autoplane.platform.scheduling.SourceBook;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The engine's index (tables {@code schedule_book} and {@code schedule_due}): per automation the
 * fold of its time sources, and per source the instant it is next due. Derived from the events
 * only ({@link ScheduleIndexProjection}, in the transaction that appends them), so it can always be
 * rebuilt from the log; the aggregate stays the judge of what has fired.
 */
@Component
public class ScheduleIndex {

    /** A source that is due, with its automation's book. */
    public record Due(String automationId, String sourceId, Instant dueAt, SourceBook book) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    /** Told the next due instant whenever a book is saved (the engine wakes if it would sleep past it). */
    private final List<Consumer<Instant>> dueListeners = new CopyOnWriteArrayList<>();
    private final SqlDialect dialect;
    private final String upsertBook;

    public ScheduleIndex(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.dialect = SqlDialect.of(jdbc);
        this.upsertBook = dialect.upsert("schedule_book", List.of("automation_id"), "automation_id", "state");
    }

    /** Whether other nodes may write the same automations (a shared PostgreSQL): cached aggregates may be stale. */
    public boolean shared() {
        return dialect == SqlDialect.POSTGRESQL;
    }

    public Optional<SourceBook> book(String automationId) {
        return jdbc.query("SELECT state FROM schedule_book WHERE automation_id = ?",
                (rs, n) -> read(rs.getString(1)), automationId).stream().findFirst();
    }

    /** Calls {@code listener} with the next due instant of every book saved from now on. */
    public void whenDue(Consumer<Instant> listener) {
        dueListeners.add(listener);
    }

    /** Stores the book and the due instants it implies (none for a source that is off, ended or not live). */
    public void save(String automationId, SourceBook book) {
        store(automationId, book);
        book.nextRunAt().ifPresent(next -> dueListeners.forEach(l -> l.accept(next)));
    }

    private void store(String automationId, SourceBook book) {
        jdbc.update(upsertBook, automationId, write(book));
        jdbc.update("DELETE FROM schedule_due WHERE automation_id = ?", automationId);
        if (!book.isLive()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (SourceBook.Entry e : book.entries()) {
            if (!e.enabled()) {
                continue;
            }
            e.next().ifPresent(next -> rows.add(new Object[]{automationId, e.sourceId(),
                    Timestamp.from(e.source().dueAt(automationId, e.sourceId(), next))}));
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO schedule_due (automation_id, source_id, due_at) VALUES (?, ?, ?)", rows);
        }
    }

    public void delete(String automationId) {
        jdbc.update("DELETE FROM schedule_due WHERE automation_id = ?", automationId);
        jdbc.update("DELETE FROM schedule_book WHERE automation_id = ?", automationId);
    }

    /**
     * Up to {@code limit} sources due by {@code now}, earliest first. On PostgreSQL the rows are
     * locked for the caller's transaction and rows another node holds are skipped, so two nodes never
     * deliver the same source at once.
     */
    public List<Due> due(Instant now, int limit) {
        String lock = dialect == SqlDialect.POSTGRESQL ? " FOR UPDATE OF d SKIP LOCKED" : "";
        return jdbc.query("SELECT d.automation_id, d.source_id, d.due_at, b.state FROM schedule_due d"
                        + " JOIN schedule_book b ON b.automation_id = d.automation_id"
                        + " WHERE d.due_at <= ? ORDER BY d.due_at LIMIT ?" + lock,
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), read(rs.getString(4))),
                Timestamp.from(now), limit);
    }

    /** The earliest due instant, if any source is due at all. */
    public Optional<Instant> earliest() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(due_at) FROM schedule_due", Timestamp.class))
                .map(Timestamp::toInstant);
    }

    public void clear() {
        jdbc.update("DELETE FROM schedule_due");
        jdbc.update("DELETE FROM schedule_book");
    }

    private String write(SourceBook book) {
        try {
            return json.writeValueAsString(book.state());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a schedule book", e);
        }
    }

    private SourceBook read(String state) {
        try {
            return SourceBook.from(json.readValue(state, SourceBook.State.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a schedule book", e);
        }
    }
}
