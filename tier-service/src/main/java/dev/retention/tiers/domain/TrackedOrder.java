package dev.retention.tiers.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order as tier-service keeps it; events fill it in whatever order they arrive (a cancellation or a return can
 * come before the order itself). Amounts are in the base currency.
 */
public final class TrackedOrder {

    private final String orderId;
    private final String customerId;
    private boolean placed;
    private Instant placedAt;
    private BigDecimal value;
    private BigDecimal refunded;
    private boolean cancelled;

    private TrackedOrder(String orderId, String customerId, boolean placed, Instant placedAt, BigDecimal value,
                         BigDecimal refunded, boolean cancelled) {
        this.orderId = orderId;
        this.customerId = customerId;
        this.placed = placed;
        this.placedAt = placedAt;
        this.value = value;
        this.refunded = refunded;
        this.cancelled = cancelled;
    }

    /** An order no event has told anything of yet. */
    public static TrackedOrder unknown(String orderId, String customerId) {
        return new TrackedOrder(orderId, customerId, false, null, BigDecimal.ZERO, BigDecimal.ZERO, false);
    }

    /** An order as it was saved. */
    public static TrackedOrder stored(String orderId, String customerId, boolean placed, Instant placedAt,
                                      BigDecimal value, BigDecimal refunded, boolean cancelled) {
        return new TrackedOrder(orderId, customerId, placed, placedAt, value, refunded, cancelled);
    }

    /** Returns false when the order was placed before (the same order announced twice). */
    public boolean place(Instant at, BigDecimal baseValue) {
        if (placed) {
            return false;
        }
        placed = true;
        placedAt = at;
        value = baseValue;
        return true;
    }

    public void cancel() {
        cancelled = true;
    }

    public void refund(BigDecimal baseValue) {
        refunded = refunded.add(baseValue);
    }

    public QualifyingOrder qualifying() {
        return new QualifyingOrder(orderId, placedAt, value, refunded, cancelled);
    }

    public String orderId() {
        return orderId;
    }

    public String customerId() {
        return customerId;
    }

    public boolean placed() {
        return placed;
    }

    public Instant placedAt() {
        return placedAt;
    }

    public BigDecimal value() {
        return value;
    }

    public BigDecimal refunded() {
        return refunded;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
