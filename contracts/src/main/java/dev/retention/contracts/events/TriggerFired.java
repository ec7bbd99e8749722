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
 * {@code cart} (optional, added compatibly) is set on a trigger of type {@code cart-reminder} only: the cart and its
 * lines (SKU, quantity, unit price) as they were when the reminder was decided, so that the message can list them.
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
        List<String> recommendations,
        CartContents cart) implements EventData {

    public TriggerFired {
        recommendations = recommendations == null || recommendations.isEmpty() ? null : List.copyOf(recommendations);
    }

    /** A trigger about a cart (or none), without recommendations. */
    public TriggerFired(String triggerId, TriggerType triggerType, String campaignId, String reason,
                        String sourceEventId, String orderId, Voucher voucher, Map<String, String> attributes,
                        Instant firedAt, IssuedReward reward, CartContents cart) {
        this(triggerId, triggerType, campaignId, reason, sourceEventId, orderId, voucher, attributes, firedAt, reward,
                null, cart);
    }

    /** A trigger about no cart, without recommendations. */
    public TriggerFired(String triggerId, TriggerType triggerType, String campaignId, String reason,
                        String sourceEventId, String orderId, Voucher voucher, Map<String, String> attributes,
                        Instant firedAt, IssuedReward reward) {
        this(triggerId, triggerType, campaignId, reason, sourceEventId, orderId, voucher, attributes, firedAt, reward,
                null, null);
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
                firedAt, reward, skus, cart);
    }

    /** The recommended SKUs, best first; none when absent. */
    public List<String> recommendedSkus() {
        return recommendations == null ? List.of() : recommendations;
    }

    @Override
    public List<FieldViolation> violations() {
        Violations v = new Violations();
        if (voucher != null) {
            v.money("$.data.voucher.value", voucher.value())
                    .money("$.data.voucher.minimumOrderValue", voucher.minimumOrderValue())
                    .money("$.data.voucher.maximumDiscount", voucher.maximumDiscount());
        }
        if (cart != null) {
            for (int i = 0; i < cart.lines().size(); i++) {
                v.money("$.data.cart.lines[" + i + "].unitPrice", cart.lines().get(i).unitPrice());
            }
        }
        return v.list();
    }
}
