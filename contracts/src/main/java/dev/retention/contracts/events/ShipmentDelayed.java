package dev.retention.contracts.events;

import java.time.LocalDate;

/** {@code shipment.delayed} on {@code shipments}: the carrier announced a later delivery. */
public record ShipmentDelayed(
        String shipmentId,
        String orderId,
        LocalDate newEstimatedDeliveryDate,
        String reason) implements EventData {
}
