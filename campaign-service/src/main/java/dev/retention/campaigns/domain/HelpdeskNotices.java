package dev.retention.campaigns.domain;

import dev.retention.contracts.events.ServiceRecoveryRequested;
import dev.retention.contracts.feedback.FeedbackScores;

import java.time.Instant;
import java.util.Optional;

/**
 * What the shop's helpdesk hears of feedback ({@code service-recovery.requested} on {@code retention.helpdesk}): a
 * detractor's answer, at once, with the comment only where the shop allows comments; and, where it does, a comment
 * the detractor adds afterwards on the thank-you page, as the same notice again with the comment (the helpdesk keeps
 * the newest per order). Nothing for passives and promoters.
 */
public final class HelpdeskNotices {

    private HelpdeskNotices() {
    }

    public static Optional<ServiceRecoveryRequested> onAnswer(FeedbackAnswer answer, boolean commentsAllowed,
                                                              Instant now) {
        if (answer.scoreClass() != FeedbackScores.DETRACTOR) {
            return Optional.empty();
        }
        return Optional.of(new ServiceRecoveryRequested(answer.orderId(), answer.score(),
                commentsAllowed ? answer.comment() : null, now));
    }

    public static Optional<ServiceRecoveryRequested> onLaterComment(String orderId, int score, String comment,
                                                                    boolean commentsAllowed, Instant now) {
        if (!commentsAllowed || comment == null || comment.isBlank()
                || FeedbackScores.of(score) != FeedbackScores.DETRACTOR) {
            return Optional.empty();
        }
        return Optional.of(new ServiceRecoveryRequested(orderId, score, comment, now));
    }
}
