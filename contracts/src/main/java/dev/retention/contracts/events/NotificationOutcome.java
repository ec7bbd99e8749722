package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code notification.outcome} on {@code retention.notifications}: what happened to the message for one trigger.
 * No address and no name: the customer is the CloudEvent subject.
 */
public record NotificationOutcome(
        String notificationId,
        String triggerId,
        TriggerType triggerType,
        String channel,
        Outcome outcome,
        String reason,
        String locale,
        int attempt,
        Instant occurredAt) implements EventData {

    public enum Outcome { SENT, HELD, SUPPRESSED, FAILED }
}
