package dev.retention.tiers.domain;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.Tier;
import dev.retention.contracts.programme.ProgrammeDocument.Tiers;
import dev.retention.contracts.programme.ProgrammeJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TierPolicyFromProgrammeTest {

    private static final ProgrammeDocument INITIAL = ProgrammeJson.initial();

    @Test
    void theInitialProgrammeGivesItsLadderTimingAndRates() {
        TierPolicy policy = TierPolicy.from(INITIAL);

        assertThat(policy.ladder().tiers()).extracting(dev.retention.tiers.domain.Tier::name)
                .containsExactly("bronze", "silver", "gold");
        assertThat(policy.ladder().named("gold").threshold()).isEqualByComparingTo("1500");
        assertThat(policy.ladder().named("silver").multiplier()).isEqualByComparingTo("2");
        assertThat(policy.ladder().named("silver").benefitsKey()).isEqualTo("tier.silver.benefits");
        assertThat(policy.window()).isEqualTo(Duration.ofDays(365));
        assertThat(policy.currency()).isEqualTo("EUR");
        assertThat(policy.toBase(new BigDecimal("100"), "USD")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("92"));
        assertThat(policy.toBase(BigDecimal.ONE, "JPY")).isEmpty();
    }

    @Test
    void aLowerThresholdMovesCustomersAndAnotherMultiplierDoesNot() {
        TierPolicy initial = TierPolicy.from(INITIAL);

        TierPolicy lowered = TierPolicy.from(withTiers(INITIAL, levels("300.00", "1500.00", "2")));
        TierPolicy richer = TierPolicy.from(withTiers(INITIAL, levels("500.00", "1500.00", "4")));

        assertThat(lowered.movesLike(initial)).isFalse();
        assertThat(richer.movesLike(initial)).isTrue();
        assertThat(richer).isNotEqualTo(initial);
        assertThat(TierPolicy.from(withTiers(INITIAL, levels("500", "1500.0", "2")))).isEqualTo(initial);
    }

    @Test
    void aLongerWindowMovesCustomers() {
        Tiers tiers = INITIAL.tiers();
        TierPolicy longer = TierPolicy.from(withTiers(INITIAL,
                new Tiers(tiers.levels(), Duration.ofDays(730), tiers.grace(), tiers.riskNotice())));

        assertThat(longer.movesLike(TierPolicy.from(INITIAL))).isFalse();
    }

    @Test
    void whatTierServiceCannotApplyIsRefusedWithThePartNamed() {
        assertThatThrownBy(() -> TierPolicy.from(withTiers(INITIAL, new Tiers(List.of(), Duration.ofDays(365),
                Duration.ofDays(30), Duration.ofDays(14)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiers.levels");
        assertThatThrownBy(() -> TierPolicy.from(withTiers(INITIAL, new Tiers(List.of(
                new Tier("bronze", new BigDecimal("10"), BigDecimal.ONE, "b")), Duration.ofDays(365),
                Duration.ofDays(30), Duration.ofDays(14)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold 0");
        assertThatThrownBy(() -> TierPolicy.from(withTiers(INITIAL, new Tiers(List.of(
                new Tier("bronze", BigDecimal.ZERO, BigDecimal.ONE, "b"),
                new Tier("bronze", BigDecimal.TEN, BigDecimal.ONE, "b")), Duration.ofDays(365),
                Duration.ofDays(30), Duration.ofDays(14)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not unique");
        Map<String, ProgrammeDocument.CurrencySettings> currencies = new LinkedHashMap<>(INITIAL.currencies());
        currencies.put("USD", new ProgrammeDocument.CurrencySettings(BigDecimal.ONE, new BigDecimal("0.01"), null,
                BigDecimal.TEN));
        assertThatThrownBy(() -> TierPolicy.from(withCurrencies(INITIAL, "EUR", currencies)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("currencies.USD.exchangeRate");
        assertThatThrownBy(() -> TierPolicy.from(withCurrencies(INITIAL, "SEK", INITIAL.currencies())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SEK");
    }

    @Test
    void aLoweredThresholdUpgradesAtTheNextEvaluationAndARaisedOneStartsTheGrace() {
        java.time.Instant t0 = java.time.Instant.parse("2026-01-10T12:00:00Z");
        java.time.Instant t1 = t0.plus(Duration.ofDays(1));
        List<QualifyingOrder> orders = List.of(new QualifyingOrder("o1", t0, new BigDecimal("400.00"),
                BigDecimal.ZERO, false));
        TierStatus bronze = TierPolicy.from(INITIAL).evaluate(TierStatus.none(), orders, t0).status();

        TierPolicy.Evaluation lowered = TierPolicy.from(withTiers(INITIAL, levels("300.00", "1500.00", "2")))
                .evaluate(bronze, orders, t1);
        TierPolicy.Evaluation raised = TierPolicy.from(withTiers(INITIAL, levels("450.00", "1500.00", "2")))
                .evaluate(lowered.status(), orders, t1.plus(Duration.ofDays(1)));

        assertThat(bronze.tier()).isEqualTo("bronze");
        assertThat(lowered.status().tier()).isEqualTo("silver");
        assertThat(lowered.change()).hasValueSatisfying(c -> assertThat(c.reason()).contains("300.00"));
        assertThat(raised.status().tier()).isEqualTo("silver");
        assertThat(raised.status().belowSince()).isEqualTo(t1.plus(Duration.ofDays(1)));
        assertThat(raised.change()).isEmpty();
    }

    @Test
    void aCustomerInATierTheProgrammeNoLongerHasMovesToTheTierTheSpendReachesAtOnce() {
        java.time.Instant t0 = java.time.Instant.parse("2026-01-10T12:00:00Z");
        List<QualifyingOrder> orders = List.of(new QualifyingOrder("o1", t0, new BigDecimal("600.00"),
                BigDecimal.ZERO, false));
        TierStatus silver = TierPolicy.from(INITIAL).evaluate(TierStatus.none(), orders, t0).status();
        TierPolicy renamed = TierPolicy.from(withTiers(INITIAL, List.of(
                new Tier("bronze", BigDecimal.ZERO, BigDecimal.ONE, "b"),
                new Tier("argent", new BigDecimal("500.00"), new BigDecimal("2"), "a"))));

        TierPolicy.Evaluation next = renamed.evaluate(silver, orders, t0.plus(Duration.ofDays(1)));
        TierPolicy.Evaluation after = renamed.evaluate(next.status(), orders, t0.plus(Duration.ofDays(2)));

        assertThat(next.status().tier()).isEqualTo("argent");
        assertThat(next.change()).hasValueSatisfying(c -> {
            assertThat(c.fromTier()).isEqualTo("silver");
            assertThat(c.reason()).contains("no longer in the programme");
        });
        assertThat(after.change()).isEmpty();
    }

    static List<Tier> levels(String silver, String gold, String silverMultiplier) {
        return List.of(new Tier("bronze", new BigDecimal("0"), new BigDecimal("1"), "tier.bronze.benefits"),
                new Tier("silver", new BigDecimal(silver), new BigDecimal(silverMultiplier), "tier.silver.benefits"),
                new Tier("gold", new BigDecimal(gold), new BigDecimal("3"), "tier.gold.benefits"));
    }

    static ProgrammeDocument withTiers(ProgrammeDocument d, List<Tier> levels) {
        Tiers tiers = d.tiers();
        return withTiers(d, new Tiers(levels, tiers.window(), tiers.grace(), tiers.riskNotice()));
    }

    static ProgrammeDocument withTiers(ProgrammeDocument d, Tiers tiers) {
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), tiers, d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }

    static ProgrammeDocument withCurrencies(ProgrammeDocument d, String reporting,
                                            Map<String, ProgrammeDocument.CurrencySettings> currencies) {
        return new ProgrammeDocument(d.timeZone(), reporting, currencies, d.tiers(), d.earning(), d.bonuses(),
                d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }
}
