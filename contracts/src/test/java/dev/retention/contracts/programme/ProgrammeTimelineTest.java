package dev.retention.contracts.programme;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgrammeTimelineTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Property
    void theVersionInForceIsTheLastThatTookEffectAtOrBeforeTheTime(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 1000) Integer> gapsInSeconds,
            @ForAll @IntRange(min = -10, max = 9000) int probeSecond) {
        ProgrammeTimeline timeline = ProgrammeTimeline.empty("default");
        Instant effectiveFrom = START;
        List<Instant> starts = new ArrayList<>();
        for (int gap : gapsInSeconds) {
            effectiveFrom = effectiveFrom.plusSeconds(gap);
            starts.add(effectiveFrom);
            timeline = timeline.with(version(starts.size(), effectiveFrom));
        }
        Instant probe = START.plusSeconds(probeSecond);

        int expected = 0;
        for (int i = 0; i < starts.size(); i++) {
            if (!starts.get(i).isAfter(probe)) {
                expected = i + 1;
            }
        }
        assertThat(timeline.inForceAt(probe).map(ProgrammeVersion::version).orElse(0)).isEqualTo(expected);
    }

    @Test
    void aVersionTakingEffectNoLaterThanTheLatestIsRefused() {
        ProgrammeTimeline timeline = ProgrammeTimeline.empty("default").with(version(1, START.plusSeconds(60)));

        assertThatThrownBy(() -> timeline.with(version(2, START.plusSeconds(60))))
                .hasMessageContaining("$.versions[1].effectiveFrom");
        assertThatThrownBy(() -> timeline.with(version(3, START.plusSeconds(120))))
                .hasMessageContaining("$.versions[1].version");
    }

    private static ProgrammeVersion version(int number, Instant effectiveFrom) {
        return new ProgrammeVersion(number, effectiveFrom, effectiveFrom.minusSeconds(1), "marketer-1", "test", null,
                ProgrammeJson.initial());
    }
}
