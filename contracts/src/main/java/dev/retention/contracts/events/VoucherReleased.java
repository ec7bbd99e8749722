package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code voucher.released} on {@code retention.triggers}: the order that redeemed a single-use voucher was cancelled
 * in full, and the voucher can be used again until it expires.
 */
public record VoucherReleased(
        String code,
        String triggerId,
        String orderId,
        Instant releasedAt) implements EventData {
}
