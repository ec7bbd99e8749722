package dev.retention.contracts.events;

/** One line of a shopping cart: what the customer put in it, at the price the shop showed. */
public record CartLine(String sku, int quantity, Money unitPrice) {
}
