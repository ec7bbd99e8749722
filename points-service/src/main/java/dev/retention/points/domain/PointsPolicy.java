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

    /** A policy to fill in by name; what is not set earns nothing, waits no time and bounds nothing. */
    public static Builder builder() {
        return new Builder();
    }

    /** This policy with some of its numbers changed. */
    public Builder toBuilder() {
        return builder()
                .pointsPerUnit(pointsPerUnit)
                .tierMultipliers(tierMultipliers)
                .reviewBonus(reviewBonus)
                .referralBonus(referralBonus)
                .signupBonus(signupBonus)
                .birthdayBonus(birthdayBonus)
                .returnWindow(returnWindow)
                .maxPending(maxPending)
                .minimumBalance(minimumBalance)
                .redemptionUnit(redemptionUnit)
                .minimumOrderValue(minimumOrderValue)
                .inactivityExpiry(inactivityExpiry)
                .expiryWarning(expiryWarning)
                .maxAdjustment(maxAdjustment);
    }

    public static final class Builder {
        private Map<String, BigDecimal> pointsPerUnit = Map.of();
        private Map<String, BigDecimal> tierMultipliers = Map.of();
        private long reviewBonus;
        private long referralBonus;
        private long signupBonus;
        private long birthdayBonus;
        private Duration returnWindow = Duration.ZERO;
        private Duration maxPending = Duration.ZERO;
        private long minimumBalance;
        private long redemptionUnit = 1;
        private Map<String, BigDecimal> minimumOrderValue = Map.of();
        private Duration inactivityExpiry = Duration.ZERO;
        private Duration expiryWarning = Duration.ZERO;
        private long maxAdjustment;

        private Builder() {
        }

        public Builder pointsPerUnit(Map<String, BigDecimal> pointsPerUnit) {
            this.pointsPerUnit = pointsPerUnit;
            return this;
        }

        public Builder tierMultipliers(Map<String, BigDecimal> tierMultipliers) {
            this.tierMultipliers = tierMultipliers;
            return this;
        }

        public Builder reviewBonus(long reviewBonus) {
            this.reviewBonus = reviewBonus;
            return this;
        }

        public Builder referralBonus(long referralBonus) {
            this.referralBonus = referralBonus;
            return this;
        }

        public Builder signupBonus(long signupBonus) {
            this.signupBonus = signupBonus;
            return this;
        }

        public Builder birthdayBonus(long birthdayBonus) {
            this.birthdayBonus = birthdayBonus;
            return this;
        }

        public Builder returnWindow(Duration returnWindow) {
            this.returnWindow = returnWindow;
            return this;
        }

        public Builder maxPending(Duration maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        public Builder minimumBalance(long minimumBalance) {
            this.minimumBalance = minimumBalance;
            return this;
        }

        public Builder redemptionUnit(long redemptionUnit) {
            this.redemptionUnit = redemptionUnit;
            return this;
        }

        public Builder minimumOrderValue(Map<String, BigDecimal> minimumOrderValue) {
            this.minimumOrderValue = minimumOrderValue;
            return this;
        }

        public Builder inactivityExpiry(Duration inactivityExpiry) {
            this.inactivityExpiry = inactivityExpiry;
            return this;
        }

        public Builder expiryWarning(Duration expiryWarning) {
            this.expiryWarning = expiryWarning;
            return this;
        }

        public Builder maxAdjustment(long maxAdjustment) {
            this.maxAdjustment = maxAdjustment;
            return this;
        }

        public PointsPolicy build() {
            return new PointsPolicy(pointsPerUnit, tierMultipliers, reviewBonus, referralBonus, signupBonus,
                    birthdayBonus, returnWindow, maxPending, minimumBalance, redemptionUnit, minimumOrderValue,
                    inactivityExpiry, expiryWarning, maxAdjustment);
        }
    }
}
