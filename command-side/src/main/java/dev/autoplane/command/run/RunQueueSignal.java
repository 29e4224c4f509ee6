package dev.autoplane.command.run;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Wakes the lease calls waiting on this node when a run of their workspace becomes leasable here
 * (queued by a fire, or back for a retry), once its transaction has committed. Other nodes' runs and
 * retries that come due later are found by the waiting calls' own polling.
 */
@Component
public class RunQueueSignal {

    private final Sinks.Many<String> workspaces = Sinks.many().multicast().directBestEffort();

    /** A run of the workspace is leasable (called after the commit that made it so). */
    void queued(String workspaceId) {
        synchronized (workspaces) { // emissions must not overlap
            workspaces.tryEmitNext(workspaceId);
        }
    }

    /** The workspaces whose runs become leasable from now on. */
    public Flux<String> queued() {
        return workspaces.asFlux();
    }
}
