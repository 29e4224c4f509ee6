package dev.autoplane.command.run;

import dev.autoplane.events.automation.AutomationSettings;
import dev.autoplane.platform.scheduling.Durations;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * When a failed attempt is tried again: {@code retry {strategy: none | fixed | exponential, max_retries,
 * base_delay}} of the trigger that fired the run, else of the automation. {@code none} runs once;
 * {@code fixed} waits {@code base_delay} before each retry; {@code exponential} waits
 * {@code base_delay × 2^(n-1)} after the n-th attempt plus a jitter of up to 10 % derived from the run id and
 * the attempt (the same run and attempt always wait the same), capped at one hour in all.
 */
public record RetryPolicy(String strategy, int maxRetries, Duration baseDelay) {

    public static final Duration CAP = Duration.ofHours(1);
    /** The delay of a strategy without {@code base_delay} (the API requires one; older settings may lack it). */
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(30);
    public static final RetryPolicy NONE = new RetryPolicy("none", 0, Duration.ZERO);

    public static RetryPolicy of(AutomationSettings.RetryPolicy spec) {
        if (spec == null || spec.strategy() == null || "none".equals(spec.strategy())) {
            return NONE;
        }
        Duration base = Durations.parse(spec.baseDelay()).filter(d -> !d.isNegative()).orElse(DEFAULT_BASE_DELAY);
        return new RetryPolicy(spec.strategy(), Math.max(0, spec.maxRetries()), base);
    }

    /** {@code 1 + max_retries} ({@code 1} for {@code none}). */
    public int maxAttempts() {
        return "none".equals(strategy) ? 1 : 1 + maxRetries;
    }

    /** How long after attempt {@code attempt} (1-based) failed the next one is due. */
    public Duration delayAfter(int attempt, String runId) {
        if ("fixed".equals(strategy)) {
            return min(baseDelay, CAP);
        }
        if (!"exponential".equals(strategy)) {
            return Duration.ZERO;
        }
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        Duration raw = baseDelay.toMillis() > CAP.toMillis() >> doublings ? CAP : baseDelay.multipliedBy(1L << doublings);
        long jitterMillis = (long) (raw.toMillis() * 0.1 * fraction(runId, attempt));
        return min(raw.plusMillis(jitterMillis), CAP);
    }

    /** A number in [0, 1) that depends only on the run and the attempt. */
    static double fraction(String runId, int attempt) {
        long bits = UUID.nameUUIDFromBytes((runId + "#" + attempt).getBytes(StandardCharsets.UTF_8))
                .getLeastSignificantBits();
        return (bits >>> 11) / (double) (1L << 53);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
