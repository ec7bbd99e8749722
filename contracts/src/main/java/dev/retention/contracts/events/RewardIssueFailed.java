package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code reward.issue-failed} on {@code retention.triggers}: campaign-service could not issue the reward of a
 * redemption. points-service gives the points back with a compensating ledger entry (a {@code points.changed} of
 * kind REFUNDED naming this event as its cause).
 */
public record RewardIssueFailed(
        String redemptionId,
        String rewardId,
        Reason reason,
        String detail,
        Instant failedAt) implements EventData {

    public enum Reason {
        /** The partner reward's code pool has no code left. */
        POOL_EMPTY,
        /** The customer was erased between the debit and the issue. */
        CUSTOMER_ERASED,
        /** The reward's terms cannot be issued in the customer's circumstances (for example no value in a currency). */
        NOT_ISSUABLE
    }
}
