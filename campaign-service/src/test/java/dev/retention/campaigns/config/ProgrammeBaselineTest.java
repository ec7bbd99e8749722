package dev.retention.campaigns.config;

import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing changes for an existing deployment: programme version 1 (initial.json) is what it was configured with. */
class ProgrammeBaselineTest {

    @Test
    void theInitialProgrammeGivesTheTriggerSettingsAndGuardsApplicationPropertiesConfigures() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        ProgrammeBaselineTest.class.getResource("/application.properties"), 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(CampaignsConfig.class)
                .withMapping(CodePoolsConfig.class) // its keys are under retention.campaigns too
                .build();
        CampaignsConfig campaigns = config.getConfigMapping(CampaignsConfig.class);

        CampaignProgramme configured = CampaignBeans.baseline(campaigns);
        CampaignProgramme initial = CampaignProgramme.from(ProgrammeJson.initial(),
                ZoneId.of(campaigns.defaultTimeZone()), campaigns.guards().holdoutSalt());

        assertThat(initial.policy()).isEqualTo(configured.policy());
        assertThat(initial.guards()).isEqualTo(configured.guards());
        assertThat(configured.policy().winBack().steps()).hasSize(3);

        ProgrammeDocument d = ProgrammeJson.initial();
        var currencies = new java.util.TreeMap<>(d.currencies());
        currencies.put("USD", new ProgrammeDocument.CurrencySettings(java.math.BigDecimal.ONE,
                new java.math.BigDecimal("0.01"), java.math.BigDecimal.ONE, java.math.BigDecimal.TEN));
        currencies.remove("EUR");
        ProgrammeDocument.Triggers t = d.triggers();
        ProgrammeDocument.Triggers noWinBack = new ProgrammeDocument.Triggers(t.delayApology(), t.birthday(),
                new ProgrammeDocument.WinBack(false, java.util.List.of()), t.reviewRequest(), t.reviewThanks(),
                t.referralInvitation(), t.tierUp(), t.downgradeWarning(), t.pointsExpiring());
        ProgrammeDocument inUsd = new ProgrammeDocument(d.timeZone(), "USD", currencies, d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), noWinBack, d.guards());
        var programmes = new CampaignBeans().programmes(null, campaigns);
        assertThat(programmes.problems(d)).isEmpty();
        assertThat(programmes.problems(inUsd)).as("lifetime spend is stored in EUR").singleElement().asString()
                .contains("reportingCurrency");
    }
}
