package dev.retention.tiers.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** {@code retention.tiers.*}: the ladder and its timing; docs/configuration.md describes each key. */
@ConfigMapping(prefix = "retention.tiers")
public interface TiersConfig {

    /** Thresholds and qualifying spend are in this currency. */
    @WithDefault("EUR")
    String currency();

    /** Value of one unit of each accepted currency in the base currency; orders in other currencies are rejected. */
    Map<String, BigDecimal> exchangeRates();

    Map<String, Level> levels();

    @WithDefault("365d")
    Duration window();

    @WithDefault("30d")
    Duration grace();

    @WithDefault("14d")
    Duration riskNotice();

    Jobs jobs();

    interface Level {
        BigDecimal threshold();

        @WithDefault("1")
        BigDecimal multiplier();

        @WithDefault("none")
        String benefits();
    }

    interface Jobs {
        @WithDefault("1m")
        String every();

        @WithDefault("500")
        int batchSize();

        /** Customers marked due per transaction when a programme version that moves tiers takes effect. */
        @WithDefault("10000")
        int sweepChunk();
    }
}
