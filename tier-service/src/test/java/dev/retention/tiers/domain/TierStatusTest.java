package dev.retention.tiers.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TierStatusTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    @Test
    void theGracePeriodRunsFromTheFirstMomentBelowTheThreshold() {
        TierStatus below = TierStatus.none().entered("silver", T0).below(T0.plusSeconds(60));

        assertThat(below.below(T0.plusSeconds(120)).belowSince()).isEqualTo(T0.plusSeconds(60));
        assertThat(below.recovered().belowSince()).isNull();
    }

    @Test
    void movingToAnotherTierEndsTheGracePeriodAndKeepsTheAnnouncedDate() {
        TierStatus warned = TierStatus.none().entered("silver", T0).below(T0).warnedOf(T0.plusSeconds(3600));

        TierStatus moved = warned.movedTo("bronze", T0.plusSeconds(3600));

        assertThat(moved.tier()).isEqualTo("bronze");
        assertThat(moved.since()).isEqualTo(T0.plusSeconds(3600));
        assertThat(moved.belowSince()).isNull();
        assertThat(moved.riskNotifiedFor()).isEqualTo(T0.plusSeconds(3600));
    }
}
