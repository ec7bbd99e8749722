package dev.retention.points.domain;

import dev.retention.contracts.events.PointsChanged;

import java.time.Instant;
import java.util.List;

/**
 * One line of a customer's ledger, append-only: the change, the balances after it, and why (cause event, order,
 * rule, and for manual entries the reason and who). {@code rules} breaks an order's earning down into the base rate,
 * each earning rule that applied and the tier multiplier's part ({@link RulePoints}); the parts sum to
 * {@code points}. Empty for entries with a single cause, named by {@code rule}.
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
        String note,
        List<RulePoints> rules) {

    public LedgerEntry {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public PointsChanged toEvent() {
        return new PointsChanged(entryId, kind, points, availableAfter, pendingAfter, debtAfter, orderId, rule,
                causeEventId, occurredAt, rules.stream()
                .map(part -> new PointsChanged.RulePoints(part.ruleId(), part.points())).toList());
    }
}
