package dev.retention.contracts.programme.simulation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * points-service's answer: the points earned by the orders placed in the period and the bonuses granted in it.
 *
 * @param orders            orders placed in the period
 * @param customers         customers with an order or a bonus in the period
 * @param customersAffected customers whose points differ between the two sides
 * @param topChanges        the customers whose points differ most, largest absolute difference first (customer id
 *                          breaks a tie)
 */
public record PointsSimulation(long orders, long customers, PointsFigures inForce, PointsFigures draft,
                               long customersAffected, List<CustomerPoints> topChanges) {

    /**
     * @param issued    every point the period's orders earned and its bonuses gave
     * @param byRule    points by ledger rule id: the base rate, each earning rule's id, the tier's part, each bonus
     * @param byTier    points by the tier the customer had when the order was placed ("none" without a tier)
     * @param liability the issued points' redemption value, by the currency of the order that earned them (bonuses
     *                  count in the reporting currency)
     */
    public record PointsFigures(long issued, Map<String, Long> byRule, Map<String, Long> byTier,
                                Map<String, BigDecimal> liability) {
    }

    public record CustomerPoints(String customerId, long inForce, long draft) {
    }
}
