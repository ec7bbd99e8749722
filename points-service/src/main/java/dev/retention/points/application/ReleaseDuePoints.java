package dev.retention.points.application;

import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Pending points whose return window has closed become available. The due orders come from an indexed range, their
 * accounts a chunk at a time ({@link LedgerJobChunks}), so several replicas can run it without releasing twice.
 */
@ApplicationScoped
public class ReleaseDuePoints {

    private final PointsPolicies policies;
    private final PointsStore store;
    private final LedgerJobChunks chunks;
    private final Clock clock;

    public ReleaseDuePoints(PointsPolicies policies, PointsStore store, LedgerJobChunks chunks, Clock clock) {
        this.policies = policies;
        this.store = store;
        this.chunks = chunks;
        this.clock = clock;
    }

    /** Releases every due order; returns the ledger entries written. */
    public Uni<Integer> releaseAll() {
        return chunks.untilShort(this::releaseChunk, work -> work.entries().size());
    }

    private Uni<LedgerWork> releaseChunk(SqlConnection tx) {
        Instant now = clock.instant();
        return store.customersWithReleaseDue(tx, now, chunks.size())
                .chain(due -> store.lockAccountsNotInUse(tx, due))
                .chain(accounts -> store.ordersDueOf(tx, accounts.keySet(), now)
                        .chain(orderIds -> store.lockOrders(tx, orderIds))
                        .map(orders -> releaseEach(accounts, orders, now)));
    }

    private LedgerWork releaseEach(Map<String, PointsAccount> accounts, Map<String, OrderPoints> orders, Instant now) {
        LedgerWork work = LedgerWork.of(accounts, orders);
        PointsRules rules = PointsRules.under(policies.at(now));
        for (OrderPoints order : orders.values()) {
            work.record(rules.release(work.account(order.customerId()),
                    work.order(order.orderId(), order.customerId()), "release:" + order.orderId(), now));
        }
        return work;
    }
}
