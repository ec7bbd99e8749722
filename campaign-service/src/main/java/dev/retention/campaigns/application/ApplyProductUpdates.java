package dev.retention.campaigns.application;

import dev.retention.campaigns.persistence.RecommendationStore;
import dev.retention.campaigns.persistence.RecommendationStore.ProductStock;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.ProductUpdates;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
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
        List<ProductStock> stock = ProductUpdates.newestPerSku(events).stream()
                .map(product -> new ProductStock(product.sku(), product.inStock(), product.updatedAt())).toList();
        return store.saveProducts(tx, stock).replaceWith(List.of());
    }
}
