package dev.retention.campaigns.messaging;

import dev.retention.campaigns.domain.CampaignRejectedException;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CampaignState;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A polled batch of shop and loyalty events: lock the customers it touches, load their orders and shipment timers,
 * apply the rules event by event in memory, save every row in one statement per table, issue the triggers.
 */
@ApplicationScoped
public class CampaignEventsHandler implements BatchHandler {

    /**
     * Every type on its topics but {@code points.changed}: of the ledger's events only the expiry warning starts a
     * trigger. The ledger's changes are a third of what the service reads under a shop's load.
     */
    private static final Set<EventType> STARTS_OR_SHAPES_TRIGGERS = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(EventType.POINTS_CHANGED)));

    private final CampaignRules rules;
    private final CampaignStore store;
    private final TriggerIssuer issuer;
    private final Clock clock;

    public CampaignEventsHandler(CampaignRules rules, CampaignStore store, TriggerIssuer issuer, Clock clock) {
        this.rules = rules;
        this.store = store;
        this.issuer = issuer;
        this.clock = clock;
    }

    @Override
    public Set<EventType> eventTypes() {
        return STARTS_OR_SHAPES_TRIGGERS;
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        Set<String> customerIds = new HashSet<>();
        Set<String> orderIds = new HashSet<>();
        Set<String> shipmentIds = new HashSet<>();
        for (EventEnvelope<?> event : events) {
            customerIds.add(event.customerId());
            collectKeys(event.data(), orderIds, shipmentIds);
        }
        Instant now = clock.instant();
        return store.lockOrOpenCustomers(tx, customerIds)
                .flatMap(customers -> store.orders(tx, orderIds)
                        .flatMap(orders -> store.timers(tx, shipmentIds)
                                .map(timers -> new CampaignState(customers, orders, timers))))
                .flatMap(state -> {
                    List<TriggerRequest> requests = new ArrayList<>();
                    for (EventEnvelope<?> event : events) {
                        try {
                            requests.addAll(rules.apply(event, state, now));
                        } catch (CampaignRejectedException e) {
                            throw new EventRejectedException(e.getMessage());
                        }
                    }
                    return store.saveCustomers(tx, state.changedCustomers())
                            .flatMap(x -> store.saveOrders(tx, state.changedOrders()))
                            .flatMap(x -> store.saveTimers(tx, state.changedTimers()))
                            .flatMap(x -> issuer.issue(tx, requests, state.customers(), now))
                            .map(TriggerIssuer.Issued::events);
                });
    }

    private static void collectKeys(Object data, Set<String> orderIds, Set<String> shipmentIds) {
        if (data instanceof OrderPlaced e) {
            orderIds.add(e.orderId());
        } else if (data instanceof OrderCancelled e) {
            orderIds.add(e.orderId());
        } else if (data instanceof OrderReturned e) {
            orderIds.add(e.orderId());
        } else if (data instanceof ShipmentDispatched e) {
            orderIds.add(e.orderId());
            shipmentIds.add(e.shipmentId());
        } else if (data instanceof ShipmentDelayed e) {
            orderIds.add(e.orderId());
            shipmentIds.add(e.shipmentId());
        } else if (data instanceof ShipmentDelivered e) {
            orderIds.add(e.orderId());
            shipmentIds.add(e.shipmentId());
        } else if (data instanceof ShipmentDeliveryFailed e) {
            orderIds.add(e.orderId());
            shipmentIds.add(e.shipmentId());
        } else if (data instanceof ReviewSubmitted e && e.orderId() != null) {
            orderIds.add(e.orderId());
        }
    }
}
