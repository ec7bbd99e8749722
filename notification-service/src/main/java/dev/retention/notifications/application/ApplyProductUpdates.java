package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.ProductUpdates;
import dev.retention.notifications.persistence.ProductStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/**
 * A polled batch of {@code products} (the eventing kit opens its transaction): each SKU's newest update is what the
 * messages show of it (name, link, image, stock). Publishes nothing.
 */
@ApplicationScoped
public class ApplyProductUpdates implements BatchHandler {

    private final ProductStore store;

    public ApplyProductUpdates(ProductStore store) {
        this.store = store;
    }

    @Override
    public Set<EventType> eventTypes() {
        return Set.of(EventType.PRODUCT_UPDATED);
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        return store.save(tx, ProductUpdates.newestPerSku(events)).replaceWith(List.of());
    }
}
