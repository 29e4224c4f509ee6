package dev.autoplane.query.audit;

import dev.autoplane.query.stream.LiveFeed;
import org.axonframework.eventhandling.EventMessage;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The live tail of the audit log (SSE, docs/audit.md): the entries the {@link AuditLogProjection} commits,
 * published in audit position order after each batch commits, through a {@link LiveFeed}; a subscriber
 * resuming after a position first reads the rows it missed from the {@link AuditLog}.
 */
public class AuditStream {

    /** One entry of the log with its event as the event store gave it to the audit processor. */
    public record Change(AuditLog.Entry entry, EventMessage<?> message) {
    }

    private final AuditLog log;
    private final LiveFeed<Change> feed;

    public AuditStream(AuditLog log, int bufferSize) {
        this.log = log;
        this.feed = new LiveFeed<>(bufferSize);
    }

    void publish(Change change) {
        feed.publish(change.entry().seq(), change);
    }

    /** The workspace's entries that the filter accepts: after {@code afterSeq} (read from the log first), or from now. */
    public Flux<LiveFeed.Item<Change>> changes(String workspaceId, AuditLog.Filter filter, Long afterSeq) {
        Predicate<AuditLog.Entry> accepted = e -> e.workspaceId().equals(workspaceId) && accepts(filter, e);
        return feed.changes(afterSeq, c -> accepted.test(c.entry()), (after, startsAfter) -> Flux.<List<LiveFeed.Change<Change>>, Long>generate(
                () -> {
                    long from = Math.min(Math.max(0, after), log.lastSeq()); // an id beyond the log: from its end
                    startsAfter.accept(from);
                    return from;
                }, (cursor, sink) -> {
                    List<AuditLog.Entry> page = log.page(workspaceId, filter, cursor, 200);
                    Map<Long, ? extends EventMessage<?>> events = log.events(page);
                    sink.next(page.stream().filter(e -> events.containsKey(e.globalIndex()))
                            .map(e -> new LiveFeed.Change<>(e.seq(), new Change(e, events.get(e.globalIndex())))).toList());
                    if (page.size() < 200) {
                        sink.complete();
                    }
                    return page.isEmpty() ? cursor : page.get(page.size() - 1).seq();
                }).concatMapIterable(l -> l).subscribeOn(Schedulers.boundedElastic()));
    }

    static boolean accepts(AuditLog.Filter f, AuditLog.Entry e) {
        return (f.aggregateId() == null || f.aggregateId().equals(e.aggregateId()))
                && (f.aggregateType() == null || f.aggregateType().equals(e.aggregateType()))
                && (f.eventType() == null || f.eventType().equals(e.eventType()))
                && (f.actor() == null || f.actor().equals(e.actorId()))
                && (f.since() == null || e.occurredMicros() >= AuditLog.micros(f.since()))
                && (f.until() == null || e.occurredMicros() < AuditLog.micros(f.until()));
    }

    public void stop() {
        feed.complete();
    }
}
