package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CartTimer;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.ShipmentTimer;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.campaigns.persistence.CartStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The sequence every change of campaign-service goes through, written once: inside a transaction that holds the
 * locks of the customers involved, save the rows the rules changed (one statement per table, none for a table
 * without changes), then issue the triggers the rules asked for. The consumer's transaction is opened by the
 * eventing kit ({@link ApplyCampaignEvents}); the jobs run {@link #inChunks}, which opens one per chunk and writes
 * the chunk's events to the outbox in it.
 */
@ApplicationScoped
public class CampaignUnitOfWork {

    private final Pool pool;
    private final CampaignStore store;
    private final CartStore carts;
    private final TriggerIssuer issuer;
    private final EventOutbox outbox;
    private final Clock clock;

    public CampaignUnitOfWork(Pool pool, CampaignStore store, CartStore carts, TriggerIssuer issuer,
                              EventOutbox outbox, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.carts = carts;
        this.issuer = issuer;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What the rules did to the rows a transaction has locked: the rows to write back, the triggers asked for. */
    public record Changes(Collection<CustomerState> customers, Collection<OrderState> orders,
                          Collection<ShipmentTimer> timers, List<TriggerRequest> requests,
                          Collection<CartTimer> carts) {

        /** The same rows, with {@code more} triggers asked for after these (a merge cannot drop a kind of row). */
        public Changes withRequests(List<TriggerRequest> more) {
            if (more.isEmpty()) {
                return this;
            }
            List<TriggerRequest> all = new ArrayList<>(requests);
            all.addAll(more);
            return new Changes(customers, orders, timers, all, carts);
        }

        public static Changes ofCarts(Collection<CartTimer> carts, List<TriggerRequest> requests) {
            return new Changes(List.of(), List.of(), List.of(), requests, carts);
        }

        public static Changes ofCustomers(Collection<CustomerState> customers, List<TriggerRequest> requests) {
            return new Changes(customers, List.of(), List.of(), requests, List.of());
        }

        public static Changes ofOrders(Collection<OrderState> orders, List<TriggerRequest> requests) {
            return new Changes(List.of(), orders, List.of(), requests, List.of());
        }

        public static Changes ofTimers(Collection<ShipmentTimer> timers, List<TriggerRequest> requests) {
            return new Changes(List.of(), List.of(), timers, requests, List.of());
        }

        public static Changes ofRequests(List<TriggerRequest> requests) {
            return new Changes(List.of(), List.of(), List.of(), requests, List.of());
        }
    }

    /** A chunk of a job: the rows it handled (0 ends the run) and the events it issued. */
    public record Chunk(int handled, List<EventEnvelope<?>> events) {
        public static final Chunk NONE = new Chunk(0, List.of());
    }

    /** A job's work for one chunk, in the transaction it is given, at the time it is given. */
    @FunctionalInterface
    public interface ChunkWork {
        Uni<Chunk> run(SqlConnection tx, Instant now);
    }

    /**
     * Saves the changes and issues their triggers in the caller's transaction.
     *
     * @param locked every customer the requests are for, locked by the caller
     */
    public Uni<TriggerIssuer.Issued> save(SqlConnection tx, Changes changes, Map<String, CustomerState> locked,
                                          Instant now) {
        return save(tx, changes, locked, now, Integer.MAX_VALUE);
    }

    /** @param budget at most this many vouchers; further offers are logged as over budget */
    public Uni<TriggerIssuer.Issued> save(SqlConnection tx, Changes changes, Map<String, CustomerState> locked,
                                          Instant now, int budget) {
        return store.saveCustomers(tx, changes.customers())
                .chain(() -> store.saveOrders(tx, changes.orders()))
                .chain(() -> store.saveTimers(tx, changes.timers()))
                .chain(() -> carts.save(tx, changes.carts()))
                .chain(() -> issuer.issue(tx, changes.requests(), locked, now, budget));
    }

    /**
     * Runs a job chunk by chunk, each in its own transaction at the clock's time then, until a chunk handles
     * nothing; a chunk's events go to the outbox in its transaction and are published once it has committed.
     * Returns how many events the chunks published.
     */
    public Uni<Integer> inChunks(ChunkWork work) {
        return ChunkedWork.<Chunk>repeat(() -> {
            Instant now = clock.instant();
            return pool.withTransaction(tx -> work.run(tx, now).call(chunk -> outbox.write(tx, chunk.events())))
                    .invoke(chunk -> {
                        if (!chunk.events().isEmpty()) {
                            outbox.committed();
                        }
                    });
        }, chunk -> chunk.handled() > 0, chunk -> chunk.events().size());
    }
}
