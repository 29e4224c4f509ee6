package dev.autoplane.standalone.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves by hand: the engine and every command read it, so minutes pass in
 * microseconds. Set to {@code null}, it reads the system clock (to the millisecond).
 */
public class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public Instant advance(Duration d) {
        return now.updateAndGet(i -> (i != null ? i : instant()).plus(d));
    }

    @Override
    public Instant instant() {
        Instant set = now.get();
        return set != null ? set : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
