package dev.retention.tiers.messaging;

import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import dev.retention.tiers.config.TiersConfig;
import dev.retention.tiers.persistence.TierStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Time moves tiers too: spend leaves the window, grace periods end. The job reads only customers whose
 * {@code next_evaluation_at} has come (an indexed range), a chunk per transaction, locked with SKIP LOCKED so that
 * replicas share the work. Its cost follows the due customers, not all customers.
 */
@ApplicationScoped
public class TierJobs {

    private static final Logger LOG = Logger.getLogger(TierJobs.class);

    private final Pool pool;
    private final TierStore store;
    private final TierEvaluator evaluator;
    private final EventOutbox outbox;
    private final Clock clock;
    private final int chunk;

    public TierJobs(Pool pool, TierStore store, TierEvaluator evaluator, EventOutbox outbox, Clock clock,
                    TiersConfig config) {
        this.pool = pool;
        this.store = store;
        this.evaluator = evaluator;
        this.outbox = outbox;
        this.clock = clock;
        this.chunk = config.jobs().batchSize();
    }

    @Scheduled(every = "${retention.tiers.jobs.every:1m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return reevaluateDue().onFailure().invoke(failure -> LOG.warnf("tier job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Re-evaluates every due customer; returns how many. */
    public Uni<Integer> reevaluateDue() {
        return ChunkedWork.repeat(this::chunk, done -> done >= chunk, Integer::intValue);
    }

    private Uni<Integer> chunk() {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.lockDue(tx, now, chunk)
                .flatMap(due -> store.lockStatuses(tx, due))
                .flatMap(statuses -> {
                    Map<String, String> causes = new HashMap<>();
                    statuses.forEach((customer, status) ->
                            causes.put(customer, "tier-evaluation:" + customer + ":" + status.nextEvaluationAt()));
                    return evaluator.evaluate(tx, statuses, causes, now)
                            .flatMap(events -> outbox.write(tx, events).replaceWith(statuses.size()));
                }))
                .invoke(count -> {
                    if (count > 0) {
                        outbox.committed();
                    }
                });
    }
}
