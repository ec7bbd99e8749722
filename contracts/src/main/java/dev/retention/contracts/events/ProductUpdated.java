package dev.retention.contracts.events;

import java.time.Instant;

/**
 * {@code product.updated} on {@code products}: what the shop's catalogue says about one product now. The topic is
 * compacted and keyed by the SKU (the CloudEvent subject is the SKU, not a customer id): the latest record of a key
 * is the product. {@code updatedAt} orders the shop's updates, so a record that arrives late does not undo a newer
 * one. {@code imageUrl} and {@code category} are optional. No personal data.
 */
public record ProductUpdated(
        String sku,
        String name,
        String url,
        String imageUrl,
        String category,
        boolean inStock,
        Instant updatedAt) implements EventData {
}
