package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.contracts.programme.simulation.TierTimeline.TierChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which changes of a draft's timelines ask for a tier-up, judged as tier-service judges the direction. */
class DraftTierUpsTest {

    private static final List<String> LADDER = List.of("bronze", "silver", "gold");
    private static final Instant FROM = Instant.parse("2030-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2030-04-01T00:00:00Z");

    @Test
    void onlyMovesUpTheDraftsLadderAskForATierUpEachComparedWithTheTierBefore() {
        TierTimeline timeline = new TierTimeline("c1", "silver", List.of(change(1, "bronze"), change(2, "gold"),
                change(3, "silver"), change(4, "gold")));

        List<DraftTierUps.TierUp> ups = DraftTierUps.of(List.of(timeline), LADDER, FROM, TO).of("c1");

        assertThat(ups).extracting(DraftTierUps.TierUp::effectiveAt).containsExactly(at(2), at(4));
        assertThat(ups).extracting(up -> up.request().attributes().get("fromTier"))
                .containsExactly("bronze", "silver");
        assertThat(ups).allSatisfy(up -> {
            assertThat(up.request().type()).isEqualTo(TriggerType.TIER_UP);
            assertThat(up.request().businessTime()).isEqualTo(up.effectiveAt());
            assertThat(up.request().marketing()).isFalse();
            assertThat(up.request().offer()).isNull();
        });
    }

    @Test
    void aFirstTierIsNoTierUpAndATierTheDraftDoesNotHoldIsLeftUpwardsOnlyAboveTheLowest() {
        TierTimeline newcomer = new TierTimeline("new", null, List.of(change(1, "silver"), change(2, "gold")));
        TierTimeline renamed = new TierTimeline("old", "platinum", List.of(change(1, "bronze")));
        TierTimeline renamedUp = new TierTimeline("old-up", "platinum", List.of(change(1, "silver")));

        DraftTierUps ups = DraftTierUps.of(List.of(newcomer, renamed, renamedUp), LADDER, FROM, TO);

        assertThat(ups.of("new")).extracting(DraftTierUps.TierUp::effectiveAt).containsExactly(at(2));
        assertThat(ups.of("old")).isEmpty();
        assertThat(ups.lists("old")).isTrue();
        assertThat(ups.of("old-up")).hasSize(1);
        assertThat(ups.lists("someone else")).isFalse();
    }

    @Test
    void changesOutsideThePeriodAskForNothing() {
        TierTimeline timeline = new TierTimeline("c1", "bronze", List.of(
                new TierChange(FROM.minusSeconds(1), "silver"), new TierChange(TO, "gold")));

        assertThat(DraftTierUps.of(List.of(timeline), LADDER, FROM, TO).of("c1")).isEmpty();
    }

    @Test
    void aTimelineWithoutItsCustomerOrAChangeWithoutTimeOrTierIsNamed() {
        List<TierTimeline> timelines = List.of(new TierTimeline(null, "bronze", List.of()),
                new TierTimeline("c1", null, List.of(new TierChange(null, "gold"))),
                new TierTimeline("c1", null, List.of(new TierChange(FROM, " "))));

        assertThat(DraftTierUps.problems(timelines)).extracting(v -> v.field()).containsExactly(
                "draftTiers[0].customerId", "draftTiers[1].changes[0].effectiveAt", "draftTiers[2].customerId",
                "draftTiers[2].changes[0].tier");
    }

    private static TierChange change(int day, String tier) {
        return new TierChange(at(day), tier);
    }

    private static Instant at(int day) {
        return FROM.plus(Duration.ofDays(day));
    }
}
