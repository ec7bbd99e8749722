package dev.retention.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code cart.updated} on {@code carts}: the cart's whole content after a change, as of {@code updatedAt}. An empty
 * {@code lines} list is an emptied cart. Deliveries may come out of order: the newest {@code updatedAt} wins, an
 * older update arriving late changes nothing.
 */
public record CartUpdated(String cartId, List<CartLine> lines, Instant updatedAt) implements EventData {

    public CartUpdated {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    @Override
    public List<FieldViolation> violations() {
        Violations v = new Violations();
        for (int i = 0; i < lines.size(); i++) {
            v.money("$.data.lines[" + i + "].unitPrice", lines.get(i).unitPrice());
        }
        return v.list();
    }
}
