package dev.retention.points.domain;

import dev.retention.contracts.events.PointsChanged;

import java.time.Instant;

/**
 * One line of a customer's ledger, append-only: the change, the balances after it, and why (cause event, order,
 * rule, and for manual entries the reason and who).
 */
public record LedgerEntry(
        String entryId,
        String customerId,
        PointsChanged.Kind kind,
        long points,
        long availableAfter,
        long pendingAfter,
        long debtAfter,
        String orderId,
        String rule,
        String causeEventId,
        Instant occurredAt,
        String note) {

    public PointsChanged toEvent() {
        return new PointsChanged(entryId, kind, points, availableAfter, pendingAfter, debtAfter, orderId, rule,
                causeEventId, occurredAt);
    }
}
