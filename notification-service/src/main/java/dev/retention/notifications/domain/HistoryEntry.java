package dev.retention.notifications.domain;

import java.time.Instant;

/**
 * One notification in a customer's delivery log, as support reads it: what it was for, on which channel, its state
 * (sent, held, suppressed, failed, pending), why, and how many attempts it took.
 */
public record HistoryEntry(String notificationId, String triggerId, String triggerType, String channel,
                           String state, String reason, String locale, int attempts, Instant createdAt,
                           Instant sentAt) {
}
