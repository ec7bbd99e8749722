package dev.retention.campaigns.domain;

import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.feedback.FeedbackScores;

import java.time.Instant;

/**
 * A customer's answer to the feedback question of an order, from the shop's {@code feedback.submitted} or a score
 * link of the feedback mail. {@code comment} is personal data: never put it in a log line or an output event but the
 * helpdesk's (see {@link #toString()}).
 *
 * @param sourceEventId the {@code feedback.submitted} event, or the feedback request's trigger id for a link
 */
public record FeedbackAnswer(String customerId, String orderId, int score, String comment, FeedbackChannel channel,
                             Instant answeredAt, String sourceEventId) {

    public FeedbackAnswer {
        FeedbackScores.of(score); // 0 to 10, or refused
        comment = comment == null || comment.isBlank() ? null : comment;
    }

    public FeedbackScores scoreClass() {
        return FeedbackScores.of(score);
    }

    /** The same answer without its comment (the customer was erased). */
    public FeedbackAnswer withoutComment() {
        return new FeedbackAnswer(customerId, orderId, score, null, channel, answeredAt, sourceEventId);
    }

    @Override
    public String toString() {
        return "FeedbackAnswer[customerId=" + customerId + ", orderId=" + orderId + ", score=" + score + ", comment="
                + (comment == null ? "absent" : "present") + ", channel=" + channel + "]";
    }
}
