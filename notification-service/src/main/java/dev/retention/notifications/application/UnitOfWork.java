package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.eventing.EventOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * The exactly-once unit for work that does not come from a consumed batch (the dispatcher's outcomes): the effect
 * and the events it publishes in one transaction, then the relay woken to publish them at once. A consumed batch
 * gets the same from the eventing kit, which opens its transaction and calls {@link ApplyNotificationEvents}.
 */
@ApplicationScoped
public class UnitOfWork {

    private final Pool pool;
    private final EventOutbox outbox;

    public UnitOfWork(Pool pool, EventOutbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    public Uni<Void> commit(Function<SqlConnection, Uni<Void>> effect, List<EventEnvelope<?>> events) {
        return pool.withTransaction(tx -> effect.apply(tx).chain(() -> outbox.write(tx, events)))
                .invoke(() -> {
                    if (!events.isEmpty()) {
                        outbox.committed();
                    }
                });
    }
}
