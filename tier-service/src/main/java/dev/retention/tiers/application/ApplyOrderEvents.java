package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.FeedbackRecorded;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.events.ServiceRecoveryRequested;
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
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierCourse;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierRules;
import dev.retention.tiers.domain.TrackedOrder;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Orders, cancellations and returns change what qualifies. Amounts are converted to the base currency at the exchange
 * rates of the programme version in force when the order was placed (a return too, so that a full refund takes back
 * exactly what the order counted; the return's own time when the order's placement was never seen), however late the
 * event is processed. The eventing kit calls it inside the batch's transaction (inbox, effect, outbox): lock the
 * batch's orders and the statuses of their customers, read the customers' orders, then apply the events one by one
 * in arrival order, each followed by its customer's evaluation at the event's business time ({@link TierCourse}), and
 * save. Evaluating event by event makes the outcome independent of how the broker batched the events.
 */
@ApplicationScoped
public class ApplyOrderEvents implements BatchHandler {

    private final TierStore store;
    private final TierReevaluation reevaluation;
    private final ProgrammePolicies<TierPolicy> policies;

    ApplyOrderEvents(TierStore store, TierReevaluation reevaluation, ProgrammePolicies<TierPolicy> policies) {
        this.store = store;
        this.reevaluation = reevaluation;
        this.policies = policies;
    }

    /**
     * What one event does to its order, read from the event by the one switch over event types; {@code applyTo}
     * changes the order and answers whether that can change the customer's tier; {@code at} is the event's business
     * time (placement, cancellation, return), truncated to the database's microseconds so that a re-run from the
     * stored rows sees the same times.
     */
    private record OrderChange(EventEnvelope<?> event, String orderId, Instant at, Predicate<TrackedOrder> applyTo) {
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        List<OrderChange> changes = changes(events);
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        TierRules rules = reevaluation.rules();
        return store.lockOrders(tx, orderIds(changes))
                .map(orders -> withOwnersChecked(changes, orders))
                .chain(orders -> store.lockOrOpenStatuses(tx, customers(changes))
                        .chain(statuses -> {
                            Map<String, TierCourse> courses = courses(rules, statuses);
                            return reevaluation.orders(tx, courses.keySet(), earliest(changes, courses), rules)
                                    .map(stored -> applyAll(changes, orders, courses, stored))
                                    .call(applied -> store.saveOrders(tx, applied.touched().values()))
                                    .chain(applied -> reevaluation.save(tx, applied.evaluated(),
                                            applied.evaluations()));
                        }));
    }

    /** The batch's events applied: the orders to save, the customers evaluated, and each evaluation in order. */
    private record Applied(Map<String, TrackedOrder> touched, Map<String, TierCourse> evaluated,
                           List<TierReevaluation.CustomerEvaluation> evaluations) {
    }

    private static Map<String, TierCourse> courses(TierRules rules, Map<String, TierStore.StoredStatus> statuses) {
        Map<String, TierCourse> courses = new LinkedHashMap<>();
        statuses.forEach((customer, stored) ->
                courses.put(customer, TierCourse.resume(rules, stored.status(), stored.evaluatedAt())));
        return courses;
    }

    /** The earliest time an evaluation of this batch can happen at: an event's, or a due time before it. */
    private static Instant earliest(List<OrderChange> changes, Map<String, TierCourse> courses) {
        Instant earliest = Instant.MAX;
        for (OrderChange change : changes) {
            earliest = change.at().isBefore(earliest) ? change.at() : earliest;
        }
        for (TierCourse course : courses.values()) {
            Instant due = course.due().orElse(Instant.MAX);
            earliest = due.isBefore(earliest) ? due : earliest;
        }
        return earliest;
    }

