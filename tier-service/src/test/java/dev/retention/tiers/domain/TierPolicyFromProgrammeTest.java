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
