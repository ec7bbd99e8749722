package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code feedback.submitted} on {@code feedback}: the customer's answer, 0 to 10, to the feedback (NPS) question
 * for an order. {@code comment} is optional and personal data (at most {@link #MAX_COMMENT} characters).
 */
public record FeedbackSubmitted(
        String orderId,
        int score,
        String comment,
        FeedbackChannel channel,
        Instant submittedAt) implements EventData {

    public static final int MAX_COMMENT = 2000;

    /** Never prints the comment: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "FeedbackSubmitted[orderId=" + orderId + ", score=" + score + ", comment="
                + (comment == null ? "absent" : "present") + ", channel=" + channel + ", submittedAt=" + submittedAt
                + "]";
    }
}
