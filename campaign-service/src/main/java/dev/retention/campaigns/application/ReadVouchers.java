package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.persistence.TriggerStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A customer's vouchers, redeemed or not. */
@ApplicationScoped
public class ReadVouchers {

    private final Pool pool;
    private final TriggerStore store;

    public ReadVouchers(Pool pool, TriggerStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Newest first. */
    public Uni<List<IssuedVoucher>> of(String customerId, int limit) {
        return store.vouchersOf(pool, customerId, limit);
    }
}
