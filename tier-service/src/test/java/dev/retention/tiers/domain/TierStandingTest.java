package dev.retention.tiers.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TierStandingTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    private final TierPolicy policy = TierPolicy.builder().ladder(TierPolicyTest.LADDER).window(Duration.ofDays(365))
            .grace(Duration.ofDays(30)).riskNotice(Duration.ofDays(7)).currency("EUR").exchangeRates(java.util.Map.of("EUR", BigDecimal.ONE)).build();

    @Test
    void showsWhatIsMissingToTheNextTierAndNothingAtTheTop() {
        List<QualifyingOrder> silverOrders = List.of(order("o1", T0, "600.00"));
        TierStanding silver = policy.standing(policy.evaluate(TierStatus.none(), silverOrders, T0).status(),
                silverOrders, T0);
        List<QualifyingOrder> goldOrders = List.of(order("o1", T0, "1600.00"));
        TierStanding gold = policy.standing(policy.evaluate(TierStatus.none(), goldOrders, T0).status(),
                goldOrders, T0);

        assertThat(silver.nextTier()).map(Tier::name).contains("gold");
        assertThat(silver.amountToNextTier()).hasValueSatisfying(
                missing -> assertThat(missing).isEqualByComparingTo("900.00"));
        assertThat(gold.nextTier()).isEmpty();
        assertThat(gold.amountToNextTier()).isEmpty();
    }

    @Test
    void aDowngradeDateOnlyWhileSpendIsUnderTheThreshold() {
        List<QualifyingOrder> orders = List.of(order("o1", T0, "600.00"));
        TierStatus silver = policy.evaluate(TierStatus.none(), orders, T0).status();
        Instant leaves = T0.plus(Duration.ofDays(365));
        TierStatus below = policy.evaluate(silver, orders, leaves).status();

        assertThat(policy.standing(silver, orders, T0).downgradeAt()).isEmpty();
        assertThat(policy.standing(silver, orders, T0).safeUntil()).contains(leaves.plus(Duration.ofDays(30)));
        assertThat(policy.standing(below, orders, leaves).downgradeAt()).contains(leaves.plus(Duration.ofDays(30)));
        assertThat(policy.standing(below, orders, leaves).qualifyingSpend()).isEqualByComparingTo("0");
    }

    private static QualifyingOrder order(String id, Instant at, String value) {
        return new QualifyingOrder(id, at, new BigDecimal(value), BigDecimal.ZERO, false);
    }
}
