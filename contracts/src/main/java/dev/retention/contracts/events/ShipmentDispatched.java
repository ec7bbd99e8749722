package dev.retention.contracts.events;

import java.time.Instant;
import java.time.LocalDate;

/** {@code shipment.dispatched} on {@code shipments}, with the delivery date promised to the customer. */
public record ShipmentDispatched(
        String shipmentId,
        String orderId,
        String carrier,
        String trackingNumber,
        Instant dispatchedAt,
        LocalDate promisedDeliveryDate) implements EventData {
}
