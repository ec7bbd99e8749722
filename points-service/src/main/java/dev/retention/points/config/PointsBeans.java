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
        return PointsPolicy.builder()
                .pointsPerUnit(config.pointsPerUnit())
                .tierMultipliers(config.tierMultipliers())
                .reviewBonus(config.reviewBonus())
                .referralBonus(config.referralBonus())
                .signupBonus(config.signupBonus())
                .birthdayBonus(config.birthdayBonus())
                .returnWindow(config.returnWindow())
                .maxPending(config.maxPending())
                .minimumBalance(config.redemption().minimumBalance())
                .redemptionUnit(config.redemption().unit())
                .minimumOrderValue(config.redemption().minimumOrderValue())
                .inactivityExpiry(config.expiry().inactivity())
                .expiryWarning(config.expiry().warning())
                .maxAdjustment(config.maxAdjustment())
                .build();
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
