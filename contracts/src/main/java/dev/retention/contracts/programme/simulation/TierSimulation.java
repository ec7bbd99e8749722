package dev.retention.contracts.programme.simulation;

import java.util.List;
import java.util.Map;

/**
 * tier-service's answer: the ladder re-run over the qualifying orders.
 *
 * @param customers         customers with a tier status
 * @param customersAffected customers whose tier at the period's end differs between the two sides
 * @param topChanges        customers whose tier at the end differs, the largest step between the two first
 */
public record TierSimulation(long customers, TierFigures inForce, TierFigures draft, long customersAffected,
                             List<CustomerTier> topChanges) {

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
