package dev.autoplane.query.audit;

import dev.autoplane.query.audit.AuditChain.StoredEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code audit_log} table (docs/audit.md): the index of every event by workspace, aggregate, type and
 * actor in the audit position order, and each event's link of its workspace's hash chain. Rows point at
 * the events in the event store ({@code domain_event_entry}) by global index; what the audit endpoints
 * show is read from there, so it is the log itself, not a copy.
 */
public class AuditLog {

    /** One row of the index. */
    public record Entry(long seq, long globalIndex, String workspaceId, String eventId, String aggregateId,
                        String aggregateType, String eventType, String actorId, long occurredMicros, String hash) {
    }

    /** What the listing may be narrowed to; {@code null} fields do not narrow. */
    public record Filter(String aggregateId, String aggregateType, String eventType, String actor, Instant since,
                         Instant until) {
        public static final Filter NONE = new Filter(null, null, null, null, null, null);
    }

    /** The answer of {@link #verify}. */
    public record Verification(long verified, Entry firstBroken) {
    }

    private static final String EVENT_COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "type, payload_type, payload_revision, time_stamp, payload, meta_data";

    private static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(rs.getLong("seq"), rs.getLong("global_index"),
            rs.getString("workspace_id"), rs.getString("event_id"), rs.getString("aggregate_id"),
            rs.getString("aggregate_type"), rs.getString("event_type"), rs.getString("actor_id"),
            rs.getLong("occurred_us"), rs.getString("hash"));

    private static final RowMapper<StoredEvent> STORED = (rs, i) -> new StoredEvent(rs.getLong("global_index"),
            rs.getString("event_identifier"), rs.getString("aggregate_identifier"), rs.getLong("sequence_number"),
            rs.getString("type"), rs.getString("payload_type"), rs.getString("payload_revision"),
            rs.getString("time_stamp"), rs.getBytes("payload"), rs.getBytes("meta_data"));

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    private final String upsertHead;

    public AuditLog(JdbcTemplate jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.upsertHead = dev.autoplane.platform.jdbc.SqlDialect.of(jdbc).upsert("audit_head", List.of("workspace_id"),
                "workspace_id", "seq", "hash");
        this.serializer = serializer;
    }

    // --- writing (the audit-log processor's thread only)

    /** What the writer needs of one event: its stored row, and whether the log already holds it. */
    record Arrival(StoredEvent stored, boolean held) {
    }

    private static final String ARRIVALS = "SELECT " + EVENT_COLUMNS.replaceAll("(\\w+)", "e.$1")
            + ", a.seq AS held FROM domain_event_entry e LEFT JOIN audit_log a ON a.global_index = e.global_index"
            + " WHERE e.event_identifier IN ";

    /**
     * The events' rows in the event store and whether an audit row points at each, by event id: one indexed lookup per
     * event, in one query per {@value #ARRIVALS_CHUNK} ids (the writer asks for a whole batch at its first event). An id
     * the event store does not hold is absent.
     */
    Map<String, Arrival> arrivals(List<String> eventIds) {
        Map<String, Arrival> found = new HashMap<>();
        for (int from = 0; from < eventIds.size(); from += ARRIVALS_CHUNK) {
            List<String> chunk = eventIds.subList(from, Math.min(eventIds.size(), from + ARRIVALS_CHUNK));
            jdbc.query(ARRIVALS + "(" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")", rs -> {
                Arrival a = new Arrival(STORED.mapRow(rs, 0), rs.getObject("held") != null);
                found.put(a.stored().eventId(), a);
            }, chunk.toArray());
        }
        return found;
    }

    private static final int ARRIVALS_CHUNK = 500;

    long nextSeq() {
        Long max = jdbc.queryForObject("SELECT MAX(seq) FROM audit_log", Long.class);
        return max == null ? 1 : max + 1;
    }

    /** The hash of the workspace's last link, {@link AuditChain#GENESIS} before its first (one row of {@code audit_head}). */
    String headHash(String workspaceId) {
        return jdbc.queryForList("SELECT hash FROM audit_head WHERE workspace_id = ?", String.class, workspaceId).stream()
                .findFirst().orElse(AuditChain.GENESIS);
    }

