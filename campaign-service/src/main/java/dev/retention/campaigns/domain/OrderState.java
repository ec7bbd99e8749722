package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An order as far as triggers care. Orders and shipments travel on different topics, so a shipment can arrive
 * before its order: such an order is {@code UNKNOWN} until {@code order.placed} comes.
 */
public class OrderState {

    public enum Status { UNKNOWN, PLACED, CANCELLED, RETURNED }

    private final String orderId;
    private final String customerId;
    private Status status = Status.UNKNOWN;
    private String currency;
    private boolean firstOrder;
    /** Merchandise value in the base currency, and what has been refunded of it. */
    private BigDecimal value = BigDecimal.ZERO;
    private BigDecimal refunded = BigDecimal.ZERO;
    private Instant deliveredAt;
    private String deliveredEventId;
    private Instant reviewRequestDueAt;
    private boolean reviewed;
    private boolean changed;

    /** An order as stored, or not stored yet and unchanged so far. */
    public OrderState(String orderId, String customerId) {
        this.orderId = orderId;
        this.customerId = customerId;
    }

    /** An order mentioned for the first time: its row is written even if nothing else changes. */
    public static OrderState firstMentioned(String orderId, String customerId) {
        OrderState order = new OrderState(orderId, customerId);
        order.changed = true;
        return order;
    }

    /** As stored. */
    public static OrderState stored(String orderId, String customerId, Status status, String currency,
                                    boolean firstOrder, BigDecimal value, BigDecimal refunded, Instant deliveredAt,
                                    String deliveredEventId, Instant reviewRequestDueAt, boolean reviewed) {
        OrderState order = new OrderState(orderId, customerId);
        order.status = status;
        order.currency = currency;
        order.firstOrder = firstOrder;
        order.value = value;
        order.refunded = refunded;
        order.deliveredAt = deliveredAt;
        order.deliveredEventId = deliveredEventId;
        order.reviewRequestDueAt = reviewRequestDueAt;
        order.reviewed = reviewed;
        return order;
    }

    /** Placed, worth {@code baseValue} in the base currency. */
    public void place(String orderCurrency, BigDecimal baseValue, boolean first) {
        status = changing(status, Status.PLACED);
        currency = changing(currency, orderCurrency);
        value = changing(value, baseValue);
        firstOrder = changing(firstOrder, first);
    }

    /** What has not been refunded yet. */
    public BigDecimal unrefunded() {
        return value.subtract(refunded);
    }

    /** A (partial) refund, in the base currency; nothing for an amount of 0 or less. */
    public void refund(BigDecimal amount) {
        if (amount.signum() > 0) {
            refunded = changing(refunded, refunded.add(amount));
        }
    }

    /** Cancelled, or (partly) returned: no longer standing, so no review request. */
    public void close(Status closed) {
        status = changing(status, closed);
        reviewRequestDueAt = changing(reviewRequestDueAt, null);
    }

    /** Delivered; the review request is due at {@code reviewRequestAt} (null: none). */
    public void deliver(Instant at, String deliveredBy, Instant reviewRequestAt) {
        deliveredAt = changing(deliveredAt, at);
        deliveredEventId = changing(deliveredEventId, deliveredBy);
        reviewRequestDueAt = changing(reviewRequestDueAt, reviewRequestAt);
    }

    /** Reviewed: a review request would come too late. */
    public void markReviewed() {
        reviewed = changing(reviewed, true);
        reviewRequestDueAt = changing(reviewRequestDueAt, null);
    }

    /** The review request's time has come: asked for now, or not at all. */
    public void dropReviewRequest() {
        reviewRequestDueAt = changing(reviewRequestDueAt, null);
    }

    /** Neither cancelled nor (partly) returned. */
    public boolean standing() {
        return status == Status.UNKNOWN || status == Status.PLACED;
    }

    public boolean delivered() {
        return deliveredAt != null;
    }

    /** Since it was loaded, or ever when new. */
    public boolean changed() {
        return changed;
    }

    private <T> T changing(T from, T to) {
        changed |= !Objects.equals(from, to);
        return to;
    }

    public String orderId() {
        return orderId;
    }

    public String customerId() {
        return customerId;
    }

    public Status status() {
        return status;
    }

    public String currency() {
        return currency;
    }

    public boolean firstOrder() {
        return firstOrder;
    }

    public BigDecimal value() {
        return value;
    }

    public BigDecimal refunded() {
        return refunded;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }

    public String deliveredEventId() {
        return deliveredEventId;
    }

    public Instant reviewRequestDueAt() {
        return reviewRequestDueAt;
    }

    public boolean reviewed() {
        return reviewed;
    }
}
