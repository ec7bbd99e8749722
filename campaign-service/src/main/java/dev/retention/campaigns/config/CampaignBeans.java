package dev.retention.campaigns.config;

import dev.retention.campaigns.domain.BirthdaySchedule;
import dev.retention.campaigns.domain.CampaignPolicy;
import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CartReminderSteps;
import dev.retention.campaigns.domain.TriggerGuards;
import dev.retention.campaigns.domain.VoucherCodeGenerator;
import dev.retention.campaigns.domain.VoucherOffer;
import dev.retention.campaigns.domain.WinBackLadder;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Wires the framework-free domain from configuration; a wrong setting stops the start with its key named. */
public class CampaignBeans {

    /**
     * The trigger settings and guards of the programme version in force at a business time; before the first
     * version, the baseline from {@code retention.campaigns.*}. A version campaign-service cannot apply is refused
     * (the kit dead-letters it and keeps the last good timeline): one {@link CampaignProgramme#from} refuses, or one
     * whose reporting currency is not {@code retention.campaigns.currency}, the currency of every stored lifetime
     * spend and of segment campaigns' thresholds.
     */
    @Produces
    @Singleton
    ProgrammePolicies<CampaignProgramme> programmes(ProgrammeVersions versions, CampaignsConfig config) {
        CampaignProgramme baseline = baseline(config);
        ZoneId defaultZone = ZoneId.of(config.defaultTimeZone());
        return new ProgrammePolicies<>(versions, "campaigns", document -> {
            CampaignProgramme programme = CampaignProgramme.from(document, defaultZone,
                    config.guards().holdoutSalt());
            if (!programme.policy().baseCurrency().equals(config.currency())) {
                throw new IllegalArgumentException("reportingCurrency: campaign-service keeps lifetime spend in "
                        + config.currency() + " (retention.campaigns.currency) and cannot convert what it stored to "
                        + programme.policy().baseCurrency());
            }
            return programme;
        }, baseline);
    }

    /** The settings from {@code retention.campaigns.*}: the baseline before programme version 1. */
    public static CampaignProgramme baseline(CampaignsConfig config) {
        return new CampaignProgramme(policy(config), guards(config));
    }

    static CampaignPolicy policy(CampaignsConfig config) {
        WinBackLadder ladder = new WinBackLadder(config.winBack().steps().stream()
                .map(step -> new WinBackLadder.Step(step.after(),
                        offer("retention.campaigns.win-back.steps[].voucher", step.voucher())))
                .toList());
        return CampaignPolicy.builder()
                .currency(config.currency(), config.exchangeRates())
                .defaultZone(ZoneId.of(config.defaultTimeZone()))
                .enable(TriggerType.DELAY_APOLOGY, config.delayApology().enabled())
                .delayApology(config.delayApology().grace(),
                        offer("retention.campaigns.delay-apology.voucher", config.delayApology().voucher()))
                .enable(TriggerType.BIRTHDAY_OFFER, config.birthday().enabled())
                .birthday(new BirthdaySchedule(config.birthday().daysBefore(), config.birthday().sendTime()),
                        offer("retention.campaigns.birthday.voucher", config.birthday().voucher()))
                .enable(TriggerType.WIN_BACK, config.winBack().enabled() && !ladder.steps().isEmpty())
                .winBack(ladder)
                .enable(TriggerType.REVIEW_REQUEST, config.reviewRequest().enabled())
                .reviewRequestAfter(config.reviewRequest().after())
                .enable(TriggerType.REVIEW_THANKS, config.reviewThanks().enabled())
                .enable(TriggerType.REFERRAL_INVITATION, config.referralInvitation().enabled())
                .enable(TriggerType.TIER_UP, config.tierUp().enabled())
                .enable(TriggerType.DOWNGRADE_WARNING, config.downgradeWarning().enabled())
                .enable(TriggerType.POINTS_EXPIRING, config.pointsExpiring().enabled())
                // Campaigns are switched on and off one by one, through the API.
                .enable(TriggerType.SEGMENT_OFFER, true)
                .enable(TriggerType.REWARD, true)
                .enable(TriggerType.CART_REMINDER, config.cartReminder().enabled())
                .cartReminder(cartReminder(config.cartReminder()))
                // The feedback mail replaces the review request only where a programme version asks for it.
                .enable(TriggerType.SERVICE_RECOVERY, config.serviceRecovery().enabled())
                .serviceRecovery(config.serviceRecovery().enabled() ? offer(
                        "retention.campaigns.service-recovery.voucher", config.serviceRecovery().voucher()) : null)
                .feedbackLinkValidFor(config.serviceRecovery().feedbackLinkValidFor())
                .build();
    }

    static CartReminderSteps cartReminder(CampaignsConfig.CartReminder config) {
        List<CartReminderSteps.Step> steps = new ArrayList<>();
        steps.add(new CartReminderSteps.Step(config.after(), null));
        config.secondStep().ifPresent(second -> steps.add(new CartReminderSteps.Step(second.after(),
                offer("retention.campaigns.cart-reminder.second-step.voucher", second.voucher()))));
        return new CartReminderSteps(steps);
    }

    static VoucherOffer offer(String key, CampaignsConfig.Offer offer) {
        try {
            return new VoucherOffer(offer.value(), offer.percentOff().orElse(null), offer.freeGiftSku().orElse(null),
                    offer.freeShipping(), offer.minimumOrderValue(), offer.validFor());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    static TriggerGuards guards(CampaignsConfig config) {
        return new TriggerGuards(config.guards().holdoutShare(), config.guards().holdoutSalt(),
                config.guards().frequencyCap(), config.guards().frequencyCapWindow(),
                config.guards().monthlyVoucherBudget().orElse(null), ZoneId.of(config.defaultTimeZone()));
    }

    @Produces
    @Singleton
    VoucherCodeGenerator codes() {
        return new VoucherCodeGenerator();
    }

    @Produces
    @Singleton
    CampaignRules rules(ProgrammePolicies<CampaignProgramme> programmes, VoucherCodeGenerator codes) {
        return new CampaignRules(time -> programmes.at(time).policy(), codes);
    }

    /** Tests replace it to move time; everything time-based reads this clock. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
