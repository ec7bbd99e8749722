package dev.retention.contracts.programme.simulation;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * tier-service's answer: the ladder re-run over the qualifying orders.
 *
 * @param customers         customers with a tier status
 * @param customersAffected customers whose tier at the period's end differs between the two sides
 * @param topChanges        customers whose tier at the end differs, the largest step between the two first
 * @param draftTimelines    only when the request asked for them ({@code includeDraftTimelines}), else null and left
 *                          out of the JSON: the draft side's tier timeline of every customer whose timeline within
 *                          {@code [from, to)} differs from the in-force side's, by customer id. programme-service
 *                          passes them on to points-service and leaves them out of its report
 */
public record TierSimulation(long customers, TierFigures inForce, TierFigures draft, long customersAffected,
                             List<CustomerTier> topChanges,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<TierTimeline> draftTimelines) {

    /** An answer without timelines (not asked for, or stripped from a report). */
    public TierSimulation(long customers, TierFigures inForce, TierFigures draft, long customersAffected,
                          List<CustomerTier> topChanges) {
        this(customers, inForce, draft, customersAffected, topChanges, null);
    }

    /** The same answer without its timelines. */
    public TierSimulation withoutTimelines() {
        return new TierSimulation(customers, inForce, draft, customersAffected, topChanges);
    }

    /**
     * @param distribution customers per tier at the period's end ("none" for those below every tier)
     * @param moves        tier changes within the period, keyed "from->to" ("none" for no tier)
     */
    public record TierFigures(Map<String, Long> distribution, Map<String, Long> moves, long upgrades,
                              long downgrades) {
    }

    public record CustomerTier(String customerId, String inForce, String draft) {
    }
}
