package dev.retention.campaigns.application;

import dev.retention.campaigns.persistence.RecommendationStore;
import dev.retention.campaigns.persistence.RecommendationStore.ProductStock;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A polled batch of {@code products} (the eventing kit opens its transaction): each SKU's newest update is its stock,
 * for the recommendations ({@link Recommendations}). Publishes nothing.
 */
@ApplicationScoped
public class ApplyProductUpdates implements BatchHandler {

    private final RecommendationStore store;

    public ApplyProductUpdates(RecommendationStore store) {
        this.store = store;
    }

    @Override
    public Set<EventType> eventTypes() {
        return Set.of(EventType.PRODUCT_UPDATED);
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        Map<String, ProductStock> newest = new LinkedHashMap<>();
        for (EventEnvelope<?> event : events) {
            ProductUpdated product = (ProductUpdated) event.data();
            if (!product.sku().equals(event.subject())) {
                // The key orders and compacts a SKU's updates: a record under another key would escape both.
                throw new EventRejectedException("$.data.sku '" + product.sku()
                        + "' differs from the record key and subject '" + event.subject() + "'");
            }
            newest.merge(product.sku(), new ProductStock(product.sku(), product.inStock(), product.updatedAt()),
                    (older, newer) -> newer.updatedAt().isBefore(older.updatedAt()) ? older : newer);
        }
        return store.saveProducts(tx, newest.values()).replaceWith(List.of());
    }
}
