package dev.retention.contracts.events;

import java.time.Instant;

/** {@code order.cancelled} on {@code orders}: the whole order is void. */
public record OrderCancelled(String orderId, Instant cancelledAt, String reason) implements EventData {
}
