package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A voucher as it travels on {@code retention.triggers}: at most one of a fixed {@code value}, a {@code percentOff}
 * or a {@code freeGiftSku} (the product given away), or none of them with {@code freeShipping} (a free-shipping
 * voucher). {@code minimumOrderValue} is the hurdle, if any; {@code maximumDiscount} the ceiling of a percentage.
 */
public record Voucher(
        String code,
        Money value,
        BigDecimal percentOff,
        String freeGiftSku,
        boolean freeShipping,
        Money minimumOrderValue,
        Instant expiresAt,
        Money maximumDiscount) {

    /** A voucher without a ceiling. */
    public Voucher(String code, Money value, BigDecimal percentOff, String freeGiftSku, boolean freeShipping,
                   Money minimumOrderValue, Instant expiresAt) {
        this(code, value, percentOff, freeGiftSku, freeShipping, minimumOrderValue, expiresAt, null);
    }
}
