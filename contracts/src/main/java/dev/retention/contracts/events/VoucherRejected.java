package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code voucher.rejected} on {@code retention.triggers}: an order used a voucher code that was not applied, with the
 * reason, so that the shop can react (the order keeps the discount it gave, the voucher is not redeemed again).
 * {@code redeemedOrderId} names the order that redeemed it, for ALREADY_REDEEMED.
 */
public record VoucherRejected(
        String code,
        String orderId,
        Reason reason,
        String detail,
        String redeemedOrderId,
        Instant rejectedAt) implements EventData {

    public enum Reason { UNKNOWN_VOUCHER, ALREADY_REDEEMED, EXPIRED, CURRENCY_MISMATCH, MINIMUM_ORDER_VALUE }
}
