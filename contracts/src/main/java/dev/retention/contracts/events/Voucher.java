package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A voucher as it travels on {@code retention.triggers}: either a fixed {@code value} or a {@code percentOff},
 * never both.
 */
public record Voucher(
        String code,
        Money value,
        BigDecimal percentOff,
        boolean freeShipping,
        Money minimumOrderValue,
        Instant expiresAt) {
}
