package dev.retention.notifications.domain;

import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationRulesTest {

    static final Instant NOON_BERLIN = Instant.parse("2026-06-10T10:00:00Z");

    private final NotificationRules rules = NotificationRules.builder()
            .quietHours(new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)))
            .frequencyCap(2, Duration.ofHours(24))
            .contactWait(Duration.ofHours(1))
            .defaultZone(ZoneId.of("Europe/Berlin"))
            .maxAttempts(3)
            .backoff(Duration.ofSeconds(10), Duration.ofMinutes(1))
            .build();

    private static PendingNotification pending(TriggerType type, String channel, Instant created) {
        return new PendingNotification("n-1", "c-1", channel, new TriggerFired("t-1", type, null, "r", "e-1", null,
                null, Map.of(), created), created, 0, null, null);
    }

    private static Contact contact(boolean emailConsent) {
        return Contact.unknown("c-1").withProfile(new CustomerUpdated(Instant.parse("2026-01-01T00:00:00Z"),
                "a@example.com", "Alex", "Doe", "de-DE", "Europe/Berlin", null,
                new ChannelConsents(emailConsent, false, false, false)),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void marketingNeedsConsentForTheChannelServiceMessagesDoNot() {
        Contact noConsent = contact(false);
        assertThat(rules.decide(pending(TriggerType.BIRTHDAY_OFFER, "email", NOON_BERLIN), noConsent, true, 0,
                NOON_BERLIN).reason()).isEqualTo("NO_CONSENT");
        assertThat(rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", NOON_BERLIN), noConsent, true, 0,
                NOON_BERLIN).kind()).isEqualTo(DeliveryDecision.Kind.SEND);
        assertThat(rules.decide(pending(TriggerType.WIN_BACK, "webhook", NOON_BERLIN), contact(true), true, 0,
                NOON_BERLIN).reason()).as("e-mail consent is not webhook consent").isEqualTo("NO_CONSENT");
    }

    @Test
    void anUnsubscribeStandsUntilTheShopReportsConsentGivenLater() {
        Contact contact = contact(true).unsubscribedFromMarketingEmail(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(rules.decide(pending(TriggerType.SEGMENT_OFFER, "email", NOON_BERLIN), contact, true, 0,
                NOON_BERLIN).reason()).isEqualTo("UNSUBSCRIBED");

        contact = contact.withProfile(new CustomerUpdated(Instant.parse("2026-02-01T00:00:00Z"), "a@example.com",
                "Alex", "Doe", "de-DE", "Europe/Berlin", null, new ChannelConsents(true, false, false, false)),
                Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(contact.unsubscribedAt()).as("an older profile change").isNotNull();
        contact = contact.withProfile(new CustomerUpdated(Instant.parse("2026-04-01T00:00:00Z"), "a@example.com",
                "Alex", "Doe", "de-DE", "Europe/Berlin", null, new ChannelConsents(true, false, false, false)),
                Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(contact.unsubscribedAt()).isNull();
    }

    @Test
    void quietHoursInTheCustomersZoneHoldEvenServiceMessagesUntilMorning() {
        Instant lateInBerlin = Instant.parse("2026-06-10T20:30:00Z"); // 22:30 CEST
        DeliveryDecision decision = rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", lateInBerlin),
                contact(false), true, 0, lateInBerlin);
        assertThat(decision.kind()).isEqualTo(DeliveryDecision.Kind.HOLD);
        assertThat(decision.holdUntil()).isEqualTo(Instant.parse("2026-06-11T06:00:00Z")); // 08:00 CEST
        Instant earlyInBerlin = Instant.parse("2026-06-11T04:00:00Z"); // 06:00 CEST
        assertThat(rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", earlyInBerlin), contact(false), true, 0,
                earlyInBerlin).holdUntil()).isEqualTo(Instant.parse("2026-06-11T06:00:00Z"));
    }

    @Test
    void quietHoursWithinADayAndNone() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));
        assertThat(lunch.endOfQuietAt(Instant.parse("2026-06-10T12:30:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-06-10T13:00:00Z"));
        assertThat(lunch.endOfQuietAt(Instant.parse("2026-06-10T13:00:00Z"), ZoneId.of("UTC"))).isNull();
        assertThat(new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT)
                .endOfQuietAt(Instant.parse("2026-06-10T03:00:00Z"), ZoneId.of("UTC"))).isNull();
    }

    @Test
    void theFrequencyCapCountsMarketingOnly() {
        assertThat(rules.decide(pending(TriggerType.WIN_BACK, "email", NOON_BERLIN), contact(true), true, 2,
                NOON_BERLIN).reason()).isEqualTo("FREQUENCY_CAP");
        assertThat(rules.decide(pending(TriggerType.POINTS_EXPIRING, "email", NOON_BERLIN), contact(true), true, 9,
                NOON_BERLIN).kind()).isEqualTo(DeliveryDecision.Kind.SEND);
    }

    @Test
    void aTriggerBeforeTheProfileWaitsForItThenIsSuppressed() {
        DeliveryDecision waiting = rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", NOON_BERLIN), null, false,
                0, NOON_BERLIN.plusSeconds(60));
        assertThat(waiting.kind()).isEqualTo(DeliveryDecision.Kind.HOLD);
        assertThat(waiting.reason()).isEqualTo("CONTACT_UNKNOWN");
        assertThat(rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", NOON_BERLIN), null, false, 0,
                NOON_BERLIN.plus(Duration.ofHours(1))).reason()).isEqualTo("NO_CONTACT");
    }

    @Test
    void erasedOrUnreachableCustomersGetNothing() {
        Contact erased = contact(true).withPersonalDataErased();
        assertThat(erased.email()).isNull();
        assertThat(rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", NOON_BERLIN), erased, false, 0,
                NOON_BERLIN).reason()).isEqualTo("ERASED");
        assertThat(rules.decide(pending(TriggerType.DELAY_APOLOGY, "email", NOON_BERLIN), contact(true), false, 0,
                NOON_BERLIN).reason()).isEqualTo("NO_ADDRESS");
    }

    @Test
    void retriesBackOffExponentiallyUpToTheMaximumThenStop() {
        assertThat(rules.nextAttempt(1, NOON_BERLIN)).isEqualTo(NOON_BERLIN.plusSeconds(10));
        assertThat(rules.nextAttempt(2, NOON_BERLIN)).isEqualTo(NOON_BERLIN.plusSeconds(20));
        assertThat(rules.nextAttempt(3, NOON_BERLIN)).isNull();
        NotificationRules patient = NotificationRules.builder()
                .quietHours(new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT))
                .frequencyCap(2, Duration.ofHours(24))
                .contactWait(Duration.ofHours(1))
                .defaultZone(ZoneId.of("UTC"))
                .maxAttempts(20)
                .backoff(Duration.ofSeconds(10), Duration.ofMinutes(1))
                .build();
        assertThat(patient.nextAttempt(10, NOON_BERLIN)).isEqualTo(NOON_BERLIN.plusSeconds(60));
    }
}
