package dev.retention.points.messaging;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import dev.retention.points.config.PointsConfig;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Time-based changes: pending points whose return window closed are released; inactive points are warned about,
 * then expire. Each run takes the due rows from an indexed range a chunk at a time, and locks what it works on with
 * SKIP LOCKED, so several replicas can run it at once without doing anything twice.
 */
@ApplicationScoped
public class PointsJobs {

    private static final Logger LOG = Logger.getLogger(PointsJobs.class);

    private final Pool pool;
    private final PointsRules rules;
    private final PointsStore store;
    private final EventOutbox outbox;
    private final Clock clock;
    private final int chunk;

    public PointsJobs(Pool pool, PointsRules rules, PointsStore store, EventOutbox outbox, Clock clock,
                      PointsConfig config) {
        this.pool = pool;
        this.rules = rules;
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
        this.chunk = config.jobs().batchSize();
    }

    @Scheduled(every = "${retention.points.jobs.every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return releaseDuePoints().flatMap(released -> expireInactivePoints())
                .onFailure().invoke(failure -> LOG.warnf("points job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Releases every due order, a chunk per transaction, until a chunk comes back short; returns how many ledger
     * entries it wrote.
     */
    public Uni<Integer> releaseDuePoints() {
        return ChunkedWork.repeat(this::releaseChunk, written -> written.due() >= chunk, Chunk::entriesCount);
    }

    private Uni<Chunk> releaseChunk() {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.customersWithReleaseDue(tx, now, chunk).flatMap(due -> {
            if (due.isEmpty()) {
                return Uni.createFrom().item(new Chunk(0, List.<LedgerEntry>of()));
            }
            return store.lockAccountsNotInUse(tx, due).flatMap(accounts -> store.ordersDueOf(tx, accounts.keySet(), now)
                    .flatMap(orderIds -> store.lockOrders(tx, orderIds)).flatMap(orders -> {
                        List<LedgerEntry> entries = new ArrayList<>();
                        for (OrderPoints order : orders.values()) {
                            rules.release(accounts.get(order.customerId()), order, "release:" + order.orderId(), now)
                                    .ifPresent(entries::add);
                        }
                        return store.saveAccounts(tx, accounts.values())
                                .flatMap(x -> store.saveOrders(tx, orders.values(), orders.keySet()))
                                .flatMap(x -> store.appendLedger(tx, entries, null))
                                .flatMap(x -> outbox.write(tx, PointsEvents.toEvents(entries)))
                                // Only what this run could lock counts: due rows held by others end the run.
                                .replaceWith(new Chunk(accounts.size(), entries));
                    }));
        })).invoke(this::published);
    }

    /** Warns of coming expiries and expires what is due; returns how many accounts it handled. */
    public Uni<Integer> expireInactivePoints() {
        return ChunkedWork.repeat(this::expiryChunk, handled -> handled.due() >= chunk, Chunk::due);
    }

    private Uni<Chunk> expiryChunk() {
        Instant now = clock.instant();
        Instant warnUntil = now.plus(rules.policy().expiryWarning());
        return pool.withTransaction(tx -> store.lockAccountsDueForExpiry(tx, now, warnUntil, chunk)
                .flatMap(due -> store.lockAccounts(tx, due)).flatMap(accounts -> {
                    List<LedgerEntry> entries = new ArrayList<>();
                    List<EventEnvelope<?>> events = new ArrayList<>();
                    for (PointsAccount account : accounts.values()) {
                        Instant expiresAt = account.expiresAt(rules.policy());
                        String cause = "expiry:" + account.customerId() + ":" + expiresAt;
                        rules.expiryWarning(account, now).ifPresent(warning -> events.add(EventEnvelope.of(
                                EventIds.derive(cause, "points.expiring"), PointsEvents.SOURCE, now,
                                account.customerId(), warning)));
                        rules.expire(account, cause, now).ifPresent(entries::add);
                    }
                    events.addAll(PointsEvents.toEvents(entries));
                    return store.saveAccounts(tx, accounts.values())
                            .flatMap(x -> store.appendLedger(tx, entries, null))
                            .flatMap(x -> outbox.write(tx, events))
                            .replaceWith(new Chunk(accounts.size(), entries));
                })).invoke(this::published);
    }

    private void published(Chunk chunk) {
        if (chunk.due() > 0) {
            outbox.committed();
        }
    }

    private record Chunk(int due, List<LedgerEntry> entries) {
        int entriesCount() {
            return entries.size();
        }
    }
}
