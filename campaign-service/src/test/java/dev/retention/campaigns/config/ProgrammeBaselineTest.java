package dev.retention.campaigns.config;

import dev.retention.campaigns.domain.CampaignProgramme;
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
                .build();
        CampaignsConfig campaigns = config.getConfigMapping(CampaignsConfig.class);

        CampaignProgramme configured = CampaignBeans.baseline(campaigns);
        CampaignProgramme initial = CampaignProgramme.from(ProgrammeJson.initial(),
                ZoneId.of(campaigns.defaultTimeZone()), campaigns.guards().holdoutSalt());

        assertThat(initial.policy()).isEqualTo(configured.policy());
        assertThat(initial.guards()).isEqualTo(configured.guards());
        assertThat(configured.policy().winBack().steps()).hasSize(3);
    }
}
