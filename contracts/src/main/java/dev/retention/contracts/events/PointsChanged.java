package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code points.changed} on {@code loyalty.points}: one ledger entry and the balances after it.
 * {@code points} is signed: positive credits, negative debits. {@code rules} (optional, absent on entries before it
 * existed and on entries with a single cause) breaks an order's earning down: the base rate ({@code order.base}), each
 * earning rule that applied by its id, and the tier multiplier's part ({@code order.tier}); the parts sum to
 * {@code points}.
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
        Instant occurredAt,
        List<RulePoints> rules) implements EventData {

    public PointsChanged {
        rules = rules == null || rules.isEmpty() ? null : List.copyOf(rules);
    }

    /** An entry without a breakdown. */
    public PointsChanged(String entryId, Kind kind, long points, long availableAfter, long pendingAfter,
                         long debtAfter, String orderId, String rule, String causeEventId, Instant occurredAt) {
        this(entryId, kind, points, availableAfter, pendingAfter, debtAfter, orderId, rule, causeEventId, occurredAt,
                null);
    }

    public enum Kind { EARNED_PENDING, RELEASED, EARNED, BONUS, REDEEMED, REFUNDED, REVERSED, EXPIRED, ADJUSTED }

    /** What one rule (or the base rate, or the tier multiplier) gave to the entry. */
    public record RulePoints(String ruleId, long points) {
    }
}
