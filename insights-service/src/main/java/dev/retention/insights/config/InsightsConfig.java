package dev.retention.insights.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code retention.insights.*}; docs/configuration.md describes each key. */
@ConfigMapping(prefix = "retention.insights")
public interface InsightsConfig {

    /**
     * An exposure converts when the customer orders within this long after it. Applied as events arrive: a new value
     * holds for what is read from then on; replay the topics into an empty database to apply it to all history.
     */
    @WithDefault("30d")
    Duration conversionWindow();

    /** A customer is active at a month's start who ordered in this many months before (CRR). */
    @WithDefault("12")
    int activeMonths();

    /** Below this many exposures in either arm, an uplift is "not enough data yet" instead of a number. */
    @WithDefault("100")
    long minimumExposuresPerArm();

    /** When the daily snapshots are published (Quartz-style cron, UTC): by default at 00:15, for the day before. */
    @WithDefault("0 15 0 * * ?")
    String snapshotCron();

    /** The dashboard's gauges (messaging.InsightsGauges). */
    Gauges gauges();

    interface Gauges {

        /**
         * How often the gauges are read from the aggregates: a scrape then costs no query, and the measures move
         * slowly. The scheduler reads this key too.
         */
        @WithDefault("60s")
        Duration refreshEvery();
    }
}
