package dev.retention.tiers.application;

import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierSimulator;
import dev.retention.tiers.persistence.TierStore;
import dev.retention.tiers.persistence.TierStore.SimulationRow;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 32's simulation for tier-service: the ladder re-run over every stored qualifying order, once under the
 * versions in force and once under a draft from the period's start ({@link TierSimulator}, which runs the live
 * path's own evaluation sequence). One read-only transaction streams the rows with a cursor, in customer order;
 * nothing is written and nothing of the draft is kept.
 */
@ApplicationScoped
public class SimulateTiers {

    /** Rows fetched per cursor round trip. */
    private static final int FETCH = 2_000;

    private final Pool pool;
    private final TierStore store;
    private final TierReevaluation reevaluation;
    private final ProgrammePolicies<TierPolicy> policies;
    private final Clock clock;

    SimulateTiers(Pool pool, TierStore store, TierReevaluation reevaluation, ProgrammePolicies<TierPolicy> policies,
                  Clock clock) {
        this.pool = pool;
        this.store = store;
        this.reevaluation = reevaluation;
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * @param request a checked request: {@code from} before {@code to}, a draft tier-service can apply, {@code top}
     *                between 0 and 100
     * @throws IllegalArgumentException naming the part of the draft tier-service cannot apply
     */
    public Uni<TierSimulation> simulate(SimulationRequest request) {
        TierPolicy draft = policies.derive(request.draft());
        TierSimulator simulator = new TierSimulator(reevaluation.rules(), draft, request.from(), request.to(),
                clock.instant(), request.top(), request.includeDraftTimelines());
        CustomerGroups groups = new CustomerGroups(simulator);
        // A fetch's rows at a time, handed to a worker before the next are asked for: emitOn alone would request
        // without bound, and a database faster than the ladder would pile the whole history up in memory.
        return pool.withTransaction(connection -> store.streamForSimulation(connection, FETCH)
                        .group().intoLists().of(FETCH)
                        .onItem().transformToUniAndConcatenate(rows -> Uni.createFrom().item(rows)
                                .emitOn(Infrastructure.getDefaultWorkerPool())
                                .invoke(chunk -> chunk.forEach(groups::add)))
                        .onItem().ignoreAsUni())
                .map(done -> groups.finish());
    }

    /** Cuts the stream, ordered by customer, into one customer's orders at a time. */
    private static final class CustomerGroups {
        private final TierSimulator simulator;
        private String customer;
        private String storedTier;
        private final List<QualifyingOrder> orders = new ArrayList<>();

        CustomerGroups(TierSimulator simulator) {
            this.simulator = simulator;
        }

        void add(SimulationRow row) {
            if (!row.customerId().equals(customer)) {
                flush();
                customer = row.customerId();
                storedTier = row.storedTier();
            }
            if (row.order() != null) {
                orders.add(row.order());
            }
        }

        TierSimulation finish() {
            flush();
            return simulator.result();
        }

        private void flush() {
            if (customer == null) {
                return;
            }
            if (orders.isEmpty()) {
                simulator.customerWithoutOrders(customer, storedTier);
            } else {
                simulator.customer(customer, orders);
            }
            orders.clear();
        }
    }
}
