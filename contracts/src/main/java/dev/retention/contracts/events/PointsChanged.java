package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code points.changed} on {@code loyalty.points}: one ledger entry and the balances after it.
 * {@code points} is signed: positive credits, negative debits.
 */
public record PointsChanged(
        String entryId,
        Kind kind,
        long points,
        long availableAfter,
        long pendingAfter,
        long debtAfter,
        String orderId,
        String rule,
        String causeEventId,
        Instant occurredAt) implements EventData {

    public enum Kind { EARNED_PENDING, RELEASED, EARNED, BONUS, REDEEMED, REFUNDED, REVERSED, EXPIRED, ADJUSTED }
}
