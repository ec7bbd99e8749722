package dev.retention.tiers.application;

import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import dev.retention.tiers.config.TiersConfig;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Time moves tiers too: spend leaves the window, grace periods end. Reads only customers whose
 * {@code next_evaluation_at} has come (an indexed range), a chunk per transaction, locked with SKIP LOCKED so that
 * replicas share the work. Its cost follows the due customers, not all customers.
 */
@ApplicationScoped
public class ReevaluateDueTiers {

    private final Pool pool;
    private final TierStore store;
    private final TierReevaluation reevaluation;
    private final EventOutbox outbox;
    private final Clock clock;
    private final int chunk;

    ReevaluateDueTiers(Pool pool, TierStore store, TierReevaluation reevaluation, EventOutbox outbox, Clock clock,
                       TiersConfig config) {
        this.pool = pool;
        this.store = store;
        this.reevaluation = reevaluation;
        this.outbox = outbox;
        this.clock = clock;
        this.chunk = config.jobs().batchSize();
    }

    /** Re-evaluates every due customer, a chunk at a time until a chunk is not full; returns how many. */
    public Uni<Integer> reevaluateAll() {
        return ChunkedWork.repeat(this::chunk, done -> done >= chunk, Integer::intValue);
    }

    private Uni<Integer> chunk() {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.lockDue(tx, now, chunk)
                        .chain(due -> store.lockStatuses(tx, due))
                        .chain(statuses -> reevaluate(tx, statuses, now)))
                .invoke(count -> {
                    if (count > 0) {
                        outbox.committed();
                    }
                });
    }

    /** Re-evaluates the chunk's locked customers and writes what they emit to the outbox; returns how many. */
    private Uni<Integer> reevaluate(SqlConnection tx, Map<String, TierStatus> statuses, Instant now) {
        return reevaluation.reevaluate(tx, statuses, causes(statuses), now)
                .call(events -> outbox.write(tx, events))
                .replaceWith(statuses.size());
    }

    /** A due evaluation is caused by the moment it was due for: a rerun of the same moment derives the same ids. */
    private static Map<String, String> causes(Map<String, TierStatus> statuses) {
        Map<String, String> causes = new HashMap<>();
        statuses.forEach((customer, status) ->
                causes.put(customer, "tier-evaluation:" + customer + ":" + status.nextEvaluationAt()));
        return causes;
    }
}
