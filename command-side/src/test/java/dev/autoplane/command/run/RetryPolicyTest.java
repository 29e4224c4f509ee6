package dev.autoplane.command.run;

import dev.autoplane.events.automation.AutomationSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    static final String RUN = "0190a000-0000-7000-8000-000000000001";

    @Test
    void noneRunsOnceAndOthersOncePlusTheirRetries() {
        assertThat(RetryPolicy.of(null).maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.of(new AutomationSettings.RetryPolicy("none", 5, null)).maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.of(new AutomationSettings.RetryPolicy("fixed", 3, "10s")).maxAttempts()).isEqualTo(4);
        assertThat(RetryPolicy.of(new AutomationSettings.RetryPolicy("exponential", 2, "PT1M")).maxAttempts()).isEqualTo(3);
    }

    @Test
    void fixedWaitsTheBaseDelayEveryTime() {
        RetryPolicy p = RetryPolicy.of(new AutomationSettings.RetryPolicy("fixed", 3, "45s"));
        assertThat(p.delayAfter(1, RUN)).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.delayAfter(3, RUN)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void exponentialDoublesPerAttemptWithAtMostTenPercentJitter() {
        RetryPolicy p = RetryPolicy.of(new AutomationSettings.RetryPolicy("exponential", 10, "10s"));
        for (int attempt = 1; attempt <= 6; attempt++) {
            Duration raw = Duration.ofSeconds(10L << (attempt - 1));
            assertThat(p.delayAfter(attempt, RUN)).isBetween(raw, raw.plus(raw.dividedBy(10)));
        }
    }

    @Test
    void theJitterIsTheSameForTheSameRunAndAttemptAndDiffersOtherwise() {
        RetryPolicy p = RetryPolicy.of(new AutomationSettings.RetryPolicy("exponential", 10, "100s"));
        assertThat(p.delayAfter(2, RUN)).isEqualTo(p.delayAfter(2, RUN));
        assertThat(p.delayAfter(2, RUN)).isNotEqualTo(p.delayAfter(2, RUN.replace('1', '2')));
        assertThat(RetryPolicy.fraction(RUN, 1)).isBetween(0.0, 1.0);
    }

    @Test
    void exponentialIsCappedAtOneHourJitterIncluded() {
        RetryPolicy p = RetryPolicy.of(new AutomationSettings.RetryPolicy("exponential", 100, "10m"));
        assertThat(p.delayAfter(4, RUN)).isEqualTo(Duration.ofHours(1));
        assertThat(p.delayAfter(60, RUN)).isEqualTo(Duration.ofHours(1));
        assertThat(RetryPolicy.of(new AutomationSettings.RetryPolicy("fixed", 1, "3h")).delayAfter(1, RUN))
                .isEqualTo(Duration.ofHours(1));
    }
}
