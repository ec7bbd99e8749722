package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.EventData;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unit of work every use case that moves tiers shares: re-evaluates locked customers at {@code now} and writes
 * the outcome (statuses, history) in the caller's transaction; returns the events to publish, which the caller puts
 * in the outbox. Used for customers with new orders ({@link ApplyOrderEvents}) and customers whose next evaluation
 * is due ({@link ReevaluateDueTiers}).
 *
 * <p>An evaluation happens at {@code now} and applies the tier rules of the programme version in force at
 * {@code now}, whichever use case asks: an order processed late (or replayed) is converted at the rates of its own
 * {@code placedAt} ({@link ApplyOrderEvents}), but the customer it moves is judged by today's ladder, the same one
 * the next due evaluation applies, so nobody moves up under old thresholds to move back under the new ones.
 */
@Singleton
class TierReevaluation {

    static final String SOURCE = "/tier-service";

    private final ProgrammePolicies<TierPolicy> policies;
    private final TierStore store;

    TierReevaluation(ProgrammePolicies<TierPolicy> policies, TierStore store) {
        this.policies = policies;
        this.store = store;
    }

    /** What one evaluation of the locked customers changes: the rows to write and the events to publish. */
    private record Outcome(Map<String, TierStatus> statuses, List<TierStore.HistoryEntry> history,
                           List<EventEnvelope<?>> events) {

        /** Adds the event to publish under an id derived from its cause; returns that id. */
        String publish(String cause, String customer, EventData data, Instant now) {
            String eventId = EventIds.derive(cause, "tier:" + data.getClass().getSimpleName());
            events.add(EventEnvelope.of(eventId, SOURCE, now, customer, data));
            return eventId;
        }
    }

    /**
     * @param statuses the customers to re-evaluate, locked by the caller's transaction
     * @param causes   per customer, the id the emitted events derive theirs from
     */
    Uni<List<EventEnvelope<?>>> reevaluate(SqlConnection tx, Map<String, TierStatus> statuses,
                                           Map<String, String> causes, Instant now) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        TierPolicy policy = policies.at(now);
        return store.qualifyingOrders(tx, statuses.keySet(), now.minus(policy.window()))
                .map(orders -> evaluate(policy, statuses, orders, causes, now))
                .call(outcome -> store.saveStatuses(tx, outcome.statuses()))
                .call(outcome -> store.appendHistory(tx, outcome.history()))
                .map(Outcome::events);
    }

    private static Outcome evaluate(TierPolicy policy, Map<String, TierStatus> statuses, Map<String, List<QualifyingOrder>> orders,
                             Map<String, String> causes, Instant now) {
        Outcome outcome = new Outcome(new HashMap<>(), new ArrayList<>(), new ArrayList<>());
        statuses.forEach((customer, status) -> {
            TierPolicy.Evaluation evaluation = policy.evaluate(status,
                    orders.getOrDefault(customer, List.<QualifyingOrder>of()), now);
            String cause = causes.get(customer);
            outcome.statuses().put(customer, evaluation.status());
            evaluation.change().ifPresent(change -> outcome.history().add(new TierStore.HistoryEntry(
                    outcome.publish(cause, customer, change, now), customer, change)));
            evaluation.risk().ifPresent(risk -> outcome.publish(cause, customer, risk, now));
        });
        return outcome;
    }
}
