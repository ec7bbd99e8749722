package dev.retention.points.application;

import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import dev.retention.points.config.PointsConfig;
import dev.retention.points.persistence.PointsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * How the time-based use cases run: a chunk of due accounts per transaction, locked with SKIP LOCKED so that
 * replicas split them, written back and published through {@link LedgerWork}, until a chunk comes back short.
 */
@ApplicationScoped
class LedgerJobChunks {

    private final Pool pool;
    private final PointsStore store;
    private final EventOutbox outbox;
    private final int size;

    LedgerJobChunks(Pool pool, PointsStore store, EventOutbox outbox, PointsConfig config) {
        this.pool = pool;
        this.store = store;
        this.outbox = outbox;
        this.size = config.jobs().batchSize();
    }

    /** How many due rows a chunk takes at most. */
    int size() {
        return size;
    }

    /**
     * Runs {@code chunk} in a transaction of its own, again and again while a chunk holds a full {@link #size} of
     * accounts, and sums {@code count} over the chunks. Only what a run could lock counts: due rows that other
     * replicas hold end it.
     */
    Uni<Integer> untilShort(Function<SqlConnection, Uni<LedgerWork>> chunk, ToIntFunction<LedgerWork> count) {
        return ChunkedWork.repeat(() -> runInTransaction(chunk), work -> work.accountsHeld() >= size, count);
    }

    private Uni<LedgerWork> runInTransaction(Function<SqlConnection, Uni<LedgerWork>> chunk) {
        return pool.withTransaction(tx -> chunk.apply(tx)
                        .chain(work -> work.saveAndPublish(tx, store, outbox, null).replaceWith(work)))
                .invoke(work -> {
                    if (work.accountsHeld() > 0) {
                        outbox.committed();
                    }
                });
    }
}
