package dev.retention.programme.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The programme this deployment runs and how its versions are published (docs/configuration.md, "programme-service"). */
@ConfigMapping(prefix = "retention.programme")
public interface ProgrammeConfig {

    /** The programme of this deployment: version 1 is published for it on first start. */
    @WithDefault("default")
    String id();

    /**
     * A JSON file with the programme that becomes version 1 on first start; absent: the built-in initial programme
     * ({@code ProgrammeJson.initial()}, the values the services' application.properties have by default).
     */
    Optional<Path> initialDocument();

    /**
     * A publication without {@code effectiveFrom} takes effect this long after it is published: the time every
     * service needs to receive the version from {@code retention.programme} before events of that time arrive.
     */
    @WithDefault("30s")
    Duration activationDelay();

    /** Where the services that re-run their rules for a simulation answer (docs/programme.md, "Simulation"). */
    Simulation simulation();

    interface Simulation {

        /** points-service's API. */
        @WithDefault("http://localhost:8081")
        URI pointsUrl();

        /** tier-service's API. */
        @WithDefault("http://localhost:8082")
        URI tiersUrl();

        /** campaign-service's API. */
        @WithDefault("http://localhost:8083")
        URI campaignsUrl();

        /** How long a service may take to answer before the simulation fails with 503. */
        @WithDefault("120s")
        Duration timeout();
    }
}
