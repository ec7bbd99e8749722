package dev.retention.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The retention triggers of campaign-service. The wire name is the kebab-case form. */
public enum TriggerType {
    DELAY_APOLOGY, BIRTHDAY_OFFER, WIN_BACK, REVIEW_REQUEST, REVIEW_THANKS, REFERRAL_INVITATION, TIER_UP,
    DOWNGRADE_WARNING, POINTS_EXPIRING, SEGMENT_OFFER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
