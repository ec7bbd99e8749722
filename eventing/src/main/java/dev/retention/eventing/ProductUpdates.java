package dev.retention.eventing;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.ProductUpdated;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch of the compacted {@code products} topic says, for every service that keeps a copy of the products:
 * each SKU's newest update (by {@code updatedAt}: a redelivered older record does not undo a newer one).
 */
public final class ProductUpdates {

    private ProductUpdates() {
    }

    /**
     * The newest update of each SKU in the batch.
     *
     * @throws EventRejectedException for a record whose SKU is not its key: the key orders and compacts a SKU's
     *                                updates, and a record under another key would escape both
     */
    public static Collection<ProductUpdated> newestPerSku(List<EventEnvelope<?>> events) {
        Map<String, ProductUpdated> newest = new LinkedHashMap<>();
        for (EventEnvelope<?> event : events) {
            ProductUpdated product = (ProductUpdated) event.data();
            if (!product.sku().equals(event.subject())) {
                throw new EventRejectedException("$.data.sku '" + product.sku()
                        + "' differs from the record key and subject '" + event.subject() + "'");
            }
            newest.merge(product.sku(), product,
                    (older, newer) -> newer.updatedAt().isBefore(older.updatedAt()) ? older : newer);
        }
        return newest.values();
    }
}
