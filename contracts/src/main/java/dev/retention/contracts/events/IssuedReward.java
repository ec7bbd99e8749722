package dev.retention.contracts.events;

/**
 * What a {@code trigger.fired} of type {@code reward} gives: the reward a customer redeemed points for. A partner
 * reward carries its code and text here (a voucher reward carries its voucher in {@code voucher}).
 */
public record IssuedReward(
        String redemptionId,
        String rewardId,
        String name,
        long points,
        String partnerCode,
        String partnerText) {
}
