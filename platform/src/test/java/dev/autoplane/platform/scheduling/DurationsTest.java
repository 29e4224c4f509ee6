package dev.autoplane.platform.scheduling;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void shortAndIsoFormsParseAndAnythingElseIsEmptyEveryTime() {
        for (int pass = 0; pass < 2; pass++) { // the second pass answers from the parsed ones
            assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
            assertThat(Durations.parse("15m")).contains(Duration.ofMinutes(15));
            assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
            assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
            assertThat(Durations.parse("PT1H30M")).contains(Duration.ofMinutes(90));
            assertThat(Durations.parse("PT0S")).contains(Duration.ZERO);
            assertThat(Durations.parse("15 minutes")).isEmpty();
            assertThat(Durations.parse("1w")).isEmpty();
            assertThat(Durations.parse("")).isEmpty();
            assertThat(Durations.parse(null)).isEmpty();
        }
    }

    @Test
    void humanizeSaysEachPart() {
        assertThat(Durations.humanize(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
        assertThat(Durations.humanize(Duration.ofSeconds(45))).isEqualTo("45 seconds");
        assertThat(Durations.humanize(Duration.ofMillis(5))).isEqualTo("5 milliseconds");
    }
}
