package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code trigger.fired} on {@code retention.triggers}: a retention trigger acted for a customer.
 * {@code attributes} carries trigger-specific facts (for example {@code firstTimeCustomer}); never personal data.
 * {@code reward} is set on a trigger of type {@code reward} only: the reward a customer redeemed points for.
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
        CartContents cart) implements EventData {

    /** A trigger about no cart. */
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
