package dev.retention.tiers.messaging;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.TierChanged;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-evaluates locked customers at {@code now} and writes the outcome: statuses, history, and the events to publish.
 * Shared by the consumer (customers with new orders) and the job (customers whose next evaluation is due).
 */
@ApplicationScoped
public class TierEvaluator {

    static final String SOURCE = "/tier-service";

    private final TierPolicy policy;
    private final TierStore store;

    public TierEvaluator(TierPolicy policy, TierStore store) {
        this.policy = policy;
        this.store = store;
    }

    /** @param causes per customer, the id the emitted events derive theirs from */
    public Uni<List<EventEnvelope<?>>> evaluate(SqlConnection tx, Map<String, TierStatus> statuses,
                                                Map<String, String> causes, Instant now) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return store.qualifyingOrders(tx, statuses.keySet(), now.minus(policy.window())).flatMap(orders -> {
            Map<String, TierStatus> updated = new HashMap<>();
            List<EventEnvelope<?>> events = new ArrayList<>();
            List<TierStore.HistoryEntry> history = new ArrayList<>();
            statuses.forEach((customer, status) -> {
                TierPolicy.Evaluation evaluation = policy.evaluate(status,
                        orders.getOrDefault(customer, List.<QualifyingOrder>of()), now);
                updated.put(customer, evaluation.status());
                for (EventData data : evaluation.events()) {
                    String eventId = EventIds.derive(causes.get(customer), "tier:" + data.getClass().getSimpleName());
                    events.add(EventEnvelope.of(eventId, SOURCE, now, customer, data));
                    if (data instanceof TierChanged changed) {
                        history.add(new TierStore.HistoryEntry(eventId, customer, changed));
                    }
                }
            });
            return store.saveStatuses(tx, updated)
                    .flatMap(x -> store.appendHistory(tx, history))
                    .replaceWith(events);
        });
    }
}
