package dev.autoplane.events.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The deterministic ids of fires and their runs: one run per fire, UUIDv7 ordered by the occurrence's time. */
class FireIdsTest {

    static final Instant T = Instant.parse("2026-03-29T01:30:00.123Z");

    @Test
    void aFireIdNamesTheAutomationTheSourceAndTheInstant() {
        assertThat(FireIds.of("a-1", FireIds.SCHEDULE, T)).isEqualTo("a-1/schedule/2026-03-29T01:30:00.123Z");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 7_000_000_123L})
    void aRunIdIsAUuidV7WhoseTimestampIsTheOccurrence(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 1_000; i++) {
            Instant at = Instant.ofEpochMilli(random.nextLong(0, 1L << 47));
            UUID run = UUID.fromString(FireIds.runId("fire-" + random.nextLong(), at));
            assertThat(run.version()).isEqualTo(7);
            assertThat(run.variant()).isEqualTo(2);
            assertThat(run.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
        }
    }

    @Test
    void theSameFireAlwaysNamesTheSameRunAndOtherFiresOtherRuns() {
        assertThat(FireIds.runId("a/schedule/x", T)).isEqualTo(FireIds.runId("a/schedule/x", T));
        Set<String> runs = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            runs.add(FireIds.runId("fire-" + i + "-" + random.nextInt(), T));
        }
        assertThat(runs).hasSize(20_000);
    }

    @Test
    void runIdsSortAsTheirOccurrencesDo() {
        String earlier = FireIds.runId("zzz", T);
        String later = FireIds.runId("aaa", T.plusMillis(1));
        assertThat(earlier).isLessThan(later);
    }

    @Test
    void anInstantBeforeTheEpochCountsAsTheEpoch() {
        UUID run = UUID.fromString(FireIds.runId("old", Instant.parse("1960-01-01T00:00:00Z")));
        assertThat(run.getMostSignificantBits() >>> 16).isZero();
        assertThat(run.version()).isEqualTo(7);
    }
}
