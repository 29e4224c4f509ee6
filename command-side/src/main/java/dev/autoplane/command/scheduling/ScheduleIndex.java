package dev.autoplane.command.scheduling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoplane.events.automation.AutomationEvents.AutomationCreatedEvent;
import dev.autoplane.events.automation.AutomationStreamEvent;
import dev.autoplane.platform.jdbc.SqlDialect;
import dev.autoplane.platform.scheduling.SourceBook;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The engine's index (tables {@code schedule_book} and {@code schedule_due}): per automation the
 * fold of its time sources, and per source the instant it is next due. Derived from the events
 * only ({@link ScheduleIndexProjection}), so it can always be rebuilt from the log; the aggregate stays
 * the judge of what has fired. The engine claims a due source for a short lease before it delivers
 * it ({@link #claim}); writing a source's due row anew ends its claim.
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
    /**
     * Per automation, the text of its book this node last wrote or read, with its parsed state (immutable records).
     * A fire read its book twice (to claim it, to fold the fire into it), and parsing was 5 % of the CPU while firing.
     * A stored text equal to the known one needs no parse; any other (another node's write, a rolled-back one) is
     * parsed. Bounded like the warm automations.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Parsed> parsed;
    private final String upsertBook;
    private final String upsertDue;

    private record Parsed(String text, SourceBook.State state) {
    }

    public ScheduleIndex(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json,
                         @org.springframework.beans.factory.annotation.Value("${autoplane.aggregates.cache-size:10000}") long warm) {
        this.jdbc = jdbc;
        this.json = json;
        this.parsed = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(warm).build();
        this.dialect = SqlDialect.of(jdbc);
        this.upsertBook = dialect.upsert("schedule_book", List.of("automation_id"), "automation_id", "state", "last_sequence");
        this.upsertDue = dialect.upsert("schedule_due", List.of("automation_id", "source_id"), "automation_id", "source_id", "due_at");
    }

    /** Whether other nodes may share this index (PostgreSQL): then claims of other nodes may be alive. */
    public boolean shared() {
        return dialect == SqlDialect.POSTGRESQL;
    }

    public Optional<SourceBook> book(String automationId) {
        return stored(automationId).map(Stored::book);
    }

    /** A book as stored, with the sequence number of the last automation event folded into it (null if unknown). */
    public record Stored(SourceBook book, Long lastSequence) {
    }

    public Optional<Stored> stored(String automationId) {
        return jdbc.query("SELECT state, last_sequence FROM schedule_book WHERE automation_id = ?",
                (rs, n) -> new Stored(read(automationId, rs.getString(1)), (Long) rs.getObject(2, Long.class)), automationId)
                .stream().findFirst();
    }

    /** Calls {@code listener} with the next due instant of every book saved from now on. */
    public void whenDue(Consumer<Instant> listener) {
        dueListeners.add(listener);
    }

    /**
     * Folds one automation event (at aggregate sequence {@code sequence}) into the book and stores what
     * changed. With {@code redelivered} (a tracking processor, which delivers at least once) an event
     * at or below the book's last sequence changes nothing, and every event is recorded as seen.
     */
    public void apply(String automationId, AutomationStreamEvent event, long sequence, boolean redelivered) {
        boolean created = event instanceof AutomationCreatedEvent;
        if (!redelivered && !SourceBook.folds(event)) {
            return; // most commands (a new description, a revision) change nothing the engine needs: no read
        }
        // in the appending transaction a creation has no book yet; behind the log it may have been seen
        Stored stored = created && !redelivered ? null : stored(automationId).orElse(null);
        if (stored != null && stored.lastSequence() != null && stored.lastSequence() >= sequence) {
            return; // seen before (a tracking processor redelivers after a crash)
        }
        SourceBook book = created ? new SourceBook() : stored == null ? null : stored.book();
        if (book == null) {
            return; // created before the index existed: a rebuild from the log picks it up
        }
        // the due rows stored now are the ones the stored book implies
        Map<String, Instant> wasDue = stored == null ? Map.of() : dueRows(automationId, stored.book());
        SourceBook.State before = book.state();
        book.apply(event);
        if (!created && book.state().equals(before)) {
            if (redelivered) { // behind the log, every event must count as seen
                jdbc.update("UPDATE schedule_book SET last_sequence = ? WHERE automation_id = ?", sequence, automationId);
            }
            return; // most commands (a new description, a revision) change nothing the engine needs
        }
        update(automationId, book, sequence, wasDue);
    }

    /**
     * Stores the book as of automation event {@code sequence}, and of its due rows (one per source that is on, not
     * ended, while the book is live) only those whose instant moved (a fire moves its own source's), came or went
     * since {@code wasDue}; a rewritten row's claim ends, the others keep theirs. A fire costs the book's row and
     * its source's, not a delete of every due row of the automation and their inserts. Tells the engine when the
     * book is next due ({@link #whenDue}).
     */
    private void update(String automationId, SourceBook book, long sequence, Map<String, Instant> wasDue) {
        jdbc.update(upsertBook, automationId, write(automationId, book), sequence);
        Map<String, Instant> due = dueRows(automationId, book);
        List<Object[]> moved = new ArrayList<>();
        List<Object[]> added = new ArrayList<>();
        due.forEach((source, at) -> {
            Instant was = wasDue.get(source);
            if (was == null) {
                added.add(new Object[]{automationId, source, Timestamp.from(at)});
            } else if (!was.equals(at)) {
                moved.add(new Object[]{Timestamp.from(at), automationId, source});
            }
        });
        List<Object[]> gone = wasDue.keySet().stream().filter(source -> !due.containsKey(source))
                .map(source -> new Object[]{automationId, source}).toList();
        if (!gone.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM schedule_due WHERE automation_id = ? AND source_id = ?", gone);
        }
        if (!moved.isEmpty()) {
            int[] counts = jdbc.batchUpdate("UPDATE schedule_due SET due_at = ?, claimed_until = NULL"
                    + " WHERE automation_id = ? AND source_id = ?", moved);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) { // the row the book implied was not there: write it
                    added.add(new Object[]{automationId, moved.get(i)[2], moved.get(i)[0]});
                }
            }
        }
        if (!added.isEmpty()) { // an upsert: a row the stored book did not imply must not fail the command
            jdbc.batchUpdate(upsertDue, added);
        }
        book.nextRunAt().ifPresent(next -> dueListeners.forEach(l -> l.accept(next)));
    }

    /** The due row each source of the book implies: none for a source that is off or ended, none at all unless live. */
    private static Map<String, Instant> dueRows(String automationId, SourceBook book) {
        Map<String, Instant> rows = new java.util.LinkedHashMap<>();
        if (!book.isLive()) {
            return rows;
        }
        for (SourceBook.Entry e : book.entries()) {
            if (e.enabled()) {
                e.next().ifPresent(next -> rows.put(e.sourceId(), e.source().dueAt(automationId, e.sourceId(), next)));
            }
        }
        return rows;
    }

    public void delete(String automationId) {
        jdbc.update("DELETE FROM schedule_due WHERE automation_id = ?", automationId);
        jdbc.update("DELETE FROM schedule_book WHERE automation_id = ?", automationId);
        parsed.invalidate(automationId);
    }

    /**
     * Claims up to {@code limit} sources due by {@code now}, earliest first, until {@code claimedUntil},
     * skipping sources another claim holds; the caller commits the claim before it sends any command,
     * so no lock is held while the fire is handled. On PostgreSQL the rows are locked while they are
     * claimed ({@code SKIP LOCKED}), so two nodes never claim the same source at once.
     */
    public List<Due> claim(Instant now, int limit, Instant claimedUntil) {
        String lock = dialect == SqlDialect.POSTGRESQL ? " FOR UPDATE OF d SKIP LOCKED" : "";
        Timestamp at = Timestamp.from(now);
        List<Due> due = jdbc.query("SELECT d.automation_id, d.source_id, d.due_at, b.state FROM schedule_due d"
                        + " JOIN schedule_book b ON b.automation_id = d.automation_id"
                        + " WHERE d.due_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?)"
                        + " ORDER BY d.due_at LIMIT ?" + lock,
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        read(rs.getString(1), rs.getString(4))),
                at, at, limit);
        hold(due, claimedUntil);
        return due;
    }

    /** Holds these sources until {@code until} (a failed delivery waits there before it is tried again). */
    public void hold(List<Due> sources, Instant until) {
        if (!sources.isEmpty()) {
            Timestamp t = Timestamp.from(until);
            jdbc.batchUpdate("UPDATE schedule_due SET claimed_until = ? WHERE automation_id = ? AND source_id = ?",
                    sources.stream().map(d -> new Object[]{t, d.automationId(), d.sourceId()}).toList());
        }
    }

    /** Ends every claim (one node alone on its database starts: no claim can belong to a living node). */
    public void releaseAll() {
        jdbc.update("UPDATE schedule_due SET claimed_until = NULL WHERE claimed_until IS NOT NULL");
    }

    /**
     * The earliest instant a source becomes deliverable (due, and its claim if any ended), if any source is due at
     * all: one index lookup of {@code ready_at}, which the database keeps as the later of the two (migration V21).
     */
    public Optional<Instant> earliest() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(ready_at) FROM schedule_due", Timestamp.class))
                .map(Timestamp::toInstant);
    }

    public void clear() {
        jdbc.update("DELETE FROM schedule_due");
        jdbc.update("DELETE FROM schedule_book");
        parsed.invalidateAll();
    }

    private String write(String automationId, SourceBook book) {
        SourceBook.State state = book.state();
        try {
            String text = json.writeValueAsString(state);
            parsed.put(automationId, new Parsed(text, state));
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a schedule book", e);
        }
    }

    /** The book a stored text holds: parsed once; the text this node wrote or read last for the automation is known. */
    private SourceBook read(String automationId, String text) {
        Parsed known = parsed.getIfPresent(automationId);
        if (known != null && known.text().equals(text)) {
            return SourceBook.from(known.state());
        }
        try {
            SourceBook.State state = json.readValue(text, SourceBook.State.class);
            parsed.put(automationId, new Parsed(text, state));
            return SourceBook.from(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a schedule book", e);
        }
    }
}
