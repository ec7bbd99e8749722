package dev.retention.points.domain;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.EffectType;
import dev.retention.contracts.programme.ProgrammeDocument.Tier;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The programme's numbers as points-service applies them. Plain values so that rules can be tested without a
 * framework. The service builds its baseline from {@code retention.points.*} configuration (in force before the
 * programme's first version) and one policy per programme version with {@link #from(ProgrammeDocument)}.
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
 * @param earningRules       the earning rules beyond the base rate ({@link EarningRules#NONE}: none)
 * @param feedbackBonus      points for a feedback answer, once per order, whatever the score
 *                           ({@code triggers.feedback.points}); 0 grants none
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
        EarningRules earningRules,
        long feedbackBonus) {

    /**
     * The policy of a programme version: the currencies' rates and redemption minimums, the tiers' multipliers,
     * bonuses, redemption hurdles, pending, expiry and the earning rules.
     *
     * @throws IllegalArgumentException for a document points-service cannot apply, saying why
     */
    public static PointsPolicy from(ProgrammeDocument document) {
        require(document != null, "no programme document");
        require(document.currencies() != null && !document.currencies().isEmpty(), "currencies: none given");
        Map<String, BigDecimal> perUnit = new LinkedHashMap<>();
        Map<String, BigDecimal> minimumOrderValue = new LinkedHashMap<>();
        document.currencies().forEach((code, settings) -> {
            require(settings != null && settings.pointsPerUnit() != null && settings.pointsPerUnit().signum() >= 0,
                    "currencies." + code + ".pointsPerUnit: must be a non-negative rate");
            require(settings.minimumRedemptionOrderValue() != null,
                    "currencies." + code + ".minimumRedemptionOrderValue: missing");
            perUnit.put(code, settings.pointsPerUnit());
            minimumOrderValue.put(code, settings.minimumRedemptionOrderValue());
        });
        require(document.tiers() != null && document.tiers().levels() != null && !document.tiers().levels().isEmpty(),
                "tiers.levels: none given");
        Map<String, BigDecimal> multipliers = new LinkedHashMap<>();
        for (Tier tier : document.tiers().levels()) {
            require(tier.multiplier() != null && tier.multiplier().signum() > 0,
                    "tiers.levels." + tier.name() + ".multiplier: must be positive");
            multipliers.put(tier.name(), tier.multiplier());
        }
        require(document.bonuses() != null, "bonuses: missing");
        require(document.redemption() != null && document.redemption().unit() > 0, "redemption.unit: must be positive");
        require(document.pending() != null && document.pending().returnWindow() != null
                && document.pending().maxPending() != null, "pending: returnWindow and maxPending are needed");
        require(document.expiry() != null && document.expiry().inactivity() != null
                && document.expiry().warning() != null, "expiry: inactivity and warning are needed");
        return builder()
                .pointsPerUnit(Map.copyOf(perUnit))
                .tierMultipliers(Map.copyOf(multipliers))
                .reviewBonus(document.bonuses().review())
                .referralBonus(document.bonuses().referral())
                .signupBonus(document.bonuses().signup())
                .birthdayBonus(document.bonuses().birthday())
                .returnWindow(document.pending().returnWindow())
                .maxPending(document.pending().maxPending())
                .minimumBalance(document.redemption().minimumBalance())
                .redemptionUnit(document.redemption().unit())
                .minimumOrderValue(Map.copyOf(minimumOrderValue))
                .inactivityExpiry(document.expiry().inactivity())
                .expiryWarning(document.expiry().warning())
                .earningRules(earningRules(document))
                .feedbackBonus(document.triggers() != null && document.triggers().feedback() != null
                        ? document.triggers().feedback().pointsForAnAnswer() : 0)
                .build();
    }

    private static EarningRules earningRules(ProgrammeDocument document) {
        require(document.earning() != null && document.earning().stacking() != null, "earning.stacking: missing");
        List<EarningRule> rules = document.earning().rules() == null ? List.of() : document.earning().rules();
        if (rules.isEmpty()) {
            return EarningRules.NONE; // the time zone and tiers matter to rules only
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(document.timeZone());
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("timeZone: not a time zone: " + document.timeZone());
        }
        for (int i = 0; i < rules.size(); i++) {
            EarningRule rule = rules.get(i);
            String at = "earning.rules[" + i + "]";
            require(rule.id() != null, at + ".id: missing");
            require(rule.effect() != null && rule.effect().type() != null && rule.effect().value() != null,
                    at + ".effect: a type and a value are needed");
            require(rule.effect().value().signum() > 0, at + ".effect.value: must be positive");
            require(rule.effect().type() != EffectType.MULTIPLIER
                            || rule.effect().value().compareTo(BigDecimal.ONE) >= 0,
                    at + ".effect.value: a MULTIPLIER below 1 would take points the base gave; points-service "
                            + "applies multipliers of 1 or more");
            if (rule.caps() != null && rule.caps().perCustomer() != null) {
                require(rule.caps().period() != null, at + ".caps.period: needed with perCustomer");
            }
        }
        return new EarningRules(document.earning().stacking(), rules, zone, document.tiers().levels().get(0).name());
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

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
                .earningRules(earningRules)
                .feedbackBonus(feedbackBonus);
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
        private EarningRules earningRules = EarningRules.NONE;
        private long feedbackBonus;

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

        public Builder earningRules(EarningRules earningRules) {
            this.earningRules = earningRules;
            return this;
        }

        public Builder feedbackBonus(long feedbackBonus) {
            this.feedbackBonus = feedbackBonus;
            return this;
        }

        public PointsPolicy build() {
            return new PointsPolicy(pointsPerUnit, tierMultipliers, reviewBonus, referralBonus, signupBonus,
                    birthdayBonus, returnWindow, maxPending, minimumBalance, redemptionUnit, minimumOrderValue,
                    inactivityExpiry, expiryWarning, earningRules, feedbackBonus);
        }
    }
}
