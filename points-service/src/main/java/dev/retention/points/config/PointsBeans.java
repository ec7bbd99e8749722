package dev.retention.points.config;

import dev.retention.points.domain.PointsPolicy;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the framework-free domain and persistence classes from configuration. */
public class PointsBeans {

    @Produces
    @Singleton
    PointsPolicy policy(PointsConfig config) {
        return new PointsPolicy(config.pointsPerUnit(), config.tierMultipliers(), config.reviewBonus(),
                config.referralBonus(), config.signupBonus(), config.birthdayBonus(), config.returnWindow(), config.maxPending(),
                config.redemption().minimumBalance(), config.redemption().unit(),
                config.redemption().minimumOrderValue(), config.expiry().inactivity(), config.expiry().warning(),
                config.maxAdjustment());
    }

    @Produces
    @Singleton
    PointsRules rules(PointsPolicy policy) {
        return new PointsRules(policy);
    }

    @Produces
    @Singleton
    PointsStore store(PointsPolicy policy) {
        return new PointsStore(policy);
    }

    /** Tests replace it to move time; everything time-based reads this clock. */
    @Produces
    @Singleton
    @io.quarkus.arc.DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
