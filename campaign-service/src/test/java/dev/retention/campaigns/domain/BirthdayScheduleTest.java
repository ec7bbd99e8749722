package dev.retention.campaigns.domain;

import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BirthdayScheduleTest {

    private final BirthdaySchedule schedule = new BirthdaySchedule(7, LocalTime.of(9, 0));

    @Test
    void theOfferGoesOutDaysBeforeAtTheSendTimeInTheCustomersZone() {
        var next = schedule.next(LocalDate.of(1990, 6, 20), ZoneId.of("Asia/Tokyo"),
                Instant.parse("2026-03-01T00:00:00Z"), 0).orElseThrow();

        assertThat(next.year()).isEqualTo(2026);
        assertThat(next.offerAt()).isEqualTo(Instant.parse("2026-06-13T00:00:00Z")); // 09:00 in Tokyo
    }

    @Test
    void aBirthdayAlreadyPassedThisYearIsNextYears() {
        var next = schedule.next(LocalDate.of(1990, 1, 5), ZoneId.of("UTC"), Instant.parse("2026-03-01T00:00:00Z"), 0)
                .orElseThrow();
        assertThat(next.birthday()).isEqualTo(LocalDate.of(2027, 1, 5));
    }

    @Test
    void theDayIsTheCustomersDayNotUtcs() {
        // 23:30 UTC on 9 May is already 10 May in Berlin: a 10 May birthday is today there, not tomorrow.
        Instant now = Instant.parse("2026-05-09T23:30:00Z");
        var berlin = schedule.next(LocalDate.of(1990, 5, 9), ZoneId.of("Europe/Berlin"), now, 0).orElseThrow();
        var utc = schedule.next(LocalDate.of(1990, 5, 9), ZoneId.of("UTC"), now, 0).orElseThrow();
        assertThat(berlin.year()).isEqualTo(2027);
        assertThat(utc.year()).isEqualTo(2026);
    }

    @Test
    void leapDayBirthdaysAreCelebratedOn28FebruaryInCommonYears() {
        LocalDate leapDay = LocalDate.of(2000, 2, 29);
        var common = schedule.next(leapDay, ZoneId.of("UTC"), Instant.parse("2026-01-01T00:00:00Z"), 0).orElseThrow();
        var leap = schedule.next(leapDay, ZoneId.of("UTC"), Instant.parse("2028-01-01T00:00:00Z"), 0).orElseThrow();

        assertThat(common.birthday()).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThat(leap.birthday()).isEqualTo(LocalDate.of(2028, 2, 29));
    }

    @Test
    void aCustomerRegisteringDaysBeforeTheBirthdayIsOfferedAtOnceThenOnceAYear() {
        CampaignRules rules = new CampaignRules(CampaignRulesTest.policy(), new VoucherCodeGenerator());
        CustomerState customer = new CustomerState("c-1");
        CampaignState state = new CampaignState(new HashMap<>(Map.of("c-1", customer)), Map.of(), Map.of());
        Instant now = Instant.parse("2026-06-17T10:00:00Z");
        rules.apply(TestEvents.envelope("c-1", new CustomerRegistered(now, "a@example.com", "A", "B", "de-DE",
                "Europe/Berlin", LocalDate.of(1990, 6, 20), new ChannelConsents(true, false, false, false), null)),
                state, now);

        var offer = rules.birthdayDue(customer, now);
        assertThat(offer).hasValueSatisfying(r -> assertThat(r.dedupeKey()).isEqualTo("c-1:2026"));
        assertThat(rules.birthdayDue(customer, now)).isEmpty();
        assertThat(customer.birthdayOfferAt()).isEqualTo(Instant.parse("2027-06-13T07:00:00Z"));
        assertThat(rules.birthdayDue(customer, Instant.parse("2027-06-13T07:00:00Z")))
                .hasValueSatisfying(r -> assertThat(r.dedupeKey()).isEqualTo("c-1:2027"));
    }

    @Test
    void noConsentOrNoBirthDateMeansNoBirthdayTimer() {
        CampaignRules rules = new CampaignRules(CampaignRulesTest.policy(), new VoucherCodeGenerator());
        CustomerState customer = new CustomerState("c-1");
        CampaignState state = new CampaignState(new HashMap<>(Map.of("c-1", customer)), Map.of(), Map.of());
        Instant now = Instant.parse("2026-06-01T10:00:00Z");
        rules.apply(TestEvents.envelope("c-1", new CustomerUpdated(now, "a@example.com", "A", "B", "de-DE",
                "Europe/Berlin", LocalDate.of(1990, 6, 20), ChannelConsents.none())), state, now);
        assertThat(customer.birthdayOfferAt()).isNull();

        rules.apply(TestEvents.envelope("c-1", new CustomerUpdated(now, "a@example.com", "A", "B", "de-DE",
                "Europe/Berlin", null, new ChannelConsents(false, true, false, false))), state, now);
        assertThat(customer.birthdayOfferAt()).isNull();
        assertThat(customer.marketingConsent()).isTrue();
    }
}
