package dev.retention.points.config;

import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.points.domain.PointsPolicy;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing changes for an existing deployment when the programme's first version is the initial document. */
class BaselinePolicyTest {

    @Test
    void theInitialProgrammeGivesTheSamePolicyAsTheShippedConfiguration() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(
                        BaselinePolicyTest.class.getResource("/application.properties")))
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "30d" durations
                .withMapping(PointsConfig.class)
                .build();

        PointsPolicy configured = PointsBeans.baseline(config.getConfigMapping(PointsConfig.class));

        assertThat(PointsPolicy.from(ProgrammeJson.initial())).isEqualTo(configured);
    }
}
