package dev.autoplane.command.automation;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What happens to occurrences that could not run on time ({@code catch_up_policy}): those delivered
 * later than the misfire grace, and those skipped while the automation was paused.
 */
enum CatchUpPolicy {
    /** Record them as missed. */
    SKIP("skip"),
    /** Run the latest of them once (and only if nothing of the same delivery ran on time). */
    FIRE_ONCE("fire_once"),
    /** Run every one of them, up to a cap per delivery. */
    FIRE_ALL("fire_all");

    private final String wire;

    CatchUpPolicy(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    /** The policy named by {@code wire}; {@link #SKIP} when none is set. */
    static CatchUpPolicy fromWire(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst().orElse(SKIP);
    }

    /** Which of the occurrences skipped while paused (oldest first) run on resume. */
    List<Instant> onResume(List<Instant> skippedWhilePaused) {
        if (skippedWhilePaused.isEmpty()) {
            return List.of();
        }
        return switch (this) {
            case FIRE_ONCE -> List.of(skippedWhilePaused.get(skippedWhilePaused.size() - 1));
            case FIRE_ALL -> List.copyOf(skippedWhilePaused);
            case SKIP -> List.of();
        };
    }

    /**
     * Whether the late occurrence {@code late} of one delivery runs.
     *
     * @param anyOnTime   whether an occurrence of the same delivery runs on time
     * @param latestLate  the latest late occurrence of the delivery
     * @param caughtUp    how many late occurrences of the delivery already ran
     * @param cap         at most this many late occurrences run per delivery
     */
    boolean runsLate(Instant late, boolean anyOnTime, Instant latestLate, int caughtUp, int cap) {
        return switch (this) {
            case FIRE_ONCE -> !anyOnTime && late.equals(latestLate);
            case FIRE_ALL -> caughtUp < cap;
            case SKIP -> false;
        };
    }

    /** Why a late occurrence that does not run was missed, appended to the lateness. */
    String whyMissed(int cap) {
        return switch (this) {
            case FIRE_ALL -> "; beyond the catch-up cap of " + cap;
            case FIRE_ONCE -> "; catch_up_policy fire_once fires only the latest";
            case SKIP -> "; catch_up_policy skip";
        };
    }
}
