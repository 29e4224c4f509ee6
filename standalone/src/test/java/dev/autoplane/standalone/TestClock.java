package dev.autoplane.standalone;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The application's clock in the HTTP tests: the system clock, which a test may freeze and move
 * forward to the second ({@link #freeze}, {@link #advance}); {@link #release} returns to the system
 * clock (so a test that moved time forward leaves no offset behind for the next test).
 */
final class TestClock extends Clock {

    static final TestClock INSTANCE = new TestClock();

    private volatile Instant frozen;

    private TestClock() {
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant f = frozen;
        return f != null ? f : Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Stops the clock at the current second (whole seconds, like JWT times). */
    Instant freeze() {
        frozen = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return frozen;
    }

    void set(Instant instant) {
        frozen = instant;
    }

    Instant advance(Duration by) {
        frozen = instant().plus(by);
        return frozen;
    }

    void release() {
        frozen = null;
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
