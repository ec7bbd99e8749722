package dev.retention.campaigns.application;

import dev.retention.campaigns.persistence.CodePoolStore;
import dev.retention.campaigns.domain.PoolCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** The partner code pools' figures (never their codes); reading them all refreshes the gauges. */
@ApplicationScoped
public class ReadCodePools {

    private final Pool pool;
    private final CodePoolStore store;
    private final CodePoolGauges gauges;

    public ReadCodePools(Pool pool, CodePoolStore store, CodePoolGauges gauges) {
        this.pool = pool;
        this.store = store;
        this.gauges = gauges;
    }

    public Uni<List<PoolCounts>> all() {
        return store.counts(pool).invoke(gauges::update);
    }

    /** The gauges, from the unclaimed codes alone (the scheduler's every minute, on every replica). */
    public Uni<Void> refreshGauges() {
        return store.available(pool).invoke(gauges::update).replaceWithVoid();
    }

    public Uni<Optional<PoolCounts>> of(String poolId) {
        return store.counts(pool, poolId).invoke(found -> found.ifPresent(gauges::update));
    }
}
