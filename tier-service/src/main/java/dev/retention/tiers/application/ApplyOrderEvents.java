package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import dev.retention.tiers.config.TiersConfig;
import dev.retention.tiers.domain.TrackedOrder;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders, cancellations and returns change what qualifies; each customer they touch is re-evaluated once per batch.
 * Amounts are converted to the base currency at the configured rates. The eventing kit calls it inside the
 * batch's transaction (inbox, effect, outbox): lock the batch's orders, apply the events to them, save them, then
 * lock (or open) the touched customers' statuses and re-evaluate them.
 */
@ApplicationScoped
public class ApplyOrderEvents implements BatchHandler {

    private final TierStore store;
    private final TierReevaluation reevaluation;
    private final Map<String, BigDecimal> rates;
    private final Clock clock;

    ApplyOrderEvents(TierStore store, TierReevaluation reevaluation, TiersConfig config, Clock clock) {
        this.store = store;
        this.reevaluation = reevaluation;
        this.rates = config.exchangeRates();
        this.clock = clock;
    }

    /**
     * The batch's events applied to their orders: the orders to save, and per customer whose tier they can change,
     * the (last) event that did, which the emitted events derive their ids from.
     */
    private record AppliedOrders(Map<String, TrackedOrder> touched, Map<String, String> causes) {
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        return store.lockOrders(tx, orderIds(events))
                .map(orders -> applyAll(events, orders))
                .call(applied -> store.saveOrders(tx, applied.touched().values()))
                .chain(applied -> reevaluate(tx, applied.causes()));
    }

    private Uni<List<EventEnvelope<?>>> reevaluate(SqlConnection tx, Map<String, String> causes) {
        return store.lockOrOpenStatuses(tx, causes.keySet())
                .chain(statuses -> reevaluation.reevaluate(tx, statuses, causes, clock.instant()));
    }

    private static Set<String> orderIds(List<EventEnvelope<?>> events) {
        Set<String> orderIds = new HashSet<>();
        for (EventEnvelope<?> event : events) {
            if (event.data() instanceof OrderPlaced placed) {
                orderIds.add(placed.orderId());
            } else if (event.data() instanceof OrderCancelled cancelled) {
                orderIds.add(cancelled.orderId());
            } else if (event.data() instanceof OrderReturned returned) {
                orderIds.add(returned.orderId());
            }
        }
        return orderIds;
    }

    private AppliedOrders applyAll(List<EventEnvelope<?>> events, Map<String, TrackedOrder> orders) {
        AppliedOrders applied = new AppliedOrders(new LinkedHashMap<>(), new LinkedHashMap<>());
        for (EventEnvelope<?> event : events) {
            if (apply(event, orders, applied.touched())) {
                applied.causes().put(event.customerId(), event.id());
            }
        }
        return applied;
    }

    /** Applies one event to its order; true when it can change the customer's tier. */
    private boolean apply(EventEnvelope<?> event, Map<String, TrackedOrder> orders, Map<String, TrackedOrder> touched) {
        String customer = event.customerId();
        if (event.data() instanceof OrderPlaced placed) {
            TrackedOrder order = order(placed.orderId(), customer, orders, touched);
            return order.place(placed.placedAt(),
                    toBase(placed.merchandiseTotal().subtract(placed.pointsRedeemedValue()), placed.currency()));
        } else if (event.data() instanceof OrderCancelled cancelled) {
            order(cancelled.orderId(), customer, orders, touched).cancel();
            return true;
        } else if (event.data() instanceof OrderReturned returned) {
            order(returned.orderId(), customer, orders, touched)
                    .refund(toBase(returned.refundedAmount(), returned.currency()));
            return true;
        }
        return false;
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

    private BigDecimal toBase(BigDecimal amount, String currency) {
        BigDecimal rate = rates.get(currency);
        if (rate == null) {
            throw new EventRejectedException("no exchange rate for " + currency
                    + " (retention.tiers.exchange-rates." + currency + ")");
        }
        return amount.multiply(rate);
    }
}
