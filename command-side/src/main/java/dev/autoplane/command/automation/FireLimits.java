package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import dev.autoplane.platform.scheduling.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fire limits ({@code fire_limit {max, window}}) of the automation and of each trigger, and the recent
 * fires they are judged against. A window is {@code (s − window, s]}: a fire exactly one window ago
 * no longer counts. Part of the automation's state (snapshotted field by field).
 */
final class FireLimits {

    /** The key of the automation's own limit; other keys are source ids. */
    static final String AUTOMATION = "*";

    /** Recent fire instants per key, oldest first, at most {@link AutomationFields#MAX_FIRE_LIMIT} each. */
    private Map<String, List<Instant>> recentFires = new HashMap<>();

    /** Remembers a fire of {@code sourceId} (null for a manual run) at {@code at}. */
    void remember(String sourceId, Instant at) {
        remember1(AUTOMATION, at);
        if (sourceId != null) {
            remember1(sourceId, at);
        }
    }

    private void remember1(String key, Instant at) {
        List<Instant> fires = recentFires.computeIfAbsent(key, k -> new ArrayList<>());
        fires.add(at);
        while (fires.size() > AutomationFields.MAX_FIRE_LIMIT) {
            fires.remove(0);
        }
    }

    /**
     * Why a fire of {@code sourceId} at {@code s} would exceed the automation's limit or its trigger's
     * own, or {@code null} when it may fire.
     */
    String throttledBy(FireLimit automationLimit, FireLimit triggerLimit, String sourceId, Instant s) {
        String automationLevel = overLimit(automationLimit, recentFires.get(AUTOMATION), s);
        if (automationLevel != null) {
            return "the automation's " + automationLevel;
        }
        String own = sourceId == null ? null : overLimit(triggerLimit, recentFires.get(sourceId), s);
        return own == null ? null : "the trigger's " + own;
    }

    static String overLimit(FireLimit limit, List<Instant> fires, Instant s) {
        if (limit == null || fires == null) {
            return null;
        }
        Duration window = Durations.parse(limit.window()).orElseThrow();
        Instant from = s.minus(window);
        long inWindow = fires.stream().filter(f -> f.isAfter(from) && !f.isAfter(s)).count();
        return inWindow >= limit.max() ? "fire limit of " + limit.max() + " per " + limit.window() + " is reached" : null;
    }
}
