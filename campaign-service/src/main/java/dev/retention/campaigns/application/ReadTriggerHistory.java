package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.TriggerRecord;
import dev.retention.campaigns.persistence.TriggerStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A customer's trigger history: what fired, and what the guards withheld and why. */
@ApplicationScoped
public class ReadTriggerHistory {

    private final Pool pool;
    private final TriggerStore store;

    public ReadTriggerHistory(Pool pool, TriggerStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Newest first. */
    public Uni<List<TriggerRecord>> of(String customerId, int limit) {
        return store.triggersOf(pool, customerId, limit);
    }
}