    /** The rows of one batch, in one JDBC batch. */
    void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO audit_log (seq, global_index, workspace_id, event_id, aggregate_id, aggregate_type, "
                        + "event_type, actor_id, occurred_us, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries.stream().map(e -> new Object[]{e.seq(), e.globalIndex(), e.workspaceId(), e.eventId(), e.aggregateId(),
                        e.aggregateType(), e.eventType(), e.actorId(), e.occurredMicros(), e.hash()}).toList());
    }

    /** {@code e} is now its workspace's last link ({@code audit_head}); the writer calls it once per workspace and batch. */
    void moveHead(Entry e) {
        jdbc.update(upsertHead, e.workspaceId(), e.seq(), e.hash());
    }

    // --- reading

    /** The workspace's entries after audit position {@code afterSeq} that the filter accepts, oldest first. */
    public List<Entry> page(String workspaceId, Filter f, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE workspace_id = ? AND seq > ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId, afterSeq));
        if (f.aggregateId() != null) {
            sql.append(" AND aggregate_id = ?");
            args.add(f.aggregateId());
        }
        if (f.aggregateType() != null) {
            sql.append(" AND aggregate_type = ?");
            args.add(f.aggregateType());
        }
        if (f.eventType() != null) {
            sql.append(" AND event_type = ?");
            args.add(f.eventType());
        }
        if (f.actor() != null) {
            sql.append(" AND actor_id = ?");
            args.add(f.actor());
        }
        if (f.since() != null) {
            sql.append(" AND occurred_us >= ?");
            args.add(micros(f.since()));
        }
        if (f.until() != null) {
            sql.append(" AND occurred_us < ?");
            args.add(micros(f.until()));
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ENTRY, args.toArray());
    }

    /** The workspace's last entry, if it has any. */
    public Optional<Entry> head(String workspaceId) {
        return jdbc.query("SELECT a.* FROM audit_head h JOIN audit_log a ON a.seq = h.seq WHERE h.workspace_id = ?", ENTRY,
                workspaceId).stream().findFirst();
    }

    /** The highest audit position of the log ({@code 0}: empty). */
    public long lastSeq() {
        Long max = jdbc.queryForObject("SELECT MAX(seq) FROM audit_log", Long.class);
        return max == null ? 0 : max;
    }

    /** The event store's events behind these entries, by global index (deserialised as the event store does). */
    public Map<Long, DomainEventMessage<?>> events(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Map.of();
        }
        String marks = entries.stream().map(e -> "?").collect(Collectors.joining(","));
        List<StoredEvent> rows = jdbc.query("SELECT " + EVENT_COLUMNS + " FROM domain_event_entry WHERE global_index IN ("
                + marks + ")", STORED, entries.stream().map(Entry::globalIndex).toArray());
        Map<Long, DomainEventMessage<?>> out = new HashMap<>();
        for (StoredEvent row : rows) {
            DomainEventStream stream = EventStreamUtils.upcastAndDeserializeDomainEvents(java.util.stream.Stream.of(
                    new GenericDomainEventEntry<>(row.type(), row.aggregateId(), row.sequenceNumber(), row.eventId(),
                            row.timestamp(), row.payloadType(), row.payloadRevision(), row.payload(), row.metadata())),
                    serializer, NoOpEventUpcaster.INSTANCE);
            if (stream.hasNext()) {
                out.put(row.globalIndex(), stream.next());
            }
        }
        return out;
    }

    /**
     * Recomputes the workspace's chain over its entries that occurred in [since, until) (the whole chain when
     * both are {@code null}), in pages: each link from the stored event and the link before it. The first
     * entry whose stored hash differs from the recomputed one (its event edited, removed or moved, or an entry
     * before it removed) is the first broken link.
     */
    public Verification verify(String workspaceId, Instant since, Instant until) {
        long verified = 0;
        String previous = AuditChain.GENESIS;
        long after = 0;
        Long from = since == null ? null : micros(since);
        Long to = until == null ? null : micros(until);
        while (true) {
            // one page of links with their stored events (LEFT JOIN: a removed event is a broken link)
            List<Object[]> page = jdbc.query("SELECT a.seq, a.global_index AS link_index, a.workspace_id, a.event_id, "
                    + "a.aggregate_id, a.aggregate_type, a.event_type, a.actor_id, a.occurred_us, a.hash, d.global_index, "
                    + "d.event_identifier, d.aggregate_identifier, d.sequence_number, d.type, d.payload_type, "
                    + "d.payload_revision, d.time_stamp, d.payload, d.meta_data FROM audit_log a LEFT JOIN domain_event_entry d "
                    + "ON d.global_index = a.global_index WHERE a.workspace_id = ? AND a.seq > ? ORDER BY a.seq LIMIT ?",
                    (rs, i) -> new Object[]{new Entry(rs.getLong("seq"), rs.getLong("link_index"), rs.getString("workspace_id"),
                            rs.getString("event_id"), rs.getString("aggregate_id"), rs.getString("aggregate_type"),
                            rs.getString("event_type"), rs.getString("actor_id"), rs.getLong("occurred_us"),
                            rs.getString("hash")),
                            rs.getString("event_identifier") == null ? null : STORED.mapRow(rs, i)},
                    workspaceId, after, VERIFY_PAGE);
            for (Object[] row : page) {
                Entry e = (Entry) row[0];
                StoredEvent stored = (StoredEvent) row[1];
                after = e.seq();
                boolean inRange = (from == null || e.occurredMicros() >= from) && (to == null || e.occurredMicros() < to);
                if (inRange) {
                    if (stored == null || !stored.eventId().equals(e.eventId())
                            || !AuditChain.link(previous, stored).equals(e.hash())) {
                        return new Verification(verified, e);
                    }
                    verified++;
                }
                previous = e.hash(); // outside the range: taken as stored; inside: equal to the recomputed one
            }
            if (page.size() < VERIFY_PAGE) {
                return new Verification(verified, null);
            }
        }
    }

    private static final int VERIFY_PAGE = 500;

    /** The automations of the workspace with an event at or before {@code instant}, by id after {@code afterId}. */
    public List<String> automationsAt(String workspaceId, Instant instant, String afterId, int limit) {
        return jdbc.queryForList("SELECT DISTINCT aggregate_id FROM audit_log WHERE workspace_id = ? AND aggregate_type = ?"
                        + " AND aggregate_id > ? AND occurred_us <= ? ORDER BY aggregate_id LIMIT ?", String.class,
                workspaceId, "Automation", afterId == null ? "" : afterId, micros(instant), limit);
    }

    /** Whether a purge destroyed the encryption key {@code keyId} (crypto-shredding: its ciphertexts are gone). */
    public boolean keyDestroyed(String keyId) {
        return !jdbc.queryForList("SELECT key_id FROM subject_key WHERE key_id = ? AND wrapped_key IS NULL", String.class,
                keyId).isEmpty();
    }

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
