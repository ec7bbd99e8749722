package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code trigger.fired} on {@code retention.triggers}: a retention trigger acted for a customer.
 * {@code attributes} carries trigger-specific facts (for example {@code firstTimeCustomer}); never personal data.
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
        Instant firedAt) implements EventData {

    @Override
    public List<FieldViolation> violations() {
        if (voucher == null) {
            return List.of();
        }
        return new Violations().money("$.data.voucher.value", voucher.value())
                .money("$.data.voucher.minimumOrderValue", voucher.minimumOrderValue())
                .list();
    }
}
