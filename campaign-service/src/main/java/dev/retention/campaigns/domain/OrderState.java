package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order as far as triggers care. Orders and shipments travel on different topics, so a shipment can arrive
 * before its order: such an order is {@code UNKNOWN} until {@code order.placed} comes.
 */
public class OrderState {

    public enum Status { UNKNOWN, PLACED, CANCELLED, RETURNED }

    public final String orderId;
    public final String customerId;
    public Status status = Status.UNKNOWN;
    public String currency;
    public boolean firstOrder;
    /** Merchandise value in the base currency, and what has been refunded of it. */
    public BigDecimal value = BigDecimal.ZERO;
    public BigDecimal refunded = BigDecimal.ZERO;
    public Instant deliveredAt;
    public String deliveredEventId;
    public Instant reviewRequestDueAt;
    public boolean reviewed;

    public OrderState(String orderId, String customerId) {
        this.orderId = orderId;
        this.customerId = customerId;
    }

    public Object fingerprint() {
        return java.util.Arrays.asList(status, currency, firstOrder, value, refunded, deliveredAt, deliveredEventId,
                reviewRequestDueAt, reviewed);
    }

    /** Neither cancelled nor (partly) returned. */
    public boolean standing() {
        return status == Status.UNKNOWN || status == Status.PLACED;
    }
}
