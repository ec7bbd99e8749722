package dev.retention.points.domain;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.Earning;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Effect;
import dev.retention.contracts.programme.ProgrammeDocument.EffectType;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;
import dev.retention.contracts.programme.ProgrammeDocument.Tier;
import dev.retention.contracts.programme.ProgrammeDocument.Tiers;
import dev.retention.contracts.programme.ProgrammeJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PointsPolicyTest {

    private static final ProgrammeDocument INITIAL = ProgrammeJson.initial();

    @Test
    void derivesRatesRedemptionMinimumsTierMultipliersBonusesPendingAndExpiryFromTheDocument() {
        PointsPolicy policy = PointsPolicy.from(INITIAL);

        assertThat(policy.pointsPerUnit()).containsEntry("EUR", new BigDecimal("1")).hasSize(4);
        assertThat(policy.minimumOrderValue()).containsEntry("GBP", new BigDecimal("10.00"));
        assertThat(policy.tierMultipliers()).containsEntry("gold", new BigDecimal("3"));
        assertThat(policy.signupBonus()).isEqualTo(100);
        assertThat(policy.redemptionUnit()).isEqualTo(100);
        assertThat(policy.returnWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(policy.inactivityExpiry()).isEqualTo(Duration.ofDays(365));
        assertThat(policy.earningRules()).isEqualTo(EarningRules.NONE);
    }

    @Test
    void tierMultipliersComeFromTheDocumentsTiers() {
        ProgrammeDocument doubled = with(INITIAL, new Tiers(List.of(
                new Tier("bronze", BigDecimal.ZERO, new BigDecimal("1.5"), "b"),
                new Tier("platinum", new BigDecimal("100"), new BigDecimal("4"), "p")),
                Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(14)), INITIAL.earning());

        assertThat(PointsPolicy.from(doubled).tierMultipliers())
                .isEqualTo(Map.of("bronze", new BigDecimal("1.5"), "platinum", new BigDecimal("4")));
    }

    @Test
    void earningRulesAreReadInTheProgrammesTimeZoneWithItsLowestTier() {
        EarningRule rule = new EarningRule("double", "Double points", null,
                new Effect(EffectType.MULTIPLIER, new BigDecimal("2")), null);

        EarningRules rules = PointsPolicy.from(with(INITIAL, INITIAL.tiers(),
                new Earning(Stacking.HIGHEST, List.of(rule)))).earningRules();

        assertThat(rules).isEqualTo(new EarningRules(Stacking.HIGHEST, List.of(rule), ZoneId.of("Europe/Berlin"),
                "bronze"));
    }

    @Test
    void refusesAMultiplierBelowOneNamingTheRule() {
        EarningRule half = new EarningRule("half", "Half points", null,
                new Effect(EffectType.MULTIPLIER, new BigDecimal("0.5")), null);

        assertThatThrownBy(() -> PointsPolicy.from(with(INITIAL, INITIAL.tiers(),
                new Earning(Stacking.SUM, List.of(half)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("earning.rules[0].effect.value");
    }

    @Test
    void refusesADocumentWithoutTiers() {
        assertThatThrownBy(() -> PointsPolicy.from(with(INITIAL, null, INITIAL.earning())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiers");
    }

    private static ProgrammeDocument with(ProgrammeDocument d, Tiers tiers, Earning earning) {
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), tiers, earning,
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }
}
