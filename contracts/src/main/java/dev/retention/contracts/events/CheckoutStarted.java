package dev.retention.contracts.events;

import java.time.Instant;

/** {@code checkout.started} on {@code carts}: the customer went to the checkout with the cart (activity). */
public record CheckoutStarted(String cartId, Instant startedAt) implements EventData {
}
