package dev.retention.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The retention triggers of campaign-service. The wire name is the kebab-case form. Marketing triggers need the
 * customer's marketing consent and count against frequency caps; the others are service messages about the
 * customer's own orders and account.
 */
public enum TriggerType {
    DELAY_APOLOGY(false), BIRTHDAY_OFFER(true), WIN_BACK(true), REVIEW_REQUEST(true), REVIEW_THANKS(false),
    REFERRAL_INVITATION(true), TIER_UP(false), DOWNGRADE_WARNING(false), POINTS_EXPIRING(false), SEGMENT_OFFER(true),
    /** The reward a customer redeemed points for: a service message, never held out, capped or budgeted. */
    REWARD(false),
    /** Items left in a cart without an order: a reminder, and optionally a second one with a voucher. */
    CART_REMINDER(true),
    /** Sent instead of REVIEW_REQUEST when the programme asks for feedback: a 0-10 scale of one-click links. */
    FEEDBACK_REQUEST(true),
    /** A detractor's apology voucher: a service message about their own order. */
    SERVICE_RECOVERY(false);

    private final boolean marketing;

    TriggerType(boolean marketing) {
        this.marketing = marketing;
    }

    public boolean marketing() {
        return marketing;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
