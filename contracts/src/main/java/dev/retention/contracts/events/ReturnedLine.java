package dev.retention.contracts.events;

/** A line of an order that came back, with how many of its items. */
public record ReturnedLine(String lineId, String sku, int quantity) {
}
