package dev.retention.tiers.config;

import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierLadder;
import dev.retention.tiers.domain.TierPolicy;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

public class TierBeans {

    @Produces
    @Singleton
    TierPolicy policy(TiersConfig config) {
        TierLadder ladder = new TierLadder(config.levels().entrySet().stream()
                .map(e -> new Tier(e.getKey(), e.getValue().threshold(), e.getValue().multiplier(),
                        e.getValue().benefits()))
                .toList());
        return new TierPolicy(ladder, config.window(), config.grace(), config.riskNotice(), config.currency());
    }

    /** Tests replace it to move time. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
