package dev.retention.tiers.config;

import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierLadder;
import dev.retention.tiers.domain.TierPolicy;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

public class TierBeans {

    /**
     * The tier rules of the programme version in force at a business time; before the first version, the baseline
     * from {@code retention.tiers.*}. A version tier-service cannot apply is refused (the kit dead-letters it and
     * keeps the last good timeline): one {@link TierPolicy#from} refuses, or one whose reporting currency is not
     * {@code retention.tiers.currency}, the currency every stored spend is kept in.
     */
    @Produces
    @Singleton
    ProgrammePolicies<TierPolicy> policies(ProgrammeVersions versions, TiersConfig config) {
        TierPolicy baseline = baseline(config);
        return new ProgrammePolicies<>(versions, "tiers", document -> {
            TierPolicy policy = TierPolicy.from(document);
            if (!policy.currency().equals(baseline.currency())) {
                throw new IllegalArgumentException("reportingCurrency: tier-service keeps qualifying spend in "
                        + baseline.currency() + " (retention.tiers.currency) and cannot convert what it stored to "
                        + policy.currency());
            }
            return policy;
        }, baseline);
    }

    /** The rules from {@code retention.tiers.*}, each setting by name: the baseline before programme version 1. */
    public static TierPolicy baseline(TiersConfig config) {
        return TierPolicy.builder()
                .ladder(ladder(config))
                .window(config.window())
                .grace(config.grace())
                .riskNotice(config.riskNotice())
                .currency(config.currency())
                .exchangeRates(config.exchangeRates())
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
