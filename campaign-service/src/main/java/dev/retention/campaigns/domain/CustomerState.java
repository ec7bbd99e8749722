package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** What campaign-service knows of a customer: the profile parts its triggers need, order history, due timers. */
public class CustomerState {

    public final String customerId;
    public boolean profileKnown;
    public String timeZone;
    public LocalDate birthDate;
    public boolean marketingConsent;
    public String tier;
    public int orderCount;
    public String firstOrderId;
    public Instant lastOrderAt;
    /** The events behind the timers, named as the source of the triggers they fire. */
    public String lastOrderEventId;
    public String profileEventId;
    public BigDecimal lifetimeSpend = BigDecimal.ZERO;
    public String referralCode;
    /** When the next birthday offer is due, and for which birthday year. */
    public Instant birthdayOfferAt;
    public int birthdayYear;
    /** Win-back offers sent since the last order, and when the next is due. */
    public int winBackStep;
    public Instant winBackDueAt;
    /**
     * The first order's event id while its referral invitation waits for the profile: the order was applied first
     * (orders and profiles come on different topics), and only the profile tells whether the customer consents.
     */
    public String referralWaitingEventId;

    public CustomerState(String customerId) {
        this.customerId = customerId;
    }

    /** Every field, to tell whether anything changed (and the row needs writing). */
    public Object fingerprint() {
        return java.util.Arrays.asList(profileKnown, profileEventId, timeZone, birthDate, marketingConsent, tier,
                orderCount, firstOrderId, lastOrderAt, lastOrderEventId, lifetimeSpend, referralCode, birthdayOfferAt,
                birthdayYear, winBackStep, winBackDueAt, referralWaitingEventId);
    }
}
