package dev.retention.testsupport;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Replaces the system clock in a service's tests (services produce theirs as a default bean): real time plus an
 * offset the test moves forward.
 */
@Singleton
public class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void advance(Duration duration) {
        offset = offset.plus(duration);
    }

    /**
     * For tests of fixed time windows (attempt limits): moves to the start of the next window of this length unless
     * at least {@code needed} of the current one is left, so that a test's requests all fall into one window.
     */
    public void ensureLeftOfWindow(Duration window, Duration needed) {
        long left = window.toMillis() - Math.floorMod(millis(), window.toMillis());
        if (left < needed.toMillis()) {
            advance(Duration.ofMillis(left + 10));
        }
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
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
