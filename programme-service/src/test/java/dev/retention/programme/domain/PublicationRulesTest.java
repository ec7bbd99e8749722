package dev.retention.programme.domain;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PublicationRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00.123456789Z");

    private static ProgrammeTimeline oneVersionFrom(Instant effectiveFrom) {
        return new ProgrammeTimeline("p", List.of(new ProgrammeVersion(1, effectiveFrom, effectiveFrom, "system",
                "initial", null, ProgrammeJson.initial())));
    }

    @Test
    void withoutARequestedTimeAVersionTakesEffectAfterTheActivationDelayKeptToMicroseconds() {
        assertThat(PublicationRules.effectiveFrom(null, NOW, Duration.ofSeconds(30)))
                .isEqualTo(Instant.parse("2026-12-06T10:00:30.123456Z"));
        Instant asked = Instant.parse("2027-01-01T00:00:00Z");
        assertThat(PublicationRules.effectiveFrom(asked, NOW, Duration.ofSeconds(30))).isEqualTo(asked);
    }

    @Test
    void aTimeInThePastIsRefusedNamingEffectiveFrom() {
        List<FieldViolation> found = PublicationRules.timingViolations(NOW.minusSeconds(1), NOW,
                ProgrammeTimeline.empty("p"));

        assertThat(found).extracting(FieldViolation::field).containsExactly("effectiveFrom");
        assertThat(found.get(0).problem()).contains("in the past");
    }

    @Test
    void nowItselfIsNotInThePast() {
        assertThat(PublicationRules.timingViolations(NOW, NOW, ProgrammeTimeline.empty("p"))).isEmpty();
    }

    @Test
    void aVersionMustTakeEffectStrictlyAfterTheLatest() {
        Instant latest = NOW.plusSeconds(3600);
        ProgrammeTimeline timeline = oneVersionFrom(latest);

        assertThat(PublicationRules.timingViolations(latest, NOW, timeline)).singleElement()
                .satisfies(v -> assertThat(v.problem()).contains("latest version 1"));
        assertThat(PublicationRules.timingViolations(latest.minusSeconds(1), NOW, timeline)).hasSize(1);
        assertThat(PublicationRules.timingViolations(latest.plusNanos(1000), NOW, timeline)).isEmpty();
    }

    @Test
    void theCurrenciesInUseAreThoseOfTheVersionInForce() {
        assertThat(PublicationRules.currenciesInUse(ProgrammeTimeline.empty("p"), NOW)).isEmpty();
        assertThat(PublicationRules.currenciesInUse(oneVersionFrom(NOW.plusSeconds(1)), NOW)).isEmpty();
        assertThat(PublicationRules.currenciesInUse(oneVersionFrom(NOW.minusSeconds(1)), NOW))
                .containsExactlyInAnyOrder("EUR", "USD", "GBP", "CHF");
    }

    @Test
    void versionsAreNumberedFromOne() {
        assertThat(PublicationRules.nextVersion(ProgrammeTimeline.empty("p"))).isEqualTo(1);
        assertThat(PublicationRules.nextVersion(oneVersionFrom(NOW))).isEqualTo(2);
    }
}
