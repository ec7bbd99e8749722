package dev.retention.notifications.domain;

import java.time.Instant;

/**
 * What notification-service keeps of a customer to reach them: address, name for the greeting, locale, time zone,
 * consent per channel, and the marketing e-mail opt-out given through the unsubscribe link.
 */
public class Contact {

    public final String customerId;
    /** A profile has arrived (a row can exist before, made by an unsubscribe). */
    public boolean known;
    public String email;
    public String firstName;
    public String locale;
    public String timeZone;
    public boolean emailConsent;
    public boolean webhookConsent;
    public boolean smsConsent;
    public boolean pushConsent;
    public Instant unsubscribedAt;
    public boolean erased;

    public Contact(String customerId) {
        this.customerId = customerId;
    }

    /**
     * Takes the profile as the shop now has it. An unsubscribe through our link stands until the shop reports
     * e-mail consent again in a profile change made after it.
     */
    public void apply(dev.retention.contracts.events.CustomerProfile profile, Instant changedAt) {
        email = profile.email();
        firstName = profile.firstName();
        locale = profile.locale();
        timeZone = profile.timeZone();
        var consents = profile.consents() == null ? dev.retention.contracts.events.ChannelConsents.none()
                : profile.consents();
        emailConsent = consents.email();
        webhookConsent = consents.webhook();
        smsConsent = consents.sms();
        pushConsent = consents.push();
        if (unsubscribedAt != null && emailConsent && changedAt != null && changedAt.isAfter(unsubscribedAt)) {
            unsubscribedAt = null;
        }
        erased = false;
        known = true;
    }

    /** {@code customer.erased}: nothing personal stays. */
    public void erase() {
        email = null;
        firstName = null;
        locale = null;
        timeZone = null;
        emailConsent = webhookConsent = smsConsent = pushConsent = false;
        erased = true;
        known = true;
    }

    /** Marketing consent for a channel: given in the profile and not withdrawn through an unsubscribe link. */
    public boolean marketingConsent(String channel) {
        switch (channel) {
            case "email":
                return emailConsent && unsubscribedAt == null;
            case "webhook":
                return webhookConsent;
            case "sms":
                return smsConsent;
            case "push":
                return pushConsent;
            default:
                return false;
        }
    }
}
