package dev.retention.points.config;

import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsPolicy;
import dev.retention.points.domain.RewardCatalogue;
import dev.retention.points.domain.RewardCatalogues;
import dev.retention.points.persistence.PointsStore;
import dev.retention.points.persistence.RewardStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the framework-free domain and persistence classes from configuration and the programme. */
public class PointsBeans {

    /**
     * The baseline: the programme as {@code retention.points.*} configures it, in force before the programme's first
     * version takes effect.
     */
    public static PointsPolicy baseline(PointsConfig config) {
        return PointsPolicy.builder()
                .pointsPerUnit(config.pointsPerUnit())
                .tierMultipliers(config.tierMultipliers())
                .reviewBonus(config.reviewBonus())
                .referralBonus(config.referralBonus())
                .signupBonus(config.signupBonus())
                .birthdayBonus(config.birthdayBonus())
                .feedbackBonus(config.feedbackBonus())
                .returnWindow(config.returnWindow())
                .maxPending(config.maxPending())
                .minimumBalance(config.redemption().minimumBalance())
                .redemptionUnit(config.redemption().unit())
                .minimumOrderValue(config.redemption().minimumOrderValue())
                .inactivityExpiry(config.expiry().inactivity())
                .expiryWarning(config.expiry().warning())
                .build();
    }

    /**
     * The policy of the programme version in force at a business time, or the baseline before the first version. The
     * kit asks it (a {@code ProgrammeCheck}) before it accepts a timeline: a version {@link PointsPolicy#from} refuses
     * is dead-lettered and the last good timeline kept.
     */
    @Produces
    @Singleton
    ProgrammePolicies<PointsPolicy> programmePolicies(ProgrammeVersions versions, PointsConfig config) {
        return new ProgrammePolicies<>(versions, "points", PointsPolicy::from, baseline(config));
    }

    /** The same, as the framework-free domain and persistence take it. */
    @Produces
    @Singleton
    PointsPolicies policies(ProgrammePolicies<PointsPolicy> policies) {
        return policies::at;
    }

    @Produces
    @Singleton
    PointsStore store(PointsPolicies policies) {
        return new PointsStore(policies);
    }

    /** The rewards of the version in force at a time; none before the first version (the baseline has none). */
    @Produces
    @Singleton
    RewardCatalogues rewardCatalogues(ProgrammeVersions versions) {
        return time -> versions.inForceAt(time).map(RewardCatalogue::of).orElse(RewardCatalogue.NONE);
    }

    @Produces
    @Singleton
    RewardStore rewardStore() {
        return new RewardStore();
    }

    /** Tests replace it to move time; everything time-based reads this clock. */
    @Produces
    @Singleton
    @io.quarkus.arc.DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
