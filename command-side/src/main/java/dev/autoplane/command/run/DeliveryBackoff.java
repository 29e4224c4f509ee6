package dev.autoplane.command.run;

import java.time.Duration;
import java.util.List;

/**
 * When push delivery tries again after a transient failure (docs/runs.md "Push delivery"): 5 s, 30 s, 2 min,
 * 10 min, 1 h, then every hour; an endpoint's {@code Retry-After} is honoured instead (at most one hour). The
 * run fails with {@code delivery_failed} once the next try would come more than 24 hours after the attempt
 * started.
 */
public final class DeliveryBackoff {

    static final List<Duration> STEPS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofHours(1));
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private DeliveryBackoff() {
    }

    /** The delay after the {@code failure}-th failed send of an attempt (1-based). */
    public static Duration delay(int failure, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        return STEPS.get(Math.min(Math.max(failure, 1), STEPS.size()) - 1);
    }
}
