package dev.retention.contracts.events;

import dev.retention.contracts.programme.ProgrammeDocument.Reward;

import java.time.Instant;

/**
 * {@code reward.redemption-requested} on {@code loyalty.points}: points-service debited a customer's points for a
 * reward (ledger entry {@code entryId}, a {@code points.changed} of kind REDEEMED) and asks campaign-service to issue
 * it. {@code reward} is a copy of the reward's terms in the programme version in force at {@code requestedAt}, so
 * the issue does not depend on which versions campaign-service has seen. Its id is derived from the redemption id:
 * a retried request publishes the same event.
 *
 * @param programmeVersion the version whose terms {@code reward} copies
 * @param currency         the currency the customer shops in, for a voucher with a value per currency (absent: the
 *                         programme's reporting currency)
 */
public record RewardRedemptionRequested(
        String redemptionId,
        String rewardId,
        String entryId,
        long points,
        int programmeVersion,
        Reward reward,
        String currency,
        Instant requestedAt) implements EventData {
}
