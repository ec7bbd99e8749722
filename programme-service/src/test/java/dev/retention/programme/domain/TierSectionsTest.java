package dev.retention.programme.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierSimulation.TierFigures;
import dev.retention.contracts.programme.simulation.TierTimeline;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a simulation chains tier-service's answer into points-service's: the draft's tiers against the versions'. */
class TierSectionsTest {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FROM = ORIGIN.plusSeconds(3600L * 100);
    private static final Instant TO = ORIGIN.plusSeconds(3600L * 200);

    @Test
    void aDraftWithTheTiersOfTheOnlyVersionInForceNeedsNoTiersFirstEvenIfItChangesEverythingElse() {
        ObjectNode draft = initial();
        ((ObjectNode) draft.path("bonuses")).put("signup", 12345);
        ((ObjectNode) draft.path("pending")).put("returnWindow", "P45D");

        assertThat(TierSections.draftMayMoveTiers(timeline(ORIGIN, ProgrammeJson.initial()), draft, FROM, TO))
                .isFalse();
    }

    @Test
    void aLowerThresholdALongerGraceOrAnotherMultiplierAskTheTiersFirst() {
        ProgrammeTimeline timeline = timeline(ORIGIN, ProgrammeJson.initial());
        ObjectNode lowerSilver = initial();
        ((ObjectNode) lowerSilver.path("tiers").path("levels").get(1)).put("threshold", "300.00");
        ObjectNode longerGrace = initial();
        ((ObjectNode) longerGrace.path("tiers")).put("grace", "P60D");
        ObjectNode multiplier = initial();
        ((ObjectNode) multiplier.path("tiers").path("levels").get(2)).put("multiplier", "4");

        assertThat(TierSections.draftMayMoveTiers(timeline, lowerSilver, FROM, TO)).isTrue();
        assertThat(TierSections.draftMayMoveTiers(timeline, longerGrace, FROM, TO)).isTrue();
        assertThat(TierSections.draftMayMoveTiers(timeline, multiplier, FROM, TO)).isTrue();
    }

    @Test
    void anotherSpellingOfTheSameValuesIsNoDifference() {
        ObjectNode draft = initial();
        ((ObjectNode) draft.path("tiers")).set("window", TextNode.valueOf("PT8760H"));

        assertThat(TierSections.draftMayMoveTiers(timeline(ORIGIN, ProgrammeJson.initial()), draft, FROM, TO))
                .isFalse();
    }

    @Test
    void aPeriodStartingBeforeTheFirstVersionAsksTheTiersFirstForTheBaselineIsNotKnownHere() {
        assertThat(TierSections.draftMayMoveTiers(timeline(FROM.plusSeconds(1), ProgrammeJson.initial()), initial(),
                FROM, TO)).isTrue();
        assertThat(TierSections.draftMayMoveTiers(new ProgrammeTimeline("p", List.of()), initial(), FROM, TO))
                .isTrue();
    }

    /**
     * Versions alternate between the initial tiers and a lower silver threshold; the draft has the initial tiers. The
     * tiers are asked first exactly when a version with the other tiers is in force at some hour of the period.
     */
    @Property(tries = 300)
    void theTiersAreAskedFirstExactlyWhenAVersionInForceDuringThePeriodHasOtherTiers(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 60) Integer> gaps,
            @ForAll @Size(min = 6, max = 6) List<Boolean> lowered,
            @ForAll @IntRange(min = 0, max = 300) int fromHour, @ForAll @IntRange(min = 1, max = 100) int hours) {
        List<ProgrammeVersion> versions = new ArrayList<>();
        Instant effectiveFrom = ORIGIN;
        for (int i = 0; i < gaps.size(); i++) {
            versions.add(new ProgrammeVersion(i + 1, effectiveFrom, effectiveFrom, "admin", "test", null,
                    lowered.get(i) ? lowerSilver() : ProgrammeJson.initial()));
            effectiveFrom = effectiveFrom.plusSeconds(3600L * gaps.get(i));
        }
        ProgrammeTimeline timeline = new ProgrammeTimeline("p", versions);
        Instant from = ORIGIN.plusSeconds(3600L * fromHour);
        Instant to = from.plusSeconds(3600L * hours);

        boolean otherTiersInForce = false;
        for (Instant hour = from; hour.isBefore(to); hour = hour.plusSeconds(3600)) {
            otherTiersInForce |= lowered.get(timeline.inForceAt(hour).orElseThrow().version() - 1);
        }
        assertThat(TierSections.draftMayMoveTiers(timeline, initial(), from, to)).isEqualTo(otherTiersInForce);
    }

    @Test
    void tierServicesTimelinesAreLeftOutOfTheReportsTiersSection() throws Exception {
        TierFigures figures = new TierFigures(Map.of("gold", 1L), Map.of(), 0, 0);
        TierSimulation answered = new TierSimulation(1, figures, figures, 1, List.of(), List.of(new TierTimeline(
                "c-1", null, List.of(new TierTimeline.TierChange(FROM.plusNanos(1_000), "gold")))));
        TierSimulation read = ContractJson.mapper().readValue(ContractJson.mapper().writeValueAsString(answered),
                TierSimulation.class);

        assertThat(read).as("the timelines cross the wire to the microsecond").isEqualTo(answered);
        JsonNode reported = ContractJson.mapper().valueToTree(read.withoutTimelines());
        assertThat(reported.has("draftTimelines")).isFalse();
        assertThat(reported.path("customersAffected").asLong()).isEqualTo(1);
    }

    private static ProgrammeTimeline timeline(Instant effectiveFrom, ProgrammeDocument document) {
        return new ProgrammeTimeline("p", List.of(new ProgrammeVersion(1, effectiveFrom, effectiveFrom, "admin", "test",
                null, document)));
    }

    private static ObjectNode initial() {
        return (ObjectNode) ProgrammeJson.initialTree().deepCopy();
    }

    private static ProgrammeDocument lowerSilver() {
        ObjectNode document = initial();
        ((ObjectNode) document.path("tiers").path("levels").get(1)).put("threshold", "300.00");
        return ProgrammeJson.read(document);
    }
}
