package dev.retention.notifications.domain;

import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ContactTest {

    private static final Instant REGISTERED = Instant.parse("2026-01-01T00:00:00Z");

    private static CustomerRegistered registration(ChannelConsents consents) {
        return new CustomerRegistered(REGISTERED, "a@example.com", "Alex", "Doe", "de-AT", "Europe/Vienna", null,
                consents, null);
    }

    @Test
    void aProfileMakesTheContactKnownWithItsAddressLanguageZoneAndConsents() {
        Contact contact = Contact.unknown("c-1")
                .withProfile(registration(new ChannelConsents(true, false, false, true)), REGISTERED);

        assertThat(contact).isEqualTo(new Contact("c-1", true, "a@example.com", "Alex", "de-AT", "Europe/Vienna",
                new ChannelConsents(true, false, false, true), null, false));
        assertThat(contact.marketingConsent("email")).isTrue();
        assertThat(contact.marketingConsent("webhook")).isTrue();
        assertThat(contact.marketingConsent("sms")).isFalse();
        assertThat(contact.marketingConsent("carrier-pigeon")).isFalse();
    }

    @Test
    void aProfileWithoutConsentsGrantsNone() {
        Contact contact = Contact.unknown("c-1").withProfile(registration(null), REGISTERED);

        assertThat(contact.consents()).isEqualTo(ChannelConsents.none());
        assertThat(contact.marketingConsent("email")).isFalse();
    }

    @Test
    void theUnsubscribeLinkWithdrawsEmailMarketingOnlyAndItsFirstUseCounts() {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        Contact contact = Contact.unknown("c-1")
                .withProfile(registration(new ChannelConsents(true, false, false, true)), REGISTERED)
                .unsubscribedFromMarketingEmail(first)
                .unsubscribedFromMarketingEmail(first.plusSeconds(60));

        assertThat(contact.unsubscribedAt()).isEqualTo(first);
        assertThat(contact.marketingConsent("email")).isFalse();
        assertThat(contact.marketingConsent("webhook")).isTrue();
    }

    @Test
    void anUnsubscribeBeforeTheProfileArrivedOutlivesAnOlderProfile() {
        Instant unsubscribed = Instant.parse("2026-03-01T00:00:00Z");
        Contact contact = Contact.unknown("c-1").unsubscribedFromMarketingEmail(unsubscribed)
                .withProfile(registration(new ChannelConsents(true, false, false, false)), REGISTERED);

        assertThat(contact.known()).isTrue();
        assertThat(contact.unsubscribedAt()).isEqualTo(unsubscribed);
    }

    @Test
    void erasureKeepsNothingPersonalButTheOptOutAndALaterProfileRevivesTheContact() {
        Instant unsubscribed = Instant.parse("2026-03-01T00:00:00Z");
        Contact erased = Contact.unknown("c-1").withProfile(registration(new ChannelConsents(true, true, true, true)),
                REGISTERED).unsubscribedFromMarketingEmail(unsubscribed).withPersonalDataErased();

        assertThat(erased).isEqualTo(new Contact("c-1", true, null, null, null, null, ChannelConsents.none(),
                unsubscribed, true));

        Contact again = erased.withProfile(new CustomerUpdated(Instant.parse("2026-02-01T00:00:00Z"), "b@example.com",
                "Bo", "Doe", null, null, null, null), Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(again.erased()).isFalse();
        assertThat(again.email()).isEqualTo("b@example.com");
    }
}
