package dev.retention.programme.domain;

import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CampaignFigures;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CustomerVouchers;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation.CustomerPoints;
import dev.retention.contracts.programme.simulation.PointsSimulation.PointsFigures;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierSimulation.CustomerTier;
import dev.retention.contracts.programme.simulation.TierSimulation.TierFigures;
import dev.retention.programme.domain.SimulationReport.CustomerChange;
import dev.retention.programme.domain.SimulationReport.VersionInForce;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Combining the services' answers: which versions were in force, and who changes most across the three. */
class SimulationReportTest {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    @Property(tries = 1000)
    void theVersionsInForceAreExactlyThoseInForceAtSomeInstantOfThePeriod(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 50) Integer> gaps,
            @ForAll @IntRange(min = 0, max = 400) int fromHour, @ForAll @IntRange(min = 1, max = 200) int hours) {
        List<ProgrammeVersion> versions = new ArrayList<>();
        Instant effectiveFrom = ORIGIN;
        for (int i = 0; i < gaps.size(); i++) {
            effectiveFrom = effectiveFrom.plusSeconds(3600L * gaps.get(i));
            versions.add(new ProgrammeVersion(i + 1, effectiveFrom, effectiveFrom, "admin", "test", null,
                    ProgrammeJson.initial()));
        }
        ProgrammeTimeline timeline = new ProgrammeTimeline("p", versions);
        Instant from = ORIGIN.plusSeconds(3600L * fromHour);
        Instant to = from.plusSeconds(3600L * hours);

        Set<Integer> expected = new TreeSet<>();
        // Every version changes at a whole hour: the version in force at each hour of the period is every one in force.
        for (Instant hour = from; hour.isBefore(to); hour = hour.plusSeconds(3600)) {
            timeline.inForceAt(hour).ifPresent(version -> expected.add(version.version()));
        }
        List<VersionInForce> inForce = SimulationReport.versionsInForce(timeline, from, to);
        assertThat(inForce).extracting(VersionInForce::version).containsExactlyElementsOf(expected);
    }

    @Test
    void aCustomerListedByEveryServiceIsOneChangeRankedByPointsThenTierThenVoucherValue() {
        PointsSimulation points = points(List.of(new CustomerPoints("c-big", 100, 400),
                new CustomerPoints("c-both", 50, 80), new CustomerPoints("c-small", 10, 11)));
        TierSimulation tiers = tiers(List.of(new CustomerTier("c-both", "silver", "gold"),
                new CustomerTier("c-tier", null, "silver")));
        CampaignSimulation campaigns = campaigns(List.of(new CustomerVouchers("c-both", 1, 2, new BigDecimal("5"),
                        new BigDecimal("15")),
                new CustomerVouchers("c-voucher", 0, 1, BigDecimal.ZERO, new BigDecimal("20"))));

        List<CustomerChange> top = SimulationReport.topChanges(points, tiers, campaigns, 20);

        assertThat(top).extracting(CustomerChange::customerId)
                .containsExactly("c-big", "c-both", "c-small", "c-tier", "c-voucher");
        CustomerChange both = top.get(1);
        assertThat(both.pointsInForce()).isEqualTo(50);
        assertThat(both.pointsDraft()).isEqualTo(80);
        assertThat(both.tierInForce()).isEqualTo("silver");
        assertThat(both.tierDraft()).isEqualTo("gold");
        assertThat(both.vouchersDraft()).isEqualTo(2);
        assertThat(both.voucherValueDraft()).isEqualByComparingTo("15");
        assertThat(top.get(3).tierInForce()).as("below every tier").isEqualTo("none");
        assertThat(top.get(4).pointsInForce()).as("not listed by points-service").isNull();
    }

    @Test
    void theReportKeepsTheTopAskedFor() {
        List<CustomerPoints> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(new CustomerPoints("c-%02d".formatted(i), 0, i));
        }
        List<CustomerChange> top = SimulationReport.topChanges(points(many), tiers(List.of()), campaigns(List.of()), 5);
        assertThat(top).extracting(CustomerChange::customerId).containsExactly("c-29", "c-28", "c-27", "c-26", "c-25");
    }

    private static PointsSimulation points(List<CustomerPoints> top) {
        PointsFigures none = new PointsFigures(0, Map.of(), Map.of(), Map.of());
        return new PointsSimulation(0, 0, none, none, top.size(), top);
    }

    private static TierSimulation tiers(List<CustomerTier> top) {
        TierFigures none = new TierFigures(Map.of(), Map.of(), 0, 0);
        return new TierSimulation(0, none, none, top.size(), top);
    }

    private static CampaignSimulation campaigns(List<CustomerVouchers> top) {
        CampaignFigures none = new CampaignFigures(Map.of());
        return new CampaignSimulation(0, none, none, top.size(), top);
    }
}
