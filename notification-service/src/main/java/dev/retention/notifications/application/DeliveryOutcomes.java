package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.notifications.channels.DeliveryResult;
import dev.retention.notifications.domain.DeliveryDecision;
import dev.retention.notifications.domain.NotificationRules;
import dev.retention.notifications.domain.PendingNotification;
import dev.retention.notifications.persistence.NotificationStore.Recorded;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a chunk's attempts come to: the rows to write (state, reason, next due time) and the
 * {@code notification.outcome} events to publish with them.
 */
final class DeliveryOutcomes {

    private static final Logger LOG = Logger.getLogger(DeliveryOutcomes.class);
    static final String SOURCE = "/notification-service";

    /** One claimed notification, decided and, when the decision was to send it, sent. */
    record Attempt(PendingNotification notification, DeliveryDecision decision, String locale,
                   DeliveryResult result) {

        static Attempt notSent(PendingNotification notification, DeliveryDecision decision) {
            return new Attempt(notification, decision, null, null);
        }
    }

    private final List<Recorded> rows = new ArrayList<>();
    private final List<EventEnvelope<?>> events = new ArrayList<>();

    private DeliveryOutcomes() {
    }

    static DeliveryOutcomes of(List<Attempt> attempts, NotificationRules rules, Instant now) {
        DeliveryOutcomes outcomes = new DeliveryOutcomes();
        for (Attempt attempt : attempts) {
            switch (attempt.decision().kind()) {
                case HOLD -> outcomes.held(attempt.notification(), attempt.decision(), now);
                case SUPPRESS -> outcomes.suppressed(attempt.notification(), attempt.decision(), now);
                case SEND -> outcomes.delivered(attempt.notification(), attempt.locale(), attempt.result(), rules,
                        now);
            }
        }
        return outcomes;
    }

    List<Recorded> rows() {
        return rows;
    }

    List<EventEnvelope<?>> events() {
        return events;
    }

    private void held(PendingNotification n, DeliveryDecision decision, Instant now) {
        // HELD once per reason: the id names the reason and the attempt, and the time is when the reason first
        // appeared, kept with the row, so that an id never stands for two payloads.
        boolean sameReason = decision.reason().equals(n.heldReason());
        Instant heldSince = sameReason ? n.heldSince() : now;
        rows.add(new Recorded(n.notificationId(), "HELD", decision.reason(), null, n.attempts(),
                decision.holdUntil(), null, decision.reason(), heldSince));
        if (!sameReason) {
            events.add(event(n, NotificationOutcome.Outcome.HELD, decision.reason(), null, n.attempts(), heldSince));
        }
    }

    private void suppressed(PendingNotification n, DeliveryDecision decision, Instant now) {
        rows.add(new Recorded(n.notificationId(), "SUPPRESSED", decision.reason(), null, n.attempts(), null, null,
                null, null));
        events.add(event(n, NotificationOutcome.Outcome.SUPPRESSED, decision.reason(), null, n.attempts(), now));
    }

    private void delivered(PendingNotification n, String locale, DeliveryResult result, NotificationRules rules,
                           Instant now) {
        int attempt = n.attempts() + 1;
        switch (result.status()) {
            case DELIVERED -> {
                rows.add(new Recorded(n.notificationId(), "SENT", null, locale, attempt, null, now, null, null));
                events.add(event(n, NotificationOutcome.Outcome.SENT, null, locale, attempt, now));
            }
            case TEMPORARY_FAILURE -> {
                Instant next = rules.nextAttempt(attempt, now);
                if (next != null) {
                    // The code only: the receiver's reply (kept in the delivery log) can quote the address.
                    LOG.infof("%s attempt %d failed (%s), retrying at %s", n.notificationId(), attempt,
                            result.code(), next);
                    rows.add(new Recorded(n.notificationId(), "PENDING", result.code() + ": " + result.detail(),
                            locale, attempt, next, null, null, null));
                    return;
                }
                rows.add(new Recorded(n.notificationId(), "FAILED", result.code() + ": " + result.detail(), locale,
                        attempt, null, null, null, null));
                events.add(event(n, NotificationOutcome.Outcome.FAILED, "RETRIES_EXHAUSTED " + result.code(), locale,
                        attempt, now));
            }
            case PERMANENT_FAILURE -> {
                rows.add(new Recorded(n.notificationId(), "FAILED", result.code() + ": " + result.detail(), locale,
                        attempt, null, null, null, null));
                events.add(event(n, NotificationOutcome.Outcome.FAILED, result.code(), locale, attempt, now));
            }
        }
    }

    /**
     * The published outcome: ids, type, channel, what happened and why; never an address or a name. {@code at} is
     * when it happened, the same whenever this id is published.
     */
    private static EventEnvelope<NotificationOutcome> event(PendingNotification n, NotificationOutcome.Outcome outcome,
                                                            String reason, String locale, int attempt, Instant at) {
        String id = EventIds.derive(n.notificationId() + ":" + outcome + ":" + attempt + ":" + reason,
                "notification.outcome");
        return EventEnvelope.of(id, SOURCE, at, n.customerId(), new NotificationOutcome(n.notificationId(),
                n.trigger().triggerId(), n.trigger().triggerType(), n.channel(), outcome, reason, locale, attempt,
                at));
    }
}
