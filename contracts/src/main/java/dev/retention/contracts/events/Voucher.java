package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A voucher as it travels on {@code retention.triggers}: exactly one of a fixed {@code value}, a {@code percentOff}
 * or a {@code freeGiftSku} (the product given away). {@code minimumOrderValue} is the hurdle, if any.
 */
public record Voucher(
        String code,
        Money value,
        BigDecimal percentOff,
        String freeGiftSku,
        boolean freeShipping,
        Money minimumOrderValue,
        Instant expiresAt) {
}
