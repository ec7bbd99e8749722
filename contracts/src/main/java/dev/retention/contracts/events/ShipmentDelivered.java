package dev.retention.contracts.events;

import java.time.Instant;

/** {@code shipment.delivered} on {@code shipments}. */
public record ShipmentDelivered(String shipmentId, String orderId, Instant deliveredAt) implements EventData {
}
