package dev.retention.programme.domain;

import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The publication's timing over any times: refused exactly when the version would break the timeline's order. */
class PublicationTimingPropertiesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Property(tries = 2000)
    void aTimeIsAcceptedExactlyWhenItIsNotPastAndAfterTheLatestAndTheTimelineThenAcceptsTheVersion(
            @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long offsetMicros,
            @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long latestOffsetMicros,
            @ForAll boolean hasLatest) {
        Instant effectiveFrom = NOW.plus(Duration.ofNanos(offsetMicros * 1000));
        Instant latestFrom = NOW.plus(Duration.ofNanos(latestOffsetMicros * 1000));
        ProgrammeTimeline timeline = hasLatest
                ? new ProgrammeTimeline("p", List.of(new ProgrammeVersion(1, latestFrom, latestFrom, "system", "x", null,
                ProgrammeJson.initial())))
                : ProgrammeTimeline.empty("p");

        boolean accepted = PublicationRules.timingViolations(effectiveFrom, NOW, timeline).isEmpty();

        boolean expected = !effectiveFrom.isBefore(NOW) && (!hasLatest || effectiveFrom.isAfter(latestFrom));
        assertThat(accepted).isEqualTo(expected);
        if (accepted) {
            ProgrammeVersion next = new ProgrammeVersion(PublicationRules.nextVersion(timeline), effectiveFrom, NOW,
                    "admin", "y", null, ProgrammeJson.initial());
            assertThat(timeline.with(next).orderViolations("$")).isEmpty();
        }
    }
}
