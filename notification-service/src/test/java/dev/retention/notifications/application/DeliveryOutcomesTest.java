package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.notifications.application.DeliveryOutcomes.Attempt;
import dev.retention.notifications.channels.DeliveryResult;
import dev.retention.notifications.domain.DeliveryDecision;
import dev.retention.notifications.domain.NotificationRules;
import dev.retention.notifications.domain.PendingNotification;
import dev.retention.notifications.domain.QuietHours;
import dev.retention.notifications.persistence.NotificationStore.Recorded;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryOutcomesTest {

    private static final Instant NOW = Instant.parse("2026-06-10T10:00:00Z");
    private static final Instant CREATED = NOW.minusSeconds(600);

    /** Three attempts at most, the first retry after 10 s. */
    private final NotificationRules rules = NotificationRules.builder()
            .quietHours(new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)))
            .frequencyCap(2, Duration.ofHours(24))
            .contactWait(Duration.ofHours(1))
            .defaultZone(ZoneId.of("Europe/Berlin"))
            .maxAttempts(3)
            .backoff(Duration.ofSeconds(10), Duration.ofMinutes(1))
            .build();

    private static PendingNotification pending(int attempts, String heldReason, Instant heldSince) {
        return new PendingNotification("n-1", "c-1", "email", new TriggerFired("t-1", TriggerType.REVIEW_THANKS,
                null, "r", "e-1", "ord-1", null, Map.of(), CREATED), CREATED, attempts, heldReason, heldSince);
    }

    private DeliveryOutcomes outcomes(Attempt attempt) {
        return DeliveryOutcomes.of(List.of(attempt), rules, NOW);
    }

    private static Attempt sent(int attemptsBefore, DeliveryResult result) {
        return new Attempt(pending(attemptsBefore, null, null), DeliveryDecision.send(), "de", result);
    }

    private static NotificationOutcome only(List<EventEnvelope<?>> events) {
        assertThat(events).hasSize(1);
        return (NotificationOutcome) events.get(0).data();
    }

    @Test
    void aHoldIsAnnouncedWhenItsReasonAppearsAndNotAgainWhileItStands() {
        Instant morning = NOW.plus(Duration.ofHours(10));
        DeliveryOutcomes first = outcomes(Attempt.notSent(pending(0, null, null),
                DeliveryDecision.hold(morning, "QUIET_HOURS")));
        assertThat(first.rows()).containsExactly(new Recorded("n-1", "HELD", "QUIET_HOURS", null, 0, morning, null,
                "QUIET_HOURS", NOW));
        NotificationOutcome held = only(first.events());
        assertThat(held.outcome()).isEqualTo(NotificationOutcome.Outcome.HELD);
        assertThat(held.reason()).isEqualTo("QUIET_HOURS");
        assertThat(held.occurredAt()).isEqualTo(NOW);

        Instant since = NOW.minusSeconds(300);
        DeliveryOutcomes again = outcomes(Attempt.notSent(pending(0, "QUIET_HOURS", since),
                DeliveryDecision.hold(morning, "QUIET_HOURS")));
        assertThat(again.rows()).containsExactly(new Recorded("n-1", "HELD", "QUIET_HOURS", null, 0, morning, null,
                "QUIET_HOURS", since));
        assertThat(again.events()).isEmpty();
    }

    @Test
    void aSuppressionEndsTheNotificationAndIsPublished() {
        DeliveryOutcomes suppressed = outcomes(Attempt.notSent(pending(0, "CONTACT_UNKNOWN", CREATED),
                DeliveryDecision.suppress("NO_CONTACT")));
        assertThat(suppressed.rows()).containsExactly(new Recorded("n-1", "SUPPRESSED", "NO_CONTACT", null, 0, null,
                null, null, null));
        NotificationOutcome outcome = only(suppressed.events());
        assertThat(outcome.outcome()).isEqualTo(NotificationOutcome.Outcome.SUPPRESSED);
        assertThat(outcome.reason()).isEqualTo("NO_CONTACT");
        assertThat(outcome.triggerId()).isEqualTo("t-1");
    }

    @Test
    void aDeliveryCountsItsAttemptAndIsPublishedWithTheTemplatesLanguage() {
        DeliveryOutcomes delivered = outcomes(sent(0, DeliveryResult.delivered()));
        assertThat(delivered.rows()).containsExactly(new Recorded("n-1", "SENT", null, "de", 1, null, NOW, null,
                null));
        NotificationOutcome outcome = only(delivered.events());
        assertThat(outcome.outcome()).isEqualTo(NotificationOutcome.Outcome.SENT);
        assertThat(outcome.attempt()).isEqualTo(1);
        assertThat(outcome.locale()).isEqualTo("de");
    }

    @Test
    void aTemporaryFailureIsRetriedQuietlyUntilTheAttemptsRunOut() {
        DeliveryResult busy = DeliveryResult.temporary("SMTP_451", "SMTP 451 try later");
        DeliveryOutcomes retried = outcomes(sent(0, busy));
        assertThat(retried.rows()).containsExactly(new Recorded("n-1", "PENDING", "SMTP_451: SMTP 451 try later",
                "de", 1, NOW.plusSeconds(10), null, null, null));
        assertThat(retried.events()).isEmpty();

        DeliveryOutcomes exhausted = outcomes(sent(2, busy));
        assertThat(exhausted.rows()).containsExactly(new Recorded("n-1", "FAILED", "SMTP_451: SMTP 451 try later",
                "de", 3, null, null, null, null));
        assertThat(only(exhausted.events()).reason()).isEqualTo("RETRIES_EXHAUSTED SMTP_451");
    }

    @Test
    void aPermanentFailurePublishesTheCodeButNotTheReceiversReply() {
        DeliveryOutcomes failed = outcomes(sent(0, DeliveryResult.permanent("SMTP_550",
                "SMTP 550 <a@example.com>: no such user")));
        assertThat(failed.rows()).extracting(Recorded::state, Recorded::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FAILED",
                        "SMTP_550: SMTP 550 <a@example.com>: no such user"));
        NotificationOutcome outcome = only(failed.events());
        assertThat(outcome.outcome()).isEqualTo(NotificationOutcome.Outcome.FAILED);
        assertThat(outcome.reason()).isEqualTo("SMTP_550");
    }

    @Test
    void anOutcomeRecordedAgainLaterKeepsItsEventId() {
        Attempt attempt = Attempt.notSent(pending(0, null, null), DeliveryDecision.suppress("ERASED"));
        String id = DeliveryOutcomes.of(List.of(attempt), rules, NOW).events().get(0).id();
        assertThat(DeliveryOutcomes.of(List.of(attempt), rules, NOW.plusSeconds(60)).events().get(0).id())
                .isEqualTo(id);
        assertThat(DeliveryOutcomes.of(List.of(Attempt.notSent(pending(0, null, null),
                DeliveryDecision.suppress("NO_ADDRESS"))), rules, NOW).events().get(0).id()).isNotEqualTo(id);
    }
}
