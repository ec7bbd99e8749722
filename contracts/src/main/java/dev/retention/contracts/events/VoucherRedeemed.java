package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code voucher.redeemed} on {@code retention.triggers}: a voucher was used, by an order event
 * ({@code source} ORDER) or through the redemption API (API). It measures a trigger's conversion: {@code triggerId}
 * and {@code triggerType} name what issued the voucher. {@code discount} is what the voucher takes off the order's
 * merchandise (a fixed value, or the percentage up to its ceiling; absent for free shipping and free gifts).
 */
public record VoucherRedeemed(
        String code,
        String triggerId,
        TriggerType triggerType,
        String campaignId,
        String orderId,
        Source source,
        Money orderValue,
        Money discount,
        Instant redeemedAt) implements EventData {

    public enum Source { ORDER, API }

    @Override
    public List<FieldViolation> violations() {
        return new Violations().money("$.data.orderValue", orderValue).money("$.data.discount", discount).list();
    }
}
