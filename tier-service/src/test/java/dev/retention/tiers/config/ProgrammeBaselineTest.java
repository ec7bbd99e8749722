package dev.retention.tiers.config;

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
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        ProgrammeBaselineTest.class.getResource("/application.properties"), 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(TiersConfig.class)
                .build();

        TierPolicy configured = TierBeans.baseline(config.getConfigMapping(TiersConfig.class));

        assertThat(TierPolicy.from(ProgrammeJson.initial())).isEqualTo(configured);
        assertThat(configured.ladder().tiers()).hasSize(3);
    }
}
