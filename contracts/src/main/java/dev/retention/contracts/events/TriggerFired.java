package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code trigger.fired} on {@code retention.triggers}: a retention trigger acted for a customer.
 * {@code attributes} carries trigger-specific facts (for example {@code firstTimeCustomer}); never personal data.
 * {@code reward} is set on a trigger of type {@code reward} only: the reward a customer redeemed points for.
 * {@code recommendations} (optional, added compatibly) lists up to three SKUs bought together with what the customer
 * bought, best first, for the message to show (win-back, birthday offer, review thanks); SKUs only, no personal data.
 */
public record TriggerFired(
        String triggerId,
        TriggerType triggerType,
        String campaignId,
        String reason,
        String sourceEventId,
        String orderId,
        Voucher voucher,
        Map<String, String> attributes,
        Instant firedAt,
        IssuedReward reward,
        List<String> recommendations) implements EventData {

    public TriggerFired {
        recommendations = recommendations == null || recommendations.isEmpty() ? null : List.copyOf(recommendations);
    }

    /** A trigger without recommendations. */
    public TriggerFired(String triggerId, TriggerType triggerType, String campaignId, String reason,
                        String sourceEventId, String orderId, Voucher voucher, Map<String, String> attributes,
                        Instant firedAt, IssuedReward reward) {
        this(triggerId, triggerType, campaignId, reason, sourceEventId, orderId, voucher, attributes, firedAt, reward,
                null);
    }

    /** A trigger that gives no reward. */
    public TriggerFired(String triggerId, TriggerType triggerType, String campaignId, String reason,
                        String sourceEventId, String orderId, Voucher voucher, Map<String, String> attributes,
                        Instant firedAt) {
        this(triggerId, triggerType, campaignId, reason, sourceEventId, orderId, voucher, attributes, firedAt, null);
    }

    /** This trigger with the SKUs the message recommends (none: as it was). */
    public TriggerFired withRecommendations(List<String> skus) {
        return new TriggerFired(triggerId, triggerType, campaignId, reason, sourceEventId, orderId, voucher, attributes,
                firedAt, reward, skus);
    }

    /** The recommended SKUs, best first; none when absent. */
    public List<String> recommendedSkus() {
        return recommendations == null ? List.of() : recommendations;
    }

    @Override
    public List<FieldViolation> violations() {
        if (voucher == null) {
            return List.of();
        }
        return new Violations().money("$.data.voucher.value", voucher.value())
                .money("$.data.voucher.minimumOrderValue", voucher.minimumOrderValue())
                .money("$.data.voucher.maximumDiscount", voucher.maximumDiscount())
                .list();
    }
}
