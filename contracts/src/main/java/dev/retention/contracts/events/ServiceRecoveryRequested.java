package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code service-recovery.requested} on {@code retention.helpdesk}, for the shop's helpdesk: a detractor answered
 * the feedback question for an order. {@code comment} only where the shop allows it; the helpdesk topic is not an
 * analyst topic.
 */
public record ServiceRecoveryRequested(
        String orderId,
        int score,
        String comment,
        Instant requestedAt) implements EventData {

    @Override
    public String toString() {
        return "ServiceRecoveryRequested[orderId=" + orderId + ", score=" + score + ", comment="
                + (comment == null ? "absent" : "present") + ", requestedAt=" + requestedAt + "]";
    }
}
