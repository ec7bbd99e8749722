package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TrackedOrder;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Orders, cancellations and returns change what qualifies; each customer they touch is re-evaluated once per batch.
 * Amounts are converted to the base currency at the exchange rates of the programme version in force when the order
 * was placed (a return too, so that a full refund takes back exactly what the order counted; the return's own time
 * when the order's placement was never seen), however late the event is processed. The eventing kit calls it inside the
 * batch's transaction (inbox, effect, outbox): lock the batch's orders, apply the events to them, save them, then
 * lock (or open) the touched customers' statuses and re-evaluate them.
 */
@ApplicationScoped
public class ApplyOrderEvents implements BatchHandler {

    private final TierStore store;
    private final TierReevaluation reevaluation;
    private final ProgrammePolicies<TierPolicy> policies;
    private final Clock clock;

    ApplyOrderEvents(TierStore store, TierReevaluation reevaluation, ProgrammePolicies<TierPolicy> policies,
                     Clock clock) {
        this.store = store;
        this.reevaluation = reevaluation;
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * What one event does to its order, read from the event by the one switch over event types; {@code applyTo}
     * changes the order and answers whether that can change the customer's tier.
     */
    private record OrderChange(EventEnvelope<?> event, String orderId, Predicate<TrackedOrder> applyTo) {
    }

    /**
     * The batch's events applied to their orders: the orders to save, and per customer whose tier they can change,
     * the (last) event that did, which the emitted events derive their ids from.
     */
    private record AppliedOrders(Map<String, TrackedOrder> touched, Map<String, String> causes) {
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        List<OrderChange> changes = changes(events);
        return store.lockOrders(tx, orderIds(changes))
                .map(orders -> applyAll(changes, orders))
                .call(applied -> store.saveOrders(tx, applied.touched().values()))
                .chain(applied -> reevaluate(tx, applied.causes()));
    }

    private Uni<List<EventEnvelope<?>>> reevaluate(SqlConnection tx, Map<String, String> causes) {
        return store.lockOrOpenStatuses(tx, causes.keySet())
                .chain(statuses -> reevaluation.reevaluate(tx, statuses, causes, clock.instant()));
    }

    private List<OrderChange> changes(List<EventEnvelope<?>> events) {
        List<OrderChange> changes = new ArrayList<>(events.size());
        for (EventEnvelope<?> event : events) {
            switch (event.data()) {
                case OrderPlaced placed -> changes.add(new OrderChange(event, placed.orderId(), order -> order.place(
                        placed.placedAt(), toBase(placed.merchandiseTotal().subtract(placed.pointsRedeemedValue()),
                                placed.currency(), placed.placedAt()))));
                case OrderCancelled cancelled -> changes.add(new OrderChange(event, cancelled.orderId(), order -> {
                    order.cancel();
                    return true;
                }));
                case OrderReturned returned -> changes.add(new OrderChange(event, returned.orderId(), order -> {
                    order.refund(toBase(returned.refundedAmount(), returned.currency(),
                            order.placedAt() != null ? order.placedAt() : event.time()));
                    return true;
                }));
                // Never here: the orders topic carries only the three above, and the decoder dead-letters a type
                // that belongs on another topic. Listed so that a new event type is a decision, not a silent skip.
                case CustomerProfile ignored -> {
                }
                case CustomerErased ignored -> {
                }
                case ShipmentDispatched ignored -> {
                }
                case ShipmentDelayed ignored -> {
                }
                case ShipmentDelivered ignored -> {
                }
                case ShipmentDeliveryFailed ignored -> {
                }
                case ReviewSubmitted ignored -> {
                }
                case PointsChanged ignored -> {
                }
                case PointsExpiring ignored -> {
                }
                case TierChanged ignored -> {
                }
                case TierDowngradeAtRisk ignored -> {
                }
                case TriggerFired ignored -> {
                }
                case NotificationOutcome ignored -> {
                }
                case ProgrammePublished ignored -> {
                }
            }
        }
        return changes;
    }

    private static Set<String> orderIds(List<OrderChange> changes) {
        Set<String> orderIds = new HashSet<>();
        for (OrderChange change : changes) {
            orderIds.add(change.orderId());
        }
        return orderIds;
    }

    private static AppliedOrders applyAll(List<OrderChange> changes, Map<String, TrackedOrder> orders) {
        AppliedOrders applied = new AppliedOrders(new LinkedHashMap<>(), new LinkedHashMap<>());
        for (OrderChange change : changes) {
            String customer = change.event().customerId();
            if (change.applyTo().test(order(change.orderId(), customer, orders, applied.touched()))) {
                applied.causes().put(customer, change.event().id());
            }
        }
        return applied;
    }

    private static TrackedOrder order(String orderId, String customer, Map<String, TrackedOrder> orders,
                                      Map<String, TrackedOrder> touched) {
        TrackedOrder order = orders.computeIfAbsent(orderId, id -> TrackedOrder.unknown(id, customer));
        if (!order.customerId().equals(customer)) {
            throw new EventRejectedException("order " + orderId + " belongs to another customer");
        }
        touched.put(orderId, order);
        return order;
    }

    /** At the exchange rates of the programme version in force at {@code businessTime}. */
    private BigDecimal toBase(BigDecimal amount, String currency, Instant businessTime) {
        return policies.at(businessTime).toBase(amount, currency).orElseThrow(() -> new EventRejectedException(
                "no exchange rate for " + currency + " in the programme in force at " + businessTime
                        + " (currencies." + currency + ".exchangeRate, or retention.tiers.exchange-rates." + currency
                        + " before version 1)"));
    }
}
