package dev.autoplane.events.automation;

import dev.autoplane.events.common.Actor;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Events of an automation's singleton schedule. Trigger changes are {@code AutomationSettingsChangedEvent}s. */
public final class ScheduleEvents {

    private ScheduleEvents() {
    }

    /**
     * The schedule was set or changed. {@code cursor} is the instant after which its occurrences
     * count (the set time, or just before {@code start_time} when that lies ahead); when only
     * policies or jitter changed, the cursor is the one it had. {@code occurrencesSoFar} is how many
     * occurrences count against an {@code after_occurrences} end: 0 when the timing changed.
     */
    @Revision("1")
    public record AutomationScheduleSetEvent(String automationId, String workspaceId, ScheduleSpec schedule,
                                             boolean enabled, Instant cursor, long occurrencesSoFar, Actor setBy,
                                             Instant setAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationScheduleRemovedEvent(String automationId, String workspaceId, Actor removedBy,
                                                 Instant removedAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationScheduleEnabledEvent(String automationId, String workspaceId, Actor enabledBy,
                                                 Instant enabledAt) implements AutomationStreamEvent {
    }

    @Revision("1")
    public record AutomationScheduleDisabledEvent(String automationId, String workspaceId, Actor disabledBy,
                                                  Instant disabledAt) implements AutomationStreamEvent {
    }
}
