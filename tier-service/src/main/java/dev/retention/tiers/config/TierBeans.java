package dev.retention.tiers.config;

import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierLadder;
import dev.retention.tiers.domain.TierPolicy;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

public class TierBeans {

    /** The rules from {@code retention.tiers.*}, each setting by name. */
    @Produces
    @Singleton
    TierPolicy policy(TiersConfig config) {
        return TierPolicy.builder()
                .ladder(ladder(config))
                .window(config.window())
                .grace(config.grace())
                .riskNotice(config.riskNotice())
                .currency(config.currency())
                .build();
    }

    private static TierLadder ladder(TiersConfig config) {
        return new TierLadder(config.levels().entrySet().stream()
                .map(level -> new Tier(level.getKey(), level.getValue().threshold(), level.getValue().multiplier(),
                        level.getValue().benefits()))
                .toList());
    }

    /** Tests replace it to move time. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