    private static Applied applyAll(List<OrderChange> changes, Map<String, TrackedOrder> orders,
                                    Map<String, TierCourse> courses, Map<String, List<QualifyingOrder>> stored) {
        Applied applied = new Applied(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
        Map<String, Map<String, QualifyingOrder>> counted = new HashMap<>();
        for (OrderChange change : changes) {
            String customer = change.event().customerId();
            TrackedOrder order = orders.get(change.orderId());
            applied.touched().put(order.orderId(), order);
            if (!change.applyTo().test(order)) {
                continue;
            }
            Map<String, QualifyingOrder> customerOrders = counted.computeIfAbsent(customer, id -> byId(stored.get(id)));
            if (order.placed()) {
                customerOrders.put(order.orderId(), order.qualifying());
            }
            TierCourse course = courses.get(customer);
            applied.evaluated().put(customer, course);
            for (TierCourse.Evaluated evaluated : course.evaluateEvent(change.at(), customerOrders.values())) {
                String cause = evaluated.due() ? TierReevaluation.dueCause(customer, evaluated.at())
                        : change.event().id();
                applied.evaluations().add(new TierReevaluation.CustomerEvaluation(customer, cause, evaluated));
            }
        }
        return applied;
    }

    private static Map<String, QualifyingOrder> byId(List<QualifyingOrder> orders) {
        Map<String, QualifyingOrder> byId = new LinkedHashMap<>();
        if (orders != null) {
            orders.forEach(order -> byId.put(order.orderId(), order));
        }
        return byId;
    }

    private List<OrderChange> changes(List<EventEnvelope<?>> events) {
        List<OrderChange> changes = new ArrayList<>(events.size());
        for (EventEnvelope<?> event : events) {
            switch (event.data()) {
                case OrderPlaced placed -> changes.add(new OrderChange(event, placed.orderId(),
                        micros(placed.placedAt()), order -> order.place(micros(placed.placedAt()),
                        toBase(placed.merchandiseTotal().subtract(placed.pointsRedeemedValue()), placed.currency(),
                                placed.placedAt()))));
                case OrderCancelled cancelled -> changes.add(new OrderChange(event, cancelled.orderId(),
                        micros(businessTime(cancelled.cancelledAt(), event)), order -> {
                    order.cancel();
                    return true;
                }));
                case OrderReturned returned -> changes.add(new OrderChange(event, returned.orderId(),
                        micros(businessTime(returned.returnedAt(), event)), order -> {
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
                case RewardRedemptionRequested ignored -> { }
                case RewardIssued ignored -> { }
                case RewardIssueFailed ignored -> { }
                case VoucherRedeemed ignored -> { }
                case VoucherRejected ignored -> { }
                case VoucherReleased ignored -> { }
                case ProductUpdated ignored -> { }
                case dev.retention.contracts.events.CartUpdated ignored -> { }
                case dev.retention.contracts.events.CheckoutStarted ignored -> { }
                case FeedbackSubmitted ignored -> { }
                case FeedbackRecorded ignored -> { }
                case ServiceRecoveryRequested ignored -> { }
                case dev.retention.contracts.events.TriggerHeldOut ignored -> { }
                case dev.retention.contracts.events.InsightsSnapshot ignored -> { }
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

    private static Set<String> customers(List<OrderChange> changes) {
        Set<String> customers = new HashSet<>();
        for (OrderChange change : changes) {
            customers.add(change.event().customerId());
        }
        return customers;
    }

    /** The batch's orders, those never seen before included; refuses an event for another customer's order. */
    private static Map<String, TrackedOrder> withOwnersChecked(List<OrderChange> changes,
                                                              Map<String, TrackedOrder> orders) {
        for (OrderChange change : changes) {
            String customer = change.event().customerId();
            TrackedOrder order = orders.computeIfAbsent(change.orderId(), id -> TrackedOrder.unknown(id, customer));
            if (!order.customerId().equals(customer)) {
                throw new EventRejectedException("order " + change.orderId() + " belongs to another customer");
            }
        }
        return orders;
    }

    private static Instant businessTime(Instant stated, EventEnvelope<?> event) {
        return stated != null ? stated : event.time();
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** At the exchange rates of the programme version in force at {@code businessTime}. */
    private BigDecimal toBase(BigDecimal amount, String currency, Instant businessTime) {
        return policies.at(businessTime).toBase(amount, currency).orElseThrow(() -> new EventRejectedException(
                "no exchange rate for " + currency + " in the programme in force at " + businessTime
                        + " (currencies." + currency + ".exchangeRate, or retention.tiers.exchange-rates." + currency
                        + " before version 1)"));
    }
}
