package dev.retention.campaigns.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Partner code pools (docs/configuration.md, "Code pools"). */
@ConfigMapping(prefix = "retention.campaigns.code-pools")
public interface CodePoolsConfig {

    /** A new pool's low threshold, unless its first upload names one: below it, RetentionCodePoolLow fires. */
    @WithDefault("10")
    int lowThreshold();

    /**
     * How often the pool gauges are read again from the database (an upload refreshes its pool's at once); the
     * scheduler's syntax, so {@code off} stops it (tests).
     */
    @WithDefault("60s")
    String gaugeEvery();
}
