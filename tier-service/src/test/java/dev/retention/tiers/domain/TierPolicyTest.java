package dev.retention.tiers.domain;

import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TierPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    static final TierLadder LADDER = new TierLadder(List.of(
            new Tier("silver", new BigDecimal("500.00"), new BigDecimal("2"), "tier.silver"),
            new Tier("bronze", BigDecimal.ZERO, BigDecimal.ONE, "tier.bronze"),
            new Tier("gold", new BigDecimal("1500.00"), new BigDecimal("3"), "tier.gold")));

    private final TierPolicy policy = TierPolicy.builder().ladder(LADDER).window(Duration.ofDays(365))
            .grace(Duration.ofDays(30)).riskNotice(Duration.ofDays(7)).currency("EUR").exchangeRates(java.util.Map.of("EUR", BigDecimal.ONE)).build();

    @Test
    void firstEvaluationGivesTheTierTheSpendReaches() {
        TierPolicy.Evaluation first = policy.evaluate(TierStatus.none(), List.of(order("o1", T0, "120.00")), T0);

        assertThat(first.status().tier()).isEqualTo("bronze");
        TierChanged changed = (TierChanged) first.events().get(0);
        assertThat(changed.direction()).isEqualTo(TierChanged.Direction.INITIAL);
        assertThat(changed.fromTier()).isNull();
        assertThat(changed.qualifyingSpend().amount()).isEqualByComparingTo("120.00");
    }

    @Test
    void crossingAThresholdUpgradesAtOnceAndCanSkipATier() {
        TierStatus bronze = policy.evaluate(TierStatus.none(), List.of(order("o1", T0, "100.00")), T0).status();

        TierPolicy.Evaluation up = policy.evaluate(bronze,
                List.of(order("o1", T0, "100.00"), order("o2", T0.plus(DAY), "1400.00")), T0.plus(DAY));

        assertThat(up.status().tier()).isEqualTo("gold");
        assertThat(up.events()).singleElement().isInstanceOfSatisfying(TierChanged.class, changed -> {
            assertThat(changed.direction()).isEqualTo(TierChanged.Direction.UP);
            assertThat(changed.fromTier()).isEqualTo("bronze");
        });
    }

    @Test
    void exactlyTheThresholdQualifies() {
        assertThat(LADDER.tierFor(new BigDecimal("499.99")).name()).isEqualTo("bronze");
        assertThat(LADDER.tierFor(new BigDecimal("500.00")).name()).isEqualTo("silver");
    }

    @Test
    void spendLeavingTheWindowWarnsThenDowngradesAfterTheGracePeriod() {
        List<QualifyingOrder> orders = List.of(order("o1", T0, "600.00"));
        TierStatus silver = policy.evaluate(TierStatus.none(), orders, T0).status();
        assertThat(silver.tier()).isEqualTo("silver");
        Instant leaves = T0.plus(Duration.ofDays(365));
        assertThat(silver.nextEvaluationAt()).isEqualTo(leaves);

        TierPolicy.Evaluation below = policy.evaluate(silver, orders, leaves);
        assertThat(below.events()).isEmpty();
        assertThat(below.status().tier()).isEqualTo("silver");
        assertThat(below.status().belowSince()).isEqualTo(leaves);
        Instant warnAt = leaves.plus(Duration.ofDays(23));
        assertThat(below.status().nextEvaluationAt()).isEqualTo(warnAt);

        TierPolicy.Evaluation warned = policy.evaluate(below.status(), orders, warnAt);
        TierDowngradeAtRisk risk = (TierDowngradeAtRisk) warned.events().get(0);
        assertThat(risk.projectedTier()).isEqualTo("bronze");
        assertThat(risk.shortfall().amount()).isEqualByComparingTo("500.00");
        assertThat(risk.downgradeOn()).isEqualTo(LocalDate.parse("2027-02-09"));
        assertThat(policy.evaluate(warned.status(), orders, warnAt.plusSeconds(60)).events()).isEmpty();

        TierPolicy.Evaluation down = policy.evaluate(warned.status(), orders, leaves.plus(Duration.ofDays(30)));
        assertThat(down.status().tier()).isEqualTo("bronze");
        assertThat(((TierChanged) down.events().get(0)).direction()).isEqualTo(TierChanged.Direction.DOWN);
    }

    @Test
    void spendRecoveredDuringGraceKeepsTheTier() {
        List<QualifyingOrder> orders = new ArrayList<>(List.of(order("o1", T0, "600.00")));
        TierStatus silver = policy.evaluate(TierStatus.none(), orders, T0).status();
        Instant leaves = T0.plus(Duration.ofDays(365));
        TierStatus below = policy.evaluate(silver, orders, leaves).status();

        orders.add(order("o2", leaves.plus(Duration.ofDays(10)), "550.00"));
        TierPolicy.Evaluation recovered = policy.evaluate(below, orders, leaves.plus(Duration.ofDays(10)));

        assertThat(recovered.events()).isEmpty();
        assertThat(recovered.status().belowSince()).isNull();
        assertThat(policy.evaluate(recovered.status(), orders, leaves.plus(Duration.ofDays(31))).events()).isEmpty();
    }

    @Test
    void returnsAndCancellationsReduceQualifyingSpend() {
        List<QualifyingOrder> orders = List.of(
                new QualifyingOrder("o1", T0, new BigDecimal("400.00"), new BigDecimal("150.00"), false),
                new QualifyingOrder("o2", T0, new BigDecimal("300.00"), BigDecimal.ZERO, true),
                order("o3", T0, "200.00"));

        assertThat(policy.qualifyingSpend(orders, T0.plus(DAY))).isEqualByComparingTo("450.00");
    }

    @Test
    void theOrderOfEventsDoesNotChangeTheOutcome() {
        List<QualifyingOrder> orders = new ArrayList<>(List.of(order("a", T0, "300.00"),
                new QualifyingOrder("b", T0.plus(DAY), new BigDecimal("900.00"), new BigDecimal("100.00"), false),
                order("c", T0.minus(Duration.ofDays(400)), "5000.00"),
                order("d", T0.plus(DAY), "350.00")));
        Instant now = T0.plus(Duration.ofDays(2));
        String inOrder = policy.evaluate(TierStatus.none(), orders, now).status().tier();

        Collections.reverse(orders);
        String reversed = policy.evaluate(TierStatus.none(), orders, now).status().tier();

        assertThat(inOrder).isEqualTo(reversed).isEqualTo("silver");
    }

    @Test
    void aLateReturnForAnOrderOutsideTheWindowChangesNothing() {
        Instant now = T0.plus(Duration.ofDays(400));
        List<QualifyingOrder> before = List.of(order("old", T0, "900.00"), order("new", now.minus(DAY), "600.00"));
        List<QualifyingOrder> afterLateReturn = List.of(
                new QualifyingOrder("old", T0, new BigDecimal("900.00"), new BigDecimal("900.00"), false),
                order("new", now.minus(DAY), "600.00"));

        assertThat(policy.qualifyingSpend(afterLateReturn, now)).isEqualByComparingTo(policy.qualifyingSpend(before,
                now)).isEqualByComparingTo("600.00");
    }

    @Test
    void safeUntilIsWhenSpendWouldFallBelowTheThresholdPlusGrace() {
        List<QualifyingOrder> orders = List.of(order("o1", T0, "300.00"), order("o2", T0.plus(Duration.ofDays(100)),
                "300.00"));
        TierStatus silver = policy.evaluate(TierStatus.none(), orders, T0.plus(Duration.ofDays(100))).status();

        assertThat(policy.safeUntil(silver, orders, T0.plus(Duration.ofDays(100))))
                .contains(T0.plus(Duration.ofDays(365 + 30)));
    }

    private static QualifyingOrder order(String id, Instant at, String value) {
        return new QualifyingOrder(id, at, new BigDecimal(value), BigDecimal.ZERO, false);
    }
}
