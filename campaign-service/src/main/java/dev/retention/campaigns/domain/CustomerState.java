package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.function.Supplier;

/** What campaign-service knows of a customer: the profile parts its triggers need, order history, due timers. */
public class CustomerState {

    private final String customerId;
    private boolean profileKnown;
    private String timeZone;
    private LocalDate birthDate;
    private boolean marketingConsent;
    private String tier;
    private int orderCount;
    private String firstOrderId;
    private Instant lastOrderAt;
    /** The events behind the timers, named as the source of the triggers they fire. */
    private String lastOrderEventId;
    private String profileEventId;
    private BigDecimal lifetimeSpend = BigDecimal.ZERO;
    private String referralCode;
    /** When the next birthday offer is due, and for which birthday year. */
    private Instant birthdayOfferAt;
    private int birthdayYear;
    /** Win-back offers sent since the last order, and when the next is due. */
    private int winBackStep;
    private Instant winBackDueAt;
    /**
     * The first order's event id while its referral invitation waits for the profile: the order was applied first
     * (orders and profiles come on different topics), and only the profile tells whether the customer consents.
     */
    private String referralWaitingEventId;
    /** Erased on request: a reward redeemed before the erasure is no longer issued (points-service refunds it). */
    private boolean erased;
    private boolean changed;

    /** A customer as stored, knowing nothing yet. */
    public CustomerState(String customerId) {
        this.customerId = customerId;
    }

    /** A customer as stored, for the rows of a store (and tests) to build. */
    public static Builder stored(String customerId) {
        return new Builder(customerId);
    }

    // ---- what changes ----

    /**
     * The profile as a customer event states it now.
     *
     * @param consent marketing consent on at least one channel
     */
    public void profile(String eventId, String zone, LocalDate born, boolean consent) {
        profileKnown = changing(profileKnown, true);
        profileEventId = changing(profileEventId, eventId);
        timeZone = changing(timeZone, zone);
        birthDate = changing(birthDate, born);
        marketingConsent = changing(marketingConsent, consent);
    }

    /** Erased on request: no personal data, no more marketing timers, no waiting invitation. */
    public void erase() {
        timeZone = changing(timeZone, null);
        birthDate = changing(birthDate, null);
        marketingConsent = changing(marketingConsent, false);
        birthdayOfferAt = changing(birthdayOfferAt, null);
        winBackDueAt = changing(winBackDueAt, null);
        referralWaitingEventId = changing(referralWaitingEventId, null);
        erased = changing(erased, true);
    }

    public void changeTier(String to) {
        tier = changing(tier, to);
    }

    /**
     * One more order, worth {@code baseValue} in the base currency.
     *
     * @return whether it is the customer's first
     */
    public boolean addOrder(String orderId, BigDecimal baseValue) {
        boolean first = orderCount == 0;
        orderCount = changing(orderCount, orderCount + 1);
        lifetimeSpend = changing(lifetimeSpend, lifetimeSpend.add(baseValue));
        if (first) {
            firstOrderId = changing(firstOrderId, orderId);
        }
        return first;
    }

    /** Whether an order placed at {@code placedAt} is the latest so far (orders may arrive out of order). */
    public boolean isLatestOrder(Instant placedAt) {
        return lastOrderAt == null || !placedAt.isBefore(lastOrderAt);
    }

    /** The latest order: the win-back ladder starts again from its first step, due at {@code firstStepDueAt}. */
    public void lastOrder(Instant placedAt, String eventId, Instant firstStepDueAt) {
        lastOrderAt = changing(lastOrderAt, placedAt);
        lastOrderEventId = changing(lastOrderEventId, eventId);
        winBackStep = changing(winBackStep, 0);
        winBackDueAt = changing(winBackDueAt, firstStepDueAt);
    }

    /** Refunded (cancelled or returned) merchandise no longer counts; spend never goes below zero. */
    public void deductSpend(BigDecimal refund) {
        lifetimeSpend = changing(lifetimeSpend, lifetimeSpend.subtract(refund).max(BigDecimal.ZERO));
    }

    /** The referral invitation waits for the profile (see {@link #referralWaitingEventId()}). */
    public void awaitProfileForReferral(String firstOrderEventId) {
        referralWaitingEventId = changing(referralWaitingEventId, firstOrderEventId);
    }

