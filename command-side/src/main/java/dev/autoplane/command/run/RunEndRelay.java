package dev.autoplane.command.run;

import dev.autoplane.command.scheduling.ScheduleIndex;
import dev.autoplane.events.run.RunCommands.CancelRunByOverlapCommand;
import dev.autoplane.events.run.RunCommands.NoteRunEndedCommand;
import dev.autoplane.events.run.RunEvents.RunCancelRecordedEvent;
import dev.autoplane.events.run.RunEvents.RunCanceledEvent;
import dev.autoplane.events.run.RunEvents.RunCompletedEvent;
import dev.autoplane.events.run.RunEvents.RunFailedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Tells each side what the other decided, in the same unit of work and database transaction (a
 * subscribing processor, so nothing is lost between the two): when a run ends ({@code completed},
 * {@code failed}, {@code canceled} by a caller) its automation gets a {@link NoteRunEndedCommand}, so the
 * overlap policies judge the runs really open and a {@code buffer_one} occurrence fires; when the
 * automation's {@code cancel_other} policy cancels an open run, the run gets a
 * {@link CancelRunByOverlapCommand}, so no executor can report on it afterwards.
 */
@Component
@ProcessingGroup(RunEndRelay.PROCESSING_GROUP)
public class RunEndRelay {

    public static final String PROCESSING_GROUP = "run-relay";

    private final CommandGateway commands;
    private final ScheduleIndex index;
    private final EventStore events;
    private final Cache automationCache;

    RunEndRelay(CommandGateway commands, ScheduleIndex index, EventStore events,
                @Qualifier("automationCache") Cache automationCache) {
        this.commands = commands;
        this.index = index;
        this.events = events;
        this.automationCache = automationCache;
    }

    @EventHandler
    void on(RunCompletedEvent e) {
        ended(e.automationId(), e.runId(), "completed", null, e.at());
    }

    @EventHandler
    void on(RunFailedEvent e) {
        ended(e.automationId(), e.runId(), "failed", e.error(), e.at());
    }

    @EventHandler
    void on(RunCancelRecordedEvent e) {
        if (!e.byOverlapPolicy()) { // the automation canceled it itself, and knows
            ended(e.automationId(), e.runId(), "canceled", null, e.at());
        }
    }

    @EventHandler
    void on(RunCanceledEvent e) {
        if (events.lastSequenceNumberFor(e.runId()).isPresent()) { // runs fired before runs had a lifecycle have none
            commands.sendAndWait(new CancelRunByOverlapCommand(e.runId(), e.reason(), e.canceledAt()));
        }
    }

    private void ended(String automationId, String runId, String status, String error, Instant at) {
        if (index.book(automationId).isEmpty()) {
            return; // the automation was purged (or predates the index): nobody to tell
        }
        if (index.shared()) {
            automationCache.remove(automationId); // another node may have changed it: decide on its stored state
        }
        commands.sendAndWait(new NoteRunEndedCommand(automationId, runId, status, error, at));
    }
}
