package dev.retention.contracts.events;

import dev.retention.contracts.programme.ProgrammeDocument.Reward;

import java.time.Instant;

/**
 * {@code reward.issued} on {@code retention.triggers}: campaign-service issued the reward of a redemption, once. The
 * customer's message goes out through the {@code trigger.fired} of type {@code reward} with the same
 * {@code triggerId}; {@code voucherCode} is the voucher's code (absent for a partner reward, whose code is a
 * partner's secret and travels only to the customer's message).
 */
public record RewardIssued(
        String redemptionId,
        String rewardId,
        Reward.Kind kind,
        String triggerId,
        String voucherCode,
        Instant issuedAt) implements EventData {
}
