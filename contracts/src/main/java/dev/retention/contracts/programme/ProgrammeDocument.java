package dev.retention.contracts.programme;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every rule of one loyalty programme, as the shop's marketer edits it: the JSON of {@code schemas/programme.json}.
 * A version of it ({@link ProgrammeVersion}) is immutable; each service derives its own policy from the parts it uses
 * and applies the version in force at an event's business time. {@link ProgrammeRules#violations} holds the rules a
 * JSON Schema cannot say (unique names, ordered windows, a rate for every currency).
 *
 * @param timeZone           windows, days of the week and the periods of per-customer caps are read in this zone
 * @param reportingCurrency  tier spend, budgets and liability are counted in it (its exchange rate is 1)
 * @param currencies         by ISO 4217 code: every currency orders may come in
 * @param rewards            the catalogue customers redeem points for; absent or empty: none
 * @param recommendations    "bought together" items in messages; absent: disabled
 */
public record ProgrammeDocument(
        String timeZone,
        String reportingCurrency,
        Map<String, CurrencySettings> currencies,
        Tiers tiers,
        Earning earning,
        Bonuses bonuses,
        Redemption redemption,
        Pending pending,
        Expiry expiry,
        Triggers triggers,
        Guards guards,
        List<Reward> rewards,
        Recommendations recommendations) {

    public ProgrammeDocument {
        rewards = rewards == null ? List.of() : List.copyOf(rewards);
    }

    /** A programme without recommendations. */
    public ProgrammeDocument(String timeZone, String reportingCurrency, Map<String, CurrencySettings> currencies,
                             Tiers tiers, Earning earning, Bonuses bonuses, Redemption redemption, Pending pending,
                             Expiry expiry, Triggers triggers, Guards guards, List<Reward> rewards) {
        this(timeZone, reportingCurrency, currencies, tiers, earning, bonuses, redemption, pending, expiry, triggers,
                guards, rewards, null);
    }

    /** A programme without a rewards catalogue. */
    public ProgrammeDocument(String timeZone, String reportingCurrency, Map<String, CurrencySettings> currencies,
                             Tiers tiers, Earning earning, Bonuses bonuses, Redemption redemption, Pending pending,
                             Expiry expiry, Triggers triggers, Guards guards) {
        this(timeZone, reportingCurrency, currencies, tiers, earning, bonuses, redemption, pending, expiry, triggers,
                guards, List.of());
    }

    /** The same programme with another catalogue. */
    public ProgrammeDocument withRewards(List<Reward> catalogue) {
        return new ProgrammeDocument(timeZone, reportingCurrency, currencies, tiers, earning, bonuses, redemption,
                pending, expiry, triggers, guards, catalogue, recommendations);
    }

    /** The same programme with other trigger settings. */
    public ProgrammeDocument withTriggers(Triggers settings) {
        return new ProgrammeDocument(timeZone, reportingCurrency, currencies, tiers, earning, bonuses, redemption,
                pending, expiry, settings, guards, rewards, recommendations);
    }

    /** The same programme with other guards. */
    public ProgrammeDocument withGuards(Guards settings) {
        return new ProgrammeDocument(timeZone, reportingCurrency, currencies, tiers, earning, bonuses, redemption,
                pending, expiry, triggers, settings, rewards, recommendations);
    }

    /** The same programme with other recommendation settings (null: disabled). */
    public ProgrammeDocument withRecommendations(Recommendations settings) {
        return new ProgrammeDocument(timeZone, reportingCurrency, currencies, tiers, earning, bonuses, redemption,
                pending, expiry, triggers, guards, rewards, settings);
    }

    /**
     * "Bought together" items in messages (docs/programme.md, "Recommendations").
     *
     * @param minimumSupport a pair must have been bought together in at least this many orders to be shown
     * @param perSku         the partners of each of the customer's SKUs considered, strongest first (null: 10)
     * @param recentSkus     the customer's most recently bought SKUs the recommendations start from (null: 10)
     */
    public record Recommendations(boolean enabled, int minimumSupport, Integer perSku, Integer recentSkus) {

        public static final int DEFAULT_PER_SKU = 10;
        public static final int DEFAULT_RECENT_SKUS = 10;

        public int perSkuOrDefault() {
            return perSku == null ? DEFAULT_PER_SKU : perSku;
        }

        public int recentSkusOrDefault() {
            return recentSkus == null ? DEFAULT_RECENT_SKUS : recentSkus;
        }
    }

    /** The reward of this id, if the catalogue holds it. */
    public Optional<Reward> reward(String rewardId) {
        return rewards.stream().filter(reward -> reward.id().equals(rewardId)).findFirst();
    }

    /**
     * @param pointsPerUnit                points per whole unit of eligible merchandise value (the base rate)
     * @param pointValue                   what one point is worth when redeemed, in this currency (liability)
     * @param exchangeRate                 one unit of this currency in the reporting currency
     * @param minimumRedemptionOrderValue  an order must be worth at least this to be paid with points
     */
    public record CurrencySettings(BigDecimal pointsPerUnit, BigDecimal pointValue, BigDecimal exchangeRate,
                                   BigDecimal minimumRedemptionOrderValue) {
    }

    /**
     * @param levels     lowest first; the lowest has threshold 0
     * @param window     qualifying spend is the spend of this rolling window
     * @param grace      how long a customer keeps a tier after falling below its threshold
     * @param riskNotice how long before a downgrade the customer is warned
     */
    public record Tiers(List<Tier> levels, Duration window, Duration grace, Duration riskNotice) {
    }

    /**
     * @param threshold  qualifying spend in the reporting currency
     * @param multiplier applied to every point an order earns in this tier (base and earning rules)
     * @param benefits   message key of the tier's benefits, for notifications
     */
    public record Tier(String name, BigDecimal threshold, BigDecimal multiplier, String benefits) {
    }

    /** Earning rules beyond the base rate, combined under {@code stacking} in the order they are listed. */
    public record Earning(Stacking stacking, List<EarningRule> rules) {
    }

    /** How the points of several matching earning rules combine. */
    public enum Stacking {
        /** Every matching rule gives its points. */
        SUM,
        /** Only the matching rule that gives the most points; the first listed wins a tie. */
        HIGHEST,
        /** Only the first matching rule in the listed order. */
        FIRST_MATCH
    }

    /** @param id stable within the programme: ledger entries name the rules that applied by it */
    public record EarningRule(String id, String name, Conditions when, Effect effect, Caps caps) {
    }

    /**
     * All conditions set must hold; an empty or absent one holds always. {@code skus}, {@code skuPrefixes} and
     * {@code categories} choose the qualifying lines (a line qualifies when it matches any of them); the others are
     * about the order.
     *
     * @param minimumOrderValue by currency: the order's merchandise total must reach it; a currency not listed never
     *                          reaches it
     * @param firstOrder        true: only the customer's first order; false: only later ones
     */
    public record Conditions(List<String> channels, List<String> skus, List<String> skuPrefixes,
                             List<String> categories, Map<String, BigDecimal> minimumOrderValue, List<String> tiers,
                             Window window, List<DayOfWeek> daysOfWeek, Boolean firstOrder) {
    }

    /** Half-open: {@code from} inclusive, {@code until} exclusive; either end may be open. */
    public record Window(Instant from, Instant until) {

        public boolean contains(Instant time) {
            return (from == null || !time.isBefore(from)) && (until == null || time.isBefore(until));
        }
    }

    public record Effect(EffectType type, BigDecimal value) {
    }

    public enum EffectType {
        /** {@code value} points per whole currency unit of the qualifying lines' value, on top of the base rate. */
        POINTS_PER_UNIT,
        /** The qualifying lines' base points times {@code value}, of which the base already gave 1x. */
        MULTIPLIER,
        /** {@code value} points once per order. */
        FIXED_PER_ORDER,
        /** {@code value} points per qualifying line. */
        FIXED_PER_LINE
    }

    /**
     * @param perOrder    at most this many points from the rule per order
     * @param perCustomer at most this many points from the rule per customer within {@code period}
     */
    public record Caps(Long perOrder, Long perCustomer, CapPeriod period) {
    }

    /** Calendar periods in the programme's time zone. */
    public enum CapPeriod { DAY, WEEK, MONTH, YEAR }

    public record Bonuses(long signup, long review, long referral, long birthday) {
    }

    /** @param unit points are redeemed in multiples of it */
    public record Redemption(long minimumBalance, long unit) {
    }

    /**
     * @param returnWindow points stay pending this long after delivery
     * @param maxPending   and at most this long after the order, delivered or not
     */
    public record Pending(Duration returnWindow, Duration maxPending) {
    }

    public record Expiry(Duration inactivity, Duration warning) {
    }

    /**
     * @param cartReminder optional (added compatibly): absent on earlier versions, which means disabled
     * @param feedback     absent: the review request after delivery, no feedback points, no service recovery
     */
    public record Triggers(DelayApology delayApology, Birthday birthday, WinBack winBack, ReviewRequest reviewRequest,
                           Switch reviewThanks, Switch referralInvitation, Switch tierUp, Switch downgradeWarning,
                           Switch pointsExpiring, CartReminder cartReminder, Feedback feedback) {

        /** With cart reminders, without feedback settings. */
        public Triggers(DelayApology delayApology, Birthday birthday, WinBack winBack, ReviewRequest reviewRequest,
                        Switch reviewThanks, Switch referralInvitation, Switch tierUp, Switch downgradeWarning,
                        Switch pointsExpiring, CartReminder cartReminder) {
            this(delayApology, birthday, winBack, reviewRequest, reviewThanks, referralInvitation, tierUp,
                    downgradeWarning, pointsExpiring, cartReminder, null);
        }

        /** With feedback settings, without cart reminders. */
        public Triggers(DelayApology delayApology, Birthday birthday, WinBack winBack, ReviewRequest reviewRequest,
                        Switch reviewThanks, Switch referralInvitation, Switch tierUp, Switch downgradeWarning,
                        Switch pointsExpiring, Feedback feedback) {
            this(delayApology, birthday, winBack, reviewRequest, reviewThanks, referralInvitation, tierUp,
                    downgradeWarning, pointsExpiring, null, feedback);
        }

        /** Without cart reminders and feedback settings (as before they existed). */
        public Triggers(DelayApology delayApology, Birthday birthday, WinBack winBack, ReviewRequest reviewRequest,
                        Switch reviewThanks, Switch referralInvitation, Switch tierUp, Switch downgradeWarning,
                        Switch pointsExpiring) {
            this(delayApology, birthday, winBack, reviewRequest, reviewThanks, referralInvitation, tierUp,
                    downgradeWarning, pointsExpiring, null, null);
        }
    }

    /**
     * Feedback (NPS) after delivery.
     *
     * @param request        which request goes after delivery, at {@code reviewRequest}'s time and under its switch
     * @param points         points for an answer, once per order, whatever the score (absent: 0)
     * @param apologyVoucher a detractor's (0 to 6) service-recovery voucher; absent: no service-recovery message
     * @param linkValidFor   how long the score links of a feedback mail stay valid (absent: {@link #DEFAULT_LINK_VALIDITY})
     */
    public record Feedback(FeedbackRequest request, Long points, Offer apologyVoucher, Duration linkValidFor) {

        public static final Duration DEFAULT_LINK_VALIDITY = Duration.ofDays(30);

        /** Whether the feedback mail replaces the review request. */
        public boolean asksForFeedback() {
            return request == FeedbackRequest.FEEDBACK;
        }

        /** {@code points}, 0 when absent (the document keeps what was sent: absent stays absent). */
        public long pointsForAnAnswer() {
            return points == null ? 0 : points;
        }

        /** {@code linkValidFor}, {@link #DEFAULT_LINK_VALIDITY} when absent. */
        public Duration linkValidity() {
            return linkValidFor == null ? DEFAULT_LINK_VALIDITY : linkValidFor;
        }
    }

    /** The request after delivery: {@code review} (the review request) or {@code feedback} (the 0-10 scale). */
    public enum FeedbackRequest {
        REVIEW, FEEDBACK;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Switch(boolean enabled) {
    }

    /** @param grace after the end of the promised day before a shipment counts as overdue */
    public record DelayApology(boolean enabled, Duration grace, Offer voucher) {
    }

    /** @param sendTime local time of day in the customer's time zone */
    public record Birthday(boolean enabled, int daysBefore, LocalTime sendTime, Offer voucher) {
    }

    public record WinBack(boolean enabled, List<WinBackStep> steps) {
    }

    /** @param after without an order for this long */
    public record WinBackStep(Duration after, Offer voucher) {
    }

    public record ReviewRequest(boolean enabled, Duration after) {
    }

    /**
     * A cart with items and no order gets a reminder {@code after} its last activity (change or checkout); the optional
     * {@code secondStep} a second one with a voucher, {@code secondStep.after} after the last activity (longer).
     */
    public record CartReminder(boolean enabled, Duration after, CartReminderStep secondStep) {
    }

    /** @param after since the cart's last activity; longer than the first step's */
    public record CartReminderStep(Duration after, Offer voucher) {
    }

    /**
     * A voucher: a fixed value per currency, or a percentage off, or a free gift; optionally free shipping (alone, it
     * is a free-shipping voucher).
     *
     * @param value             fixed value by currency
     * @param minimumOrderValue by currency
     * @param maximumDiscount   by currency: the most a percentage voucher takes off an order (its ceiling); a
     *                          currency not listed has none
     */
    public record Offer(Map<String, BigDecimal> value, BigDecimal percentOff, String freeGiftSku, Boolean freeShipping,
                        Map<String, BigDecimal> minimumOrderValue, Duration validFor,
                        Map<String, BigDecimal> maximumDiscount) {

        public Offer {
            freeShipping = Boolean.TRUE.equals(freeShipping);
            value = value == null ? Map.of() : Map.copyOf(value);
            minimumOrderValue = minimumOrderValue == null ? Map.of() : Map.copyOf(minimumOrderValue);
            maximumDiscount = maximumDiscount == null ? Map.of() : Map.copyOf(maximumDiscount);
        }

        /** An offer without a ceiling. */
        public Offer(Map<String, BigDecimal> value, BigDecimal percentOff, String freeGiftSku, Boolean freeShipping,
                     Map<String, BigDecimal> minimumOrderValue, Duration validFor) {
            this(value, percentOff, freeGiftSku, freeShipping, minimumOrderValue, validFor, Map.of());
        }
    }

    /**
     * One reward of the catalogue: a voucher ({@code voucher}: a fixed value per currency, a percentage with a
     * ceiling, free shipping or a free gift) or a partner reward ({@code partner}: a code from an uploaded pool and a
     * text), exactly one of the two.
     *
     * @param id          stable across versions: stock taken and per-customer limits count by it
     * @param name        shown to the customer and in messages
     * @param price       points debited for it
     * @param available   when it can be redeemed; absent: always
     * @param stock       how many can be redeemed in all, across versions; absent: unlimited
     * @param perCustomer how many one customer may redeem per period; absent: no limit
     * @param minimumTier only customers in this tier or a higher one may redeem it; absent: everyone
     */
    public record Reward(String id, String name, String description, long price, Window available, Long stock,
                         CustomerLimit perCustomer, String minimumTier, Offer voucher, PartnerReward partner) {

        public Kind kind() {
            if (partner != null) {
                return Kind.PARTNER;
            }
            if (voucher == null) {
                return null;
            }
            if (voucher.freeGiftSku() != null) {
                return Kind.FREE_GIFT;
            }
            if (voucher.percentOff() != null) {
                return Kind.PERCENT_VOUCHER;
            }
            return voucher.value().isEmpty() ? Kind.FREE_SHIPPING : Kind.FIXED_VOUCHER;
        }

        public enum Kind { FIXED_VOUCHER, PERCENT_VOUCHER, FREE_SHIPPING, FREE_GIFT, PARTNER }
    }

    /** @param period the calendar period in the programme's time zone; absent: ever */
    public record CustomerLimit(int count, CapPeriod period) {
    }

    /**
     * @param poolId   the code pool campaign-service hands a code out of
     * @param text     what the customer is told with the code (where and how to use it)
     * @param validFor how long the code is valid; absent: as long as the partner says in the text
     */
    public record PartnerReward(String poolId, String text, Duration validFor) {
    }

    /**
     * @param holdoutShare          share of customers (0 to 1) whose marketing triggers are recorded but not sent
     * @param frequencyCap          at most this many marketing triggers per customer within the window
     * @param monthlyVoucherBudget  face value of the vouchers issued per calendar month, in the reporting currency;
     *                              absent: no budget
     */
    public record Guards(BigDecimal holdoutShare, int frequencyCap, Duration frequencyCapWindow,
                         BigDecimal monthlyVoucherBudget) {
    }
}