    /** The first order's event id of a waiting referral invitation, now no longer waiting; null when none waits. */
    public String takeWaitingReferral() {
        String waiting = referralWaitingEventId;
        referralWaitingEventId = changing(referralWaitingEventId, null);
        return waiting;
    }

    /** The customer's referral code, made with {@code newCode} the first time. */
    public String referralCode(Supplier<String> newCode) {
        if (referralCode == null) {
            referralCode = changing(null, newCode.get());
        }
        return referralCode;
    }

    /** The next birthday offer at {@code offerAt} for the birthday of {@code year}; null and 0: none. */
    public void scheduleBirthday(Instant offerAt, int year) {
        birthdayOfferAt = changing(birthdayOfferAt, offerAt);
        birthdayYear = changing(birthdayYear, year);
    }

    /** One more win-back step taken; the next is due at {@code nextDueAt} (null: the ladder's end). */
    public void advanceWinBack(Instant nextDueAt) {
        winBackStep = changing(winBackStep, winBackStep + 1);
        winBackDueAt = changing(winBackDueAt, nextDueAt);
    }

    /** Since it was loaded. */
    public boolean changed() {
        return changed;
    }

    private <T> T changing(T from, T to) {
        changed |= !Objects.equals(from, to);
        return to;
    }

    // ---- what it knows ----

    public String customerId() {
        return customerId;
    }

    public boolean profileKnown() {
        return profileKnown;
    }

    public String timeZone() {
        return timeZone;
    }

    public LocalDate birthDate() {
        return birthDate;
    }

    public boolean marketingConsent() {
        return marketingConsent;
    }

    public String tier() {
        return tier;
    }

    public int orderCount() {
        return orderCount;
    }

    public String firstOrderId() {
        return firstOrderId;
    }

    public Instant lastOrderAt() {
        return lastOrderAt;
    }

    public String lastOrderEventId() {
        return lastOrderEventId;
    }

    public String profileEventId() {
        return profileEventId;
    }

    public BigDecimal lifetimeSpend() {
        return lifetimeSpend;
    }

    public String referralCode() {
        return referralCode;
    }

    public Instant birthdayOfferAt() {
        return birthdayOfferAt;
    }

    public int birthdayYear() {
        return birthdayYear;
    }

    public int winBackStep() {
        return winBackStep;
    }

    public Instant winBackDueAt() {
        return winBackDueAt;
    }

    public String referralWaitingEventId() {
        return referralWaitingEventId;
    }

    public boolean erased() {
        return erased;
    }

    /** A customer as stored: every column by name. */
    public static final class Builder {

        private final CustomerState customer;

        private Builder(String customerId) {
            customer = new CustomerState(customerId);
        }

        public Builder profile(boolean known, String eventId, String timeZone, LocalDate birthDate,
                               boolean marketingConsent) {
            customer.profileKnown = known;
            customer.profileEventId = eventId;
            customer.timeZone = timeZone;
            customer.birthDate = birthDate;
            customer.marketingConsent = marketingConsent;
            return this;
        }

        public Builder tier(String tier) {
            customer.tier = tier;
            return this;
        }

        public Builder orders(int count, String firstOrderId, Instant lastOrderAt, String lastOrderEventId,
                              BigDecimal lifetimeSpend) {
            customer.orderCount = count;
            customer.firstOrderId = firstOrderId;
            customer.lastOrderAt = lastOrderAt;
            customer.lastOrderEventId = lastOrderEventId;
            customer.lifetimeSpend = lifetimeSpend;
            return this;
        }

        public Builder referral(String code, String waitingEventId) {
            customer.referralCode = code;
            customer.referralWaitingEventId = waitingEventId;
            return this;
        }

        public Builder birthday(Instant offerAt, int year) {
            customer.birthdayOfferAt = offerAt;
            customer.birthdayYear = year;
            return this;
        }

        public Builder winBack(int step, Instant dueAt) {
            customer.winBackStep = step;
            customer.winBackDueAt = dueAt;
            return this;
        }

        public Builder erased(boolean erased) {
            customer.erased = erased;
            return this;
        }

        public CustomerState build() {
            return customer;
        }
    }
}
