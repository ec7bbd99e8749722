package dev.retention.points.application;

import dev.retention.eventing.EventOutbox;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore;
import dev.retention.points.persistence.PointsStore.ApiRequest;
import dev.retention.points.persistence.PointsStore.LockedAccounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The API's writes to the ledger, each once per client key: the key is claimed in the write's transaction, and a
 * retry with the same key gets the first write's entry back (or 409 when it asks for something else).
 */
@ApplicationScoped
public class IdempotentLedgerWrites {

    private final Pool pool;
    private final PointsStore store;
    private final EventOutbox outbox;

    public IdempotentLedgerWrites(Pool pool, PointsStore store, EventOutbox outbox) {
        this.pool = pool;
        this.store = store;
        this.outbox = outbox;
    }

    /**
     * Runs {@code change} once for the request: it gets the transaction and the request's cause id, locks what it
     * needs through {@link #lockAccount}/{@link #lockOrder}, applies one rule and returns the work, which is written
     * back and published here.
     */
    Uni<Outcome> once(ApiRequest request, String rule, String actor,
                      BiFunction<SqlConnection, String, Uni<LedgerWork>> change) {
        String cause = causeOf(request);
        String entryId = PointsRules.entryId(cause, rule, request.customerId());
        return pool.withTransaction(tx -> store.claimRequest(tx, request, entryId)
                        .chain(claimed -> claimed
                                ? change.apply(tx, cause).chain(work -> write(tx, work, actor))
                                : replay(tx, request)))
                .invoke(outcome -> {
                    if (!outcome.replayed()) {
                        outbox.committed();
                    }
                });
    }

    /** The cause id of a request's writes: the same for every retry with the client's key. */
    static String causeOf(ApiRequest request) {
        return "api:" + request.operation() + ":" + request.customerId() + ":" + request.idempotencyKey();
    }

    /**
     * Locks the customer's account, then the order the request names (if any): accounts before orders, as the
     * consumer locks them, so the two never deadlock. An order not stored yet is new to the work.
     */
    Uni<LedgerWork> lock(SqlConnection tx, String customerId, String orderId) {
        return store.lockAccounts(tx, List.of(customerId))
                .invoke(accounts -> {
                    if (!accounts.containsKey(customerId)) {
                        throw new RequestProblems.CustomerNotFound(customerId);
                    }
                })
                .chain(accounts -> store.lockOrders(tx, orderId == null ? List.of() : List.of(orderId))
                        .map(orders -> new LedgerWork(LockedAccounts.found(accounts), orders,
                                RequestProblems.BadRequest::new)));
    }

    private Uni<Outcome> write(SqlConnection tx, LedgerWork work, String actor) {
        return work.saveAndPublish(tx, store, outbox, actor).replaceWith(new Outcome(work.entries().get(0), false));
    }

    private Uni<Outcome> replay(SqlConnection tx, ApiRequest request) {
        return store.earlierRequest(tx, request).map(earlier -> {
            if (!earlier.fingerprint().equals(request.fingerprint())) {
                throw new RequestProblems.IdempotencyKeyReused(request.idempotencyKey());
            }
            return new Outcome(earlier.entry(), true);
        });
    }

    /** The ledger entry a write made (or made the first time, when {@code replayed}). */
    public record Outcome(LedgerEntry entry, boolean replayed) {
    }
}
