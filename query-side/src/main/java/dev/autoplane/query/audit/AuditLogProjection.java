package dev.autoplane.query.audit;

import dev.autoplane.events.common.MetadataKeys;
import dev.autoplane.query.audit.AuditChain.StoredEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keeps the {@link AuditLog}: for each event of the log, in the order this processor receives them, one
 * row with its audit position, workspace, aggregate, type and actor, and its link of the workspace's hash
 * chain, computed from the event's row in the event store. A handler of the read models' tracking processor
 * ({@code read-models}: one segment, one thread), so the log is not read once more for it: the only writer, so audit positions are assigned in order and every chain
 * has one serial order without a lock on the appending path; a batch of rows commits with the
 * processor's token. Idempotent: an event whose global index already has a row changes nothing. After
 * each batch commits, its entries go to the live tail ({@link AuditStream}).
 * <p>
 * Not replayable: a chain is written once; rebuilding it would replace what an exported head vouches for.
 */
@ProcessingGroup(AuditLogProjection.PROCESSING_GROUP)
@DisallowReplay
public class AuditLogProjection {

    public static final String PROCESSING_GROUP = dev.autoplane.query.config.QuerySideConfiguration.AUDIT_LOG;

    private final AuditLog log;
    private final AuditStream stream;

    public AuditLogProjection(AuditLog log, AuditStream stream) {
        this.log = log;
        this.stream = stream;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        // by its id, not the tracking token's position: a late-committed event (a gap the token remembered)
        // arrives with a token whose position is the highest index seen, not its own
        Batch batch = batch();
        AuditLog.Arrival arrival = batch.arrivals.remove(message.getIdentifier());
        if (arrival == null) { // not read with the batch (a unit of work of one event)
            arrival = log.arrivals(List.of(message.getIdentifier())).get(message.getIdentifier());
        }
        if (arrival == null) {
            throw new IllegalStateException("event " + message.getIdentifier() + " not in the event store");
        }
        if (arrival.held()) {
            return; // redelivered
        }
        StoredEvent stored = arrival.stored();
        String workspace = workspaceOf(payload, message);
        String hash = AuditChain.link(batch.heads.computeIfAbsent(workspace, log::headHash), stored);
        Object actor = message.getMetaData().get(MetadataKeys.ACTOR_ID);
        AuditLog.Entry entry = new AuditLog.Entry(batch.nextSeq++, stored.globalIndex(), workspace, stored.eventId(),
                stored.aggregateId(), stored.type(), message.getPayloadType().getSimpleName(),
                actor == null ? null : actor.toString(), AuditLog.micros(message.getTimestamp()), hash);
        batch.heads.put(workspace, hash);
        batch.published.add(new AuditStream.Change(entry, message));
    }

    /**
     * What one batch (one transaction) carries from event to event: the next audit position and each
     * workspace's head, read once per batch, and the entries to publish after it commits (in order: after-commit
     * handlers run in reverse order of registration, so there is one). Gone with the batch if it rolls back.
     */
    private static final class Batch {
        long nextSeq;
        /** The stored rows of the batch's events, read in one query at its first event (a batch of the tracking processor). */
        Map<String, AuditLog.Arrival> arrivals = new HashMap<>();
        final Map<String, String> heads = new HashMap<>();
        /** The batch's entries in order: written in one JDBC batch as it commits, published after. */
        final List<AuditStream.Change> published = new ArrayList<>();
    }

    private static final String BATCH = AuditLogProjection.class.getName() + ".batch";

    private Batch batch() {
        if (!CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("the audit log is written in a unit of work");
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(BATCH, k -> {
            Batch b = new Batch();
            b.nextSeq = log.nextSeq();
            if (root instanceof BatchingUnitOfWork<?> events) {
                b.arrivals = log.arrivals(events.getMessages().stream().map(org.axonframework.messaging.Message::getIdentifier).toList());
            }
            root.onPrepareCommit(u -> {
                List<AuditLog.Entry> entries = b.published.stream().map(AuditStream.Change::entry).toList();
                log.append(entries);
                // each workspace's head row is written once: to its last entry of the batch
                entries.stream().collect(Collectors.toMap(AuditLog.Entry::workspaceId, e -> e, (earlier, later) -> later))
                        .values().forEach(log::moveHead);
            });
            root.afterCommit(u -> b.published.forEach(stream::publish));
            return b;
        });
    }

    /** Per record class, the accessor of its {@code String workspaceId} component, if it has one (looked up once per class). */
    private static final ClassValue<java.util.Optional<java.lang.reflect.Method>> WORKSPACE_ACCESSOR = new ClassValue<>() {
        @Override
        protected java.util.Optional<java.lang.reflect.Method> computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return java.util.Optional.empty();
            }
            return java.util.Arrays.stream(type.getRecordComponents())
                    .filter(c -> c.getName().equals("workspaceId") && c.getType() == String.class)
                    .map(java.lang.reflect.RecordComponent::getAccessor).findFirst();
        }
    };

    /** The workspace the event belongs to: its payload's {@code workspaceId}, else the request's; "" for none. */
    static String workspaceOf(Object payload, EventMessage<?> message) {
        var accessor = payload == null ? java.util.Optional.<java.lang.reflect.Method>empty()
                : WORKSPACE_ACCESSOR.get(payload.getClass());
        if (accessor.isPresent()) {
            try {
                Object ws = accessor.get().invoke(payload);
                if (ws != null) {
                    return ws.toString();
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        Object ws = message.getMetaData().get(MetadataKeys.WORKSPACE_ID);
        return ws == null ? "" : ws.toString();
    }
}
