package dev.retention.notifications.domain;

import dev.retention.contracts.events.TriggerFired;

import java.time.Instant;

/**
 * One message to deliver: a trigger on one channel. {@code attempts} counts delivery attempts made so far;
 * {@code heldReason} is why it waits, if it does (a HELD outcome is published when that reason first appears), and
 * {@code heldSince} when that reason first appeared: the time of its HELD outcome.
 */
public record PendingNotification(
        String notificationId,
        String customerId,
        String channel,
        TriggerFired trigger,
        Instant createdAt,
        int attempts,
        String heldReason,
        Instant heldSince) {

    public boolean marketing() {
        return trigger.triggerType().marketing();
    }
}
