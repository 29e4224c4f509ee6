package dev.autoplane.standalone;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The application's clock in the HTTP tests: the system clock, which a test may freeze and move
 * forward to the second ({@link #freeze}, {@link #advance}); {@link #release} returns to the system
 * clock (so a test that moved time forward leaves no offset behind for the next test).
 */
final class TestClock extends dev.autoplane.standalone.scheduling.MutableClock {

    static final TestClock INSTANCE = new TestClock();

    private TestClock() {
        super(null); // the system clock until a test freezes it
    }

    /** Stops the clock at the current second (whole seconds, like JWT times). */
    Instant freeze() {
        Instant frozen = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        set(frozen);
        return frozen;
    }

    void release() {
        set(null);
    }

    /** Registers {@link #INSTANCE} as the application's clock. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Configuration {
        @Bean
        @Primary
        Clock testClock() {
            return INSTANCE;
        }
    }
}
