package dev.autoplane.events.automation;

/**
 * An event of an automation's own stream: its lifecycle, schedule and triggers, and its fires
 * ({@code AutomationEvents}, {@code ScheduleEvents}, {@code RunEvents}). Projections that follow an
 * automation select by this type, so moving an event class cannot silently drop it from them.
 */
public interface AutomationStreamEvent {

    String automationId();

    String workspaceId();
}
