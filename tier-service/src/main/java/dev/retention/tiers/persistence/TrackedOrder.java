package dev.retention.tiers.persistence;

import dev.retention.tiers.domain.QualifyingOrder;

import java.math.BigDecimal;
import java.time.Instant;

/** An order as tier-service keeps it; events fill it in whatever order they arrive. */
public final class TrackedOrder {

    final String orderId;
    final String customerId;
    boolean placed;
    Instant placedAt;
    BigDecimal value = BigDecimal.ZERO;
    BigDecimal refunded = BigDecimal.ZERO;
    boolean cancelled;

    TrackedOrder(String orderId, String customerId) {
        this.orderId = orderId;
        this.customerId = customerId;
    }

    public static TrackedOrder unknown(String orderId, String customerId) {
        return new TrackedOrder(orderId, customerId);
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

    public String customerId() {
        return customerId;
    }

    public QualifyingOrder qualifying() {
        return new QualifyingOrder(orderId, placedAt, value, refunded, cancelled);
    }
}
