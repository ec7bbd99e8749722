package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code feedback.recorded} on {@code retention.triggers}: campaign-service recorded the feedback score of an
 * order, once. No comment: it is personal data and stays in campaign-service.
 */
public record FeedbackRecorded(
        String orderId,
        int score,
        FeedbackChannel channel,
        Instant recordedAt) implements EventData {
}
