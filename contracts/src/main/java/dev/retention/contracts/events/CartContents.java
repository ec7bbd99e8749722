package dev.retention.contracts.events;

import java.util.List;

/** The cart a cart reminder is about, with its lines as they were when the reminder was decided. */
public record CartContents(String cartId, List<CartLine> lines) {

    public CartContents {
        lines = List.copyOf(lines);
    }
}
