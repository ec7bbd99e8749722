package dev.retention.contracts.events;

import java.time.Instant;

/** {@code shipment.delivery-failed} on {@code shipments}: the carrier gave up or the parcel went back. */
public record ShipmentDeliveryFailed(String shipmentId, String orderId, Instant failedAt, String reason)
        implements EventData {
}
