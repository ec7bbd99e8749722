package dev.retention.notifications.domain;

import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerProfile;

import java.time.Instant;
import java.util.Objects;

/**
 * What notification-service keeps of a customer to reach them: address, name for the greeting, locale, time zone,
 * consent per channel, and the marketing e-mail opt-out given through the unsubscribe link. Immutable: each change
 * is a method that answers the contact as it is after it.
 *
 * @param known          a profile has arrived (a row can exist before, made by an unsubscribe)
 * @param consents       marketing consent per channel as the shop last reported it
 * @param unsubscribedAt when the customer used our unsubscribe link, unless the shop has reported e-mail consent again
 *                       since
 */
public record Contact(
        String customerId,
        boolean known,
        String email,
        String firstName,
        String locale,
        String timeZone,
        ChannelConsents consents,
        Instant unsubscribedAt,
        boolean erased) {

    public Contact {
        Objects.requireNonNull(customerId, "customerId");
        consents = consents == null ? ChannelConsents.none() : consents;
    }

    /** A customer of whom nothing is known yet. */
    public static Contact unknown(String customerId) {
        return new Contact(customerId, false, null, null, null, null, ChannelConsents.none(), null, false);
    }

    /**
     * Takes the profile as the shop now has it. An unsubscribe through our link stands until the shop reports
     * e-mail consent again in a profile change made after it.
     */
    public Contact withProfile(CustomerProfile profile, Instant changedAt) {
        ChannelConsents reported = profile.consents() == null ? ChannelConsents.none() : profile.consents();
        boolean consentGivenSinceUnsubscribe = unsubscribedAt != null && reported.email() && changedAt != null
                && changedAt.isAfter(unsubscribedAt);
        return new Contact(customerId, true, profile.email(), profile.firstName(), profile.locale(),
                profile.timeZone(), reported, consentGivenSinceUnsubscribe ? null : unsubscribedAt, false);
    }

    /** {@code customer.erased}: nothing personal stays. */
    public Contact withPersonalDataErased() {
        return new Contact(customerId, true, null, null, null, null, ChannelConsents.none(), unsubscribedAt, true);
    }

    /** The unsubscribe link was used at {@code at}; the first use counts. */
    public Contact unsubscribedFromMarketingEmail(Instant at) {
        return unsubscribedAt != null ? this
                : new Contact(customerId, known, email, firstName, locale, timeZone, consents, at, erased);
    }

    /** Marketing consent for a channel: given in the profile and not withdrawn through an unsubscribe link. */
    public boolean marketingConsent(String channel) {
        return switch (channel) {
            case "email" -> consents.email() && unsubscribedAt == null;
            case "webhook" -> consents.webhook();
            case "sms" -> consents.sms();
            case "push" -> consents.push();
            default -> false;
        };
    }
}
