package dev.retention.tiers.config;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.tiers.domain.TierPolicy;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing changes for an existing deployment: programme version 1 (initial.json) is what it was configured with. */
class ProgrammeBaselineTest {

    @Test
    void theInitialProgrammeGivesTheTierPolicyApplicationPropertiesConfigures() throws IOException {
        TierPolicy configured = TierBeans.baseline(config().getConfigMapping(TiersConfig.class));

        assertThat(TierPolicy.from(ProgrammeJson.initial())).isEqualTo(configured);
        assertThat(configured.ladder().tiers()).hasSize(3);
    }

    private static SmallRyeConfig config() throws IOException {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        ProgrammeBaselineTest.class.getResource("/application.properties"), 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(TiersConfig.class)
                .build();
    }

    @Test
    void aVersionWithAnotherReportingCurrencyThanTheStoredSpendIsRefused() throws IOException {
        var policies = new TierBeans().policies(null, config().getConfigMapping(TiersConfig.class));
        ProgrammeDocument d = ProgrammeJson.initial();
        var currencies = new java.util.TreeMap<>(d.currencies());
        currencies.put("USD", new ProgrammeDocument.CurrencySettings(java.math.BigDecimal.ONE,
                new java.math.BigDecimal("0.01"), java.math.BigDecimal.ONE, java.math.BigDecimal.TEN));
        currencies.remove("EUR");
        ProgrammeDocument inUsd = new ProgrammeDocument(d.timeZone(), "USD", currencies, d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());

        assertThat(policies.problems(d)).isEmpty();
        assertThat(policies.problems(inUsd)).singleElement().asString().contains("reportingCurrency");
    }
}
