package dev.retention.programme.domain;

import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CustomerVouchers;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation.CustomerPoints;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierSimulation.CustomerTier;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A draft simulated over a period: each service's answer side by side with the versions that were in force, and the
 * customers who change most across the three.
 *
 * @param versionsInForce the versions whose time in force overlaps the period, in order (the "in force" side)
 * @param topChanges      the customers of the three services' lists, ranked by the difference in points, then by
 *                        whether their tier changes, then by the difference in vouchers' face value; a figure a
 *                        service did not list for that customer is null
 */
public record SimulationReport(String programmeId, UUID draftId, Instant from, Instant to,
                               List<VersionInForce> versionsInForce, PointsSimulation points, TierSimulation tiers,
                               CampaignSimulation campaigns, List<CustomerChange> topChanges) {

    public record VersionInForce(int version, Instant effectiveFrom) {
    }

    /** One customer's figures on both sides; null where the service did not list the customer. */
    public record CustomerChange(String customerId, Long pointsInForce, Long pointsDraft, String tierInForce,
                                 String tierDraft, Long vouchersInForce, Long vouchersDraft,
                                 BigDecimal voucherValueInForce, BigDecimal voucherValueDraft) {

        long pointsDifference() {
            return pointsInForce == null ? 0 : Math.abs(pointsDraft - pointsInForce);
        }

        boolean tierChanges() {
            return tierInForce != null || tierDraft != null;
        }

        BigDecimal voucherValueDifference() {
            return voucherValueInForce == null ? BigDecimal.ZERO : voucherValueDraft.subtract(voucherValueInForce).abs();
        }
    }

    static final Comparator<CustomerChange> MOST_CHANGED_FIRST =
            Comparator.comparingLong(CustomerChange::pointsDifference).reversed()
                    .thenComparing(change -> !change.tierChanges())
                    .thenComparing(CustomerChange::voucherValueDifference, Comparator.reverseOrder())
                    .thenComparing(CustomerChange::customerId);

    /** Merges the services' lists of the customers who change most into one, the {@code top} most changed first. */
    public static List<CustomerChange> topChanges(PointsSimulation points, TierSimulation tiers,
                                                  CampaignSimulation campaigns, int top) {
        Map<String, CustomerChange> byCustomer = new LinkedHashMap<>();
        for (CustomerPoints customer : points.topChanges()) {
            byCustomer.merge(customer.customerId(), new CustomerChange(customer.customerId(), customer.inForce(),
                    customer.draft(), null, null, null, null, null, null), SimulationReport::merge);
        }
        for (CustomerTier customer : tiers.topChanges()) {
            byCustomer.merge(customer.customerId(), new CustomerChange(customer.customerId(), null, null,
                    customer.inForce() == null ? "none" : customer.inForce(),
                    customer.draft() == null ? "none" : customer.draft(), null, null, null, null),
                    SimulationReport::merge);
        }
        for (CustomerVouchers customer : campaigns.topChanges()) {
            byCustomer.merge(customer.customerId(), new CustomerChange(customer.customerId(), null, null, null, null,
                    customer.vouchersInForce(), customer.vouchersDraft(), customer.faceValueInForce(),
                    customer.faceValueDraft()), SimulationReport::merge);
        }
        List<CustomerChange> ranked = new ArrayList<>(byCustomer.values());
        ranked.sort(MOST_CHANGED_FIRST);
        return List.copyOf(ranked.subList(0, Math.min(top, ranked.size())));
    }

    private static CustomerChange merge(CustomerChange a, CustomerChange b) {
        return new CustomerChange(a.customerId(),
                first(a.pointsInForce(), b.pointsInForce()), first(a.pointsDraft(), b.pointsDraft()),
                first(a.tierInForce(), b.tierInForce()), first(a.tierDraft(), b.tierDraft()),
                first(a.vouchersInForce(), b.vouchersInForce()), first(a.vouchersDraft(), b.vouchersDraft()),
                first(a.voucherValueInForce(), b.voucherValueInForce()),
                first(a.voucherValueDraft(), b.voucherValueDraft()));
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    /** The versions in force at some time of {@code [from, to)}: the one in force at {@code from} and those after. */
    public static List<VersionInForce> versionsInForce(ProgrammeTimeline timeline, Instant from, Instant to) {
        List<VersionInForce> inForce = new ArrayList<>();
        List<ProgrammeVersion> all = timeline.versions();
        for (int i = 0; i < all.size(); i++) {
            ProgrammeVersion version = all.get(i);
            Instant until = i + 1 < all.size() ? all.get(i + 1).effectiveFrom() : null;
            boolean startsBeforeEnd = version.effectiveFrom().isBefore(to);
            boolean endsAfterStart = until == null || until.isAfter(from);
            if (startsBeforeEnd && endsAfterStart) {
                inForce.add(new VersionInForce(version.version(), version.effectiveFrom()));
            }
        }
        return inForce;
    }
}
