package dev.retention.points.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * The programme's numbers. Plain values so that rules can be tested without a framework; the service builds it from
 * {@code retention.points.*} configuration.
 *
 * @param pointsPerUnit      points per whole currency unit of eligible merchandise value, per ISO currency
 * @param tierMultipliers    multiplier per tier name; a tier not listed (or no tier) earns 1x
 * @param birthdayBonus      points for the birthday, granted with campaign-service's birthday offer; 0 grants none
 * @param returnWindow       earned points stay pending this long after delivery
 * @param maxPending         without a delivery event, points are released this long after the order
 * @param minimumBalance     a redemption needs at least this many available points
 * @param redemptionUnit     points are redeemed in whole multiples of this
 * @param minimumOrderValue  a redemption for an order needs at least this order value, per currency
 * @param inactivityExpiry   available points expire after this long without earning or redeeming
 * @param expiryWarning      a {@code points.expiring} event is published this long before expiry
 */
public record PointsPolicy(
        Map<String, BigDecimal> pointsPerUnit,
        Map<String, BigDecimal> tierMultipliers,
        long reviewBonus,
        long referralBonus,
        long signupBonus,
        long birthdayBonus,
        Duration returnWindow,
        Duration maxPending,
        long minimumBalance,
        long redemptionUnit,
        Map<String, BigDecimal> minimumOrderValue,
        Duration inactivityExpiry,
        Duration expiryWarning,
        long maxAdjustment) {

    public BigDecimal multiplierFor(String tier) {
        return tier == null ? BigDecimal.ONE : tierMultipliers.getOrDefault(tier, BigDecimal.ONE);
    }

    public boolean earnsIn(String currency) {
        return pointsPerUnit.containsKey(currency);
    }
}
