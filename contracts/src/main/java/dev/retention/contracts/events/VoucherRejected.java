package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code voucher.rejected} on {@code retention.triggers}: a voucher code was not applied, with the reason, so that
 * the shop can react. {@code source} says where: an order used it (ORDER; the order keeps the discount it gave, the
 * voucher is not redeemed again) or the redemption API refused it (API; the caller got the refusal as its answer).
 * {@code redeemedOrderId} names the order that redeemed it, for ALREADY_REDEEMED. {@code source} was added
 * compatibly: absent (null) in events of earlier versions, which came from orders only.
 */
public record VoucherRejected(
        String code,
        String orderId,
        Reason reason,
        String detail,
        String redeemedOrderId,
        Instant rejectedAt,
        Source source) implements EventData {

    public enum Reason { UNKNOWN_VOUCHER, ALREADY_REDEEMED, EXPIRED, CURRENCY_MISMATCH, MINIMUM_ORDER_VALUE }

    public enum Source { ORDER, API }
}
