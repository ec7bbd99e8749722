package dev.retention.campaigns.config;

import dev.retention.campaigns.domain.BirthdaySchedule;
import dev.retention.campaigns.domain.CampaignPolicy;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.TriggerGuards;
import dev.retention.campaigns.domain.VoucherCodeGenerator;
import dev.retention.campaigns.domain.VoucherOffer;
import dev.retention.campaigns.domain.WinBackLadder;
import dev.retention.contracts.events.TriggerType;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/** Wires the framework-free domain from configuration; a wrong setting stops the start with its key named. */
public class CampaignBeans {

    @Produces
    @Singleton
    CampaignPolicy policy(CampaignsConfig config) {
        Set<TriggerType> enabled = EnumSet.noneOf(TriggerType.class);
        enable(enabled, TriggerType.DELAY_APOLOGY, config.delayApology().enabled());
        enable(enabled, TriggerType.BIRTHDAY_OFFER, config.birthday().enabled());
        enable(enabled, TriggerType.WIN_BACK, config.winBack().enabled() && !config.winBack().steps().isEmpty());
        enable(enabled, TriggerType.REVIEW_REQUEST, config.reviewRequest().enabled());
        enable(enabled, TriggerType.REVIEW_THANKS, config.reviewThanks().enabled());
        enable(enabled, TriggerType.REFERRAL_INVITATION, config.referralInvitation().enabled());
        enable(enabled, TriggerType.TIER_UP, config.tierUp().enabled());
        enable(enabled, TriggerType.DOWNGRADE_WARNING, config.downgradeWarning().enabled());
        enable(enabled, TriggerType.POINTS_EXPIRING, config.pointsExpiring().enabled());
        enabled.add(TriggerType.SEGMENT_OFFER); // campaigns are switched on and off one by one, through the API
        WinBackLadder ladder = new WinBackLadder(config.winBack().steps().stream()
                .map(step -> new WinBackLadder.Step(step.after(),
                        offer("retention.campaigns.win-back.steps[].voucher", step.voucher())))
                .toList());
        return new CampaignPolicy(enabled, config.currency(), config.exchangeRates(),
                ZoneId.of(config.defaultTimeZone()), config.delayApology().grace(),
                offer("retention.campaigns.delay-apology.voucher", config.delayApology().voucher()),
                new BirthdaySchedule(config.birthday().daysBefore(), config.birthday().sendTime()),
                offer("retention.campaigns.birthday.voucher", config.birthday().voucher()), ladder,
                config.reviewRequest().after());
    }

    private static void enable(Set<TriggerType> enabled, TriggerType type, boolean on) {
        if (on) {
            enabled.add(type);
        }
    }

    static VoucherOffer offer(String key, CampaignsConfig.Offer offer) {
        try {
            return new VoucherOffer(offer.value(), offer.percentOff().orElse(null), offer.freeGiftSku().orElse(null),
                    offer.freeShipping(), offer.minimumOrderValue(), offer.validFor());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    TriggerGuards guards(CampaignsConfig config) {
        return new TriggerGuards(config.guards().holdoutShare(), config.guards().holdoutSalt(),
                config.guards().frequencyCap(), config.guards().frequencyCapWindow());
    }

    @Produces
    @Singleton
    VoucherCodeGenerator codes() {
        return new VoucherCodeGenerator();
    }

    @Produces
    @Singleton
    CampaignRules rules(CampaignPolicy policy, VoucherCodeGenerator codes) {
        return new CampaignRules(policy, codes);
    }

    /** Tests replace it to move time; everything time-based reads this clock. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
