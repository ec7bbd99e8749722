package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code trigger.fired} on {@code retention.triggers}: a retention trigger acted for a customer.
 * {@code attributes} carries trigger-specific facts (for example {@code firstTimeCustomer}); never personal data.
 * {@code reward} is set on a trigger of type {@code reward} only: the reward a customer redeemed points for.
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
        IssuedReward reward) implements EventData {

    /** A trigger that gives no reward. */
    public TriggerFired(String triggerId, TriggerType triggerType, String campaignId, String reason,
                        String sourceEventId, String orderId, Voucher voucher, Map<String, String> attributes,
                        Instant firedAt) {
        this(triggerId, triggerType, campaignId, reason, sourceEventId, orderId, voucher, attributes, firedAt, null);
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
