package dev.autoplane.command.automation;

import dev.autoplane.events.automation.AutomationSettings.FireLimit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy types the {@link Firing} member decides with, each on its own. */
class FiringPoliciesTest {

    static final Instant T = Instant.parse("2026-03-01T09:00:00Z");

    static Instant min(int m) {
        return T.plusSeconds(60L * m);
    }

    @Nested
    class Overlap {
        @ParameterizedTest
        @EnumSource(OverlapPolicy.class)
        void everyPolicyRoundTripsItsWireName(OverlapPolicy policy) {
            assertThat(OverlapPolicy.fromWire(policy.wire())).isEqualTo(policy);
        }

        @Test
        void noPolicyMeansAllow() {
            assertThat(OverlapPolicy.fromWire(null)).isEqualTo(OverlapPolicy.ALLOW);
        }
    }

    @Nested
    class CatchUp {
        @ParameterizedTest
        @EnumSource(CatchUpPolicy.class)
        void everyPolicyRoundTripsItsWireName(CatchUpPolicy policy) {
            assertThat(CatchUpPolicy.fromWire(policy.wire())).isEqualTo(policy);
        }

        @Test
        void noPolicyMeansSkip() {
            assertThat(CatchUpPolicy.fromWire(null)).isEqualTo(CatchUpPolicy.SKIP);
        }

        @Test
        void onResumeSkipRunsNoneFireOnceTheLatestFireAllEvery() {
            List<Instant> skipped = List.of(min(1), min(2), min(3));
            assertThat(CatchUpPolicy.SKIP.onResume(skipped)).isEmpty();
            assertThat(CatchUpPolicy.FIRE_ONCE.onResume(skipped)).containsExactly(min(3));
            assertThat(CatchUpPolicy.FIRE_ALL.onResume(skipped)).containsExactly(min(1), min(2), min(3));
            assertThat(CatchUpPolicy.FIRE_ONCE.onResume(List.of())).isEmpty();
        }

        @Test
        void fireOnceRunsOnlyTheLatestLateOccurrenceAndOnlyWhenNothingRanOnTime() {
            assertThat(CatchUpPolicy.FIRE_ONCE.runsLate(min(3), false, min(3), 0, 100)).isTrue();
            assertThat(CatchUpPolicy.FIRE_ONCE.runsLate(min(2), false, min(3), 0, 100)).isFalse();
            assertThat(CatchUpPolicy.FIRE_ONCE.runsLate(min(3), true, min(3), 0, 100)).isFalse();
        }

        @Test
        void fireAllRunsUpToTheCapAndSkipNone() {
            assertThat(CatchUpPolicy.FIRE_ALL.runsLate(min(1), true, min(9), 99, 100)).isTrue();
            assertThat(CatchUpPolicy.FIRE_ALL.runsLate(min(1), true, min(9), 100, 100)).isFalse();
            assertThat(CatchUpPolicy.SKIP.runsLate(min(9), false, min(9), 0, 100)).isFalse();
        }

        @Test
        void eachPolicySaysWhyALateOccurrenceWasMissed() {
            assertThat(CatchUpPolicy.SKIP.whyMissed(100)).contains("catch_up_policy skip");
            assertThat(CatchUpPolicy.FIRE_ONCE.whyMissed(100)).contains("only the latest");
            assertThat(CatchUpPolicy.FIRE_ALL.whyMissed(100)).contains("cap of 100");
        }
    }

    @Nested
    class Limits {
        @Test
        void theWindowIsHalfOpenAtItsStart() {
            FireLimits limits = new FireLimits();
            FireLimit twoPerHour = new FireLimit(2, "1h");
            limits.remember(null, min(0));
            limits.remember(null, min(30));
            assertThat(limits.throttledBy(twoPerHour, null, null, min(59))).contains("the automation's fire limit of 2 per 1h");
            assertThat(limits.throttledBy(twoPerHour, null, null, min(60))).isNull(); // the fire at min(0) no longer counts
        }

        @Test
        void aTriggersOwnLimitCountsOnlyItsOwnFires() {
            FireLimits limits = new FireLimits();
            FireLimit onePerHour = new FireLimit(1, "1h");
            limits.remember("t-1", min(0));
            assertThat(limits.throttledBy(null, onePerHour, "t-1", min(10))).startsWith("the trigger's");
            assertThat(limits.throttledBy(null, onePerHour, "t-2", min(10))).isNull();
            assertThat(limits.throttledBy(null, null, "t-1", min(10))).isNull();
        }

        @Test
        void atMostTheLargestLimitIsRemembered() {
            FireLimits limits = new FireLimits();
            for (int i = 0; i < AutomationFields.MAX_FIRE_LIMIT + 10; i++) {
                limits.remember(null, min(i));
            }
            FireLimit all = new FireLimit(AutomationFields.MAX_FIRE_LIMIT + 1, "1000d");
            assertThat(limits.throttledBy(all, null, null, min(AutomationFields.MAX_FIRE_LIMIT + 10))).isNull();
        }
    }

    @Test
    void skipOutcomesCarryTheirWireNames() {
        assertThat(List.of(SkipOutcome.values()).stream().map(SkipOutcome::wire))
                .containsExactly("missed", "skipped_paused", "skipped_deactivated", "skipped_overlap", "throttled", "buffered",
                        "skipped_inactive");
    }
}
