package dev.retention.points.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** {@code retention.points.*}: the programme's numbers; docs/configuration.md describes each key. */
@ConfigMapping(prefix = "retention.points")
public interface PointsConfig {

    /** Points per whole currency unit of eligible merchandise value, per ISO 4217 currency. */
    Map<String, BigDecimal> pointsPerUnit();

    /** Multiplier per tier name, as tier-service names tiers; unknown tiers earn 1x. */
    Map<String, BigDecimal> tierMultipliers();

    @WithDefault("50")
    long reviewBonus();

    @WithDefault("200")
    long referralBonus();

    @WithDefault("100")
    long signupBonus();

    /** Granted when campaign-service's birthday offer fires for the customer; 0 (the default) grants none. */
    @WithDefault("0")
    long birthdayBonus();

    /**
     * Granted once per order for a feedback answer (campaign-service's {@code feedback.recorded}), whatever the
     * score; 0 (the default) grants none. A programme version sets it as {@code triggers.feedback.points}.
     */
    @WithDefault("0")
    long feedbackBonus();

    @WithDefault("30d")
    Duration returnWindow();

    @WithDefault("60d")
    Duration maxPending();

    Redemption redemption();

    Expiry expiry();

    @WithDefault("10000")
    long maxAdjustment();

    /** Largest manual adjustment either way a support token may make; admins go up to {@link #maxAdjustment()}. */
    @WithDefault("500")
    long supportAdjustmentLimit();

    Jobs jobs();

    interface Redemption {
        @WithDefault("100")
        long minimumBalance();

        @WithDefault("100")
        long unit();

        Map<String, BigDecimal> minimumOrderValue();

        /** API redemption attempts one customer may make per {@link #attemptWindow()}; more answer 429. */
        @WithDefault("10")
        int attemptsPerCustomer();

        @WithDefault("1m")
        Duration attemptWindow();
    }

    interface Expiry {
        @WithDefault("365d")
        Duration inactivity();

        @WithDefault("30d")
        Duration warning();
    }

    interface Jobs {
        /** How often the release and expiry jobs run (read by the scheduler annotation). */
        @WithDefault("30s")
        String every();

        /** Rows one scheduled run handles per transaction. */
        @WithDefault("500")
        int batchSize();
    }
}
