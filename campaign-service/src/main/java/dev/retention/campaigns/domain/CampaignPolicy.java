package dev.retention.campaigns.domain;

import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of every built-in trigger. A trigger not in {@code enabled} never fires; the offers are the vouchers
 * the triggers hand out. Built with {@link #builder()}, a trigger's settings together.
 *
 * @param baseCurrency  lifetime spend (segments) is kept in this currency
 * @param exchangeRates value of one unit of each accepted currency in the base currency
 * @param defaultZone   for customers whose time zone is not known (yet)
 * @param cartReminder  the cart reminder's steps (none when the programme has no cart reminder)
 * @param serviceRecoveryOffer  a detractor's apology voucher (SERVICE_RECOVERY); null when none is set
 * @param feedbackLinkValidFor  how long a feedback mail's score links stay valid
 */
public record CampaignPolicy(
        Set<TriggerType> enabled,
        String baseCurrency,
        Map<String, BigDecimal> exchangeRates,
        ZoneId defaultZone,
        Duration delayGrace,
        VoucherOffer delayApologyOffer,
        BirthdaySchedule birthdaySchedule,
        VoucherOffer birthdayOffer,
        WinBackLadder winBack,
        Duration reviewRequestAfter,
        CartReminderSteps cartReminder,
        VoucherOffer serviceRecoveryOffer,
        Duration feedbackLinkValidFor) {

    public CampaignPolicy {
        enabled = Set.copyOf(enabled);
        exchangeRates = Map.copyOf(exchangeRates);
        if (!exchangeRates.containsKey(baseCurrency)) {
            throw new IllegalArgumentException("the base currency " + baseCurrency + " needs an exchange rate (1)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The trigger settings of a programme version: every trigger's switch, the delay apology's grace and voucher, the
     * birthday's days before, send time and voucher, the win-back ladder, the review request's delay, the reporting
     * currency and every currency's exchange rate into it. Segment offers stay on: they are switched one by one
     * through the API; rewards stay on: the customer paid for them.
     *
     * @param defaultZone operational, from application.properties: for customers whose time zone is not known
     * @throws IllegalArgumentException naming the part of the document campaign-service cannot apply
     */
    public static CampaignPolicy from(ProgrammeDocument document, ZoneId defaultZone) {
        ProgrammeDocument.Triggers triggers = required(document.triggers(), "triggers");
        String reporting = required(document.reportingCurrency(), "reportingCurrency");
        Map<String, BigDecimal> rates = new TreeMap<>();
        required(document.currencies(), "currencies").forEach((code, settings) -> rates.put(code,
                required(settings == null ? null : settings.exchangeRate(), "currencies." + code + ".exchangeRate")));
        ProgrammeDocument.DelayApology delay = required(triggers.delayApology(), "triggers.delayApology");
        ProgrammeDocument.Birthday birthday = required(triggers.birthday(), "triggers.birthday");
        ProgrammeDocument.WinBack winBack = required(triggers.winBack(), "triggers.winBack");
        ProgrammeDocument.ReviewRequest review = required(triggers.reviewRequest(), "triggers.reviewRequest");
        // Absent: the review request as before, and no service recovery.
        ProgrammeDocument.Feedback feedback = triggers.feedback() != null ? triggers.feedback()
                : new ProgrammeDocument.Feedback(null, null, null, null);
        boolean askForFeedback = feedback.asksForFeedback();
        VoucherOffer recoveryOffer = feedback.apologyVoucher() == null ? null
                : offer("triggers.feedback.apologyVoucher", feedback.apologyVoucher(), reporting);
        List<WinBackLadder.Step> steps = new java.util.ArrayList<>();
        List<ProgrammeDocument.WinBackStep> docSteps = winBack.steps() == null ? List.of() : winBack.steps();
        for (int i = 0; i < docSteps.size(); i++) {
            String path = "triggers.winBack.steps[" + i + "]";
            steps.add(new WinBackLadder.Step(required(docSteps.get(i).after(), path + ".after"),
                    offer(path + ".voucher", docSteps.get(i).voucher(), reporting)));
        }
        WinBackLadder ladder = attempt("triggers.winBack.steps", () -> new WinBackLadder(steps));
        BirthdaySchedule schedule = attempt("triggers.birthday", () -> new BirthdaySchedule(birthday.daysBefore(),
                required(birthday.sendTime(), "triggers.birthday.sendTime")));
        VoucherOffer delayOffer = offer("triggers.delayApology.voucher", delay.voucher(), reporting);
        VoucherOffer birthdayOffer = offer("triggers.birthday.voucher", birthday.voucher(), reporting);
        Builder policy = builder()
                .currency(reporting, rates)
                .defaultZone(defaultZone)
                .enable(TriggerType.DELAY_APOLOGY, delay.enabled())
                .delayApology(required(delay.grace(), "triggers.delayApology.grace"), delayOffer)
                .enable(TriggerType.BIRTHDAY_OFFER, birthday.enabled())
                .birthday(schedule, birthdayOffer)
                .enable(TriggerType.WIN_BACK, winBack.enabled() && !ladder.steps().isEmpty())
                .winBack(ladder)
                .enable(TriggerType.REVIEW_REQUEST, review.enabled() && !askForFeedback)
                .enable(TriggerType.FEEDBACK_REQUEST, review.enabled() && askForFeedback)
                .reviewRequestAfter(required(review.after(), "triggers.reviewRequest.after"))
                .enable(TriggerType.SERVICE_RECOVERY, recoveryOffer != null)
                .serviceRecovery(recoveryOffer)
                .feedbackLinkValidFor(feedback.linkValidity())
                .enable(TriggerType.REVIEW_THANKS, on(triggers.reviewThanks()))
                .enable(TriggerType.REFERRAL_INVITATION, on(triggers.referralInvitation()))
                .enable(TriggerType.TIER_UP, on(triggers.tierUp()))
                .enable(TriggerType.DOWNGRADE_WARNING, on(triggers.downgradeWarning()))
                .enable(TriggerType.POINTS_EXPIRING, on(triggers.pointsExpiring()))
                .enable(TriggerType.SEGMENT_OFFER, true)
                // A reward is what a customer paid points for (RewardIssue): no switch of the programme stops it.
                .enable(TriggerType.REWARD, true);
        cartReminder(triggers.cartReminder(), reporting, policy);
        return attempt("currencies", policy::build);
    }

    /** Optional in the document: absent, the cart reminder is off. */
    private static void cartReminder(ProgrammeDocument.CartReminder cart, String reporting, Builder policy) {
        if (cart == null) {
            return;
        }
        List<CartReminderSteps.Step> steps = new java.util.ArrayList<>();
        steps.add(new CartReminderSteps.Step(required(cart.after(), "triggers.cartReminder.after"), null));
        if (cart.secondStep() != null) {
            String path = "triggers.cartReminder.secondStep";
            steps.add(new CartReminderSteps.Step(required(cart.secondStep().after(), path + ".after"),
                    offer(path + ".voucher", cart.secondStep().voucher(), reporting)));
        }
        policy.enable(TriggerType.CART_REMINDER, cart.enabled())
                .cartReminder(attempt("triggers.cartReminder", () -> new CartReminderSteps(steps)));
    }

    private static boolean on(ProgrammeDocument.Switch trigger) {
        return trigger == null || trigger.enabled();
    }

    /** A fixed-value offer needs a value in the reporting currency: the voucher's currency when the customer's has none. */
    private static VoucherOffer offer(String path, ProgrammeDocument.Offer offer, String reporting) {
        ProgrammeDocument.Offer o = required(offer, path);
        if (!o.value().isEmpty() && !o.value().containsKey(reporting)) {
            throw new IllegalArgumentException(path + ".value: needs an amount in the reporting currency " + reporting);
        }
        return attempt(path, () -> new VoucherOffer(o.value(), o.percentOff(), o.freeGiftSku(), o.freeShipping(),
                o.minimumOrderValue(), o.validFor(), o.maximumDiscount()));
    }

    private static <T> T required(T value, String path) {
        if (value == null) {
            throw new IllegalArgumentException(path + ": is required");
        }
        return value;
    }

    private static <T> T attempt(String path, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(path) ? e.getMessage()
                    : path + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a voucher counts against the monthly voucher budget, in the reporting currency: a fixed value its amount;
     * a percentage its share of the voucher's minimum order value (the discount on the smallest order it can be used
     * for, the least it will cost), nothing without a minimum; a free gift and free shipping nothing (their price is
     * not known here). A currency without an exchange rate counts at 1.
     */
    public BigDecimal faceValue(IssuedVoucher voucher) {
        BigDecimal amount;
        if (voucher.value() != null) {
            amount = voucher.value();
        } else if (voucher.percentOff() != null && voucher.minimumOrderValue() != null) {
            amount = voucher.minimumOrderValue().multiply(voucher.percentOff()).movePointLeft(2);
        } else {
            return BigDecimal.ZERO;
        }
        return amount.multiply(exchangeRates.getOrDefault(voucher.currency(), BigDecimal.ONE));
    }

    public boolean on(TriggerType type) {
        return enabled.contains(type);
    }

    public BigDecimal toBase(BigDecimal amount, String currency) {
        BigDecimal rate = exchangeRates.get(currency);
        if (rate == null) {
            throw new CampaignRejectedException("no exchange rate for " + currency
                    + " (retention.campaigns.exchange-rates." + currency + ")");
        }
        return amount.multiply(rate);
    }

    public ZoneId zoneOf(CustomerState customer) {
        return CustomerProfile.zoneOr(customer.timeZone(), defaultZone);
    }

    /** The settings by trigger; what a trigger does not set stays off or empty. */
    public static final class Builder {

        private final Set<TriggerType> enabled = EnumSet.noneOf(TriggerType.class);
        private String baseCurrency;
        private Map<String, BigDecimal> exchangeRates = Map.of();
        private ZoneId defaultZone = ZoneOffset.UTC;
        private Duration delayGrace = Duration.ZERO;
        private VoucherOffer delayApologyOffer;
        private BirthdaySchedule birthdaySchedule;
        private VoucherOffer birthdayOffer;
        private WinBackLadder winBack = new WinBackLadder(List.of());
        private Duration reviewRequestAfter = Duration.ZERO;
        private CartReminderSteps cartReminder = CartReminderSteps.NONE;
        private VoucherOffer serviceRecoveryOffer;
        private Duration feedbackLinkValidFor = ProgrammeDocument.Feedback.DEFAULT_LINK_VALIDITY;

        private Builder() {
        }

        public Builder enable(TriggerType type, boolean on) {
            if (on) {
                enabled.add(type);
            } else {
                enabled.remove(type);
            }
            return this;
        }

        /** @param rates value of one unit of each accepted currency in {@code base}; the base's own rate is 1 */
        public Builder currency(String base, Map<String, BigDecimal> rates) {
            baseCurrency = base;
            exchangeRates = rates;
            return this;
        }

        public Builder defaultZone(ZoneId zone) {
            defaultZone = zone;
            return this;
        }

        /** @param grace after the end of the promised day before a shipment counts as overdue */
        public Builder delayApology(Duration grace, VoucherOffer offer) {
            delayGrace = grace;
            delayApologyOffer = offer;
            return this;
        }

        public Builder birthday(BirthdaySchedule schedule, VoucherOffer offer) {
            birthdaySchedule = schedule;
            birthdayOffer = offer;
            return this;
        }

        public Builder winBack(WinBackLadder ladder) {
            winBack = ladder;
            return this;
        }

        public Builder reviewRequestAfter(Duration after) {
            reviewRequestAfter = after;
            return this;
        }

        public Builder cartReminder(CartReminderSteps steps) {
            cartReminder = steps;
            return this;
        }

        public Builder serviceRecovery(VoucherOffer apologyVoucher) {
            serviceRecoveryOffer = apologyVoucher;
            return this;
        }

        public Builder feedbackLinkValidFor(Duration validFor) {
            feedbackLinkValidFor = validFor;
            return this;
        }

        public CampaignPolicy build() {
            return new CampaignPolicy(enabled, baseCurrency, exchangeRates, defaultZone, delayGrace,
                    delayApologyOffer, birthdaySchedule, birthdayOffer, winBack, reviewRequestAfter, cartReminder,
                    serviceRecoveryOffer, feedbackLinkValidFor);
        }
    }
}
