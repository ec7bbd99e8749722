package dev.retention.points.messaging;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore;
import dev.retention.points.persistence.PointsStore.LockedAccounts;
import dev.retention.points.persistence.PointsStore.TierAssignment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a batch of orders, shipments, reviews, customers, tier changes and birthday offers to the ledger: load and lock every
 * account and order the batch touches (a few statements), apply the rules in arrival order in memory, write back
 * (a few statements), and return one {@code points.changed} per ledger entry. A {@code customer.erased} renames the
 * customer's rows to a pseudonym after the rest of the batch is written.
 */
@ApplicationScoped
public class PointsEventsHandler implements BatchHandler {

    /** What an erased customer's id becomes in every points table. */
    public static final String PSEUDONYM_PREFIX = "erased-";

    /** Dispatches, delays, failed deliveries, profile updates and downgrade warnings move no points. */
    private static final Set<EventType> MOVES_POINTS = Collections.unmodifiableSet(EnumSet.of(
            EventType.ORDER_PLACED, EventType.ORDER_CANCELLED, EventType.ORDER_RETURNED, EventType.SHIPMENT_DELIVERED,
            EventType.REVIEW_SUBMITTED, EventType.CUSTOMER_REGISTERED, EventType.CUSTOMER_ERASED,
            EventType.TIER_CHANGED, EventType.TRIGGER_FIRED));

    private final PointsRules rules;
    private final PointsStore store;

    public PointsEventsHandler(PointsRules rules, PointsStore store) {
        this.rules = rules;
        this.store = store;
    }

    @Override
    public Set<EventType> eventTypes() {
        return MOVES_POINTS;
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> batchEvents) {
        // Of campaign-service's triggers only the birthday offer moves points; the others touch no account.
        List<EventEnvelope<?>> events = batchEvents.stream().filter(PointsEventsHandler::movesPoints).toList();
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<String> customers = new HashSet<>();
        Set<String> orderIds = new HashSet<>();
        Set<String> ordering = new HashSet<>();
        List<TierAssignment> tiers = new ArrayList<>();
        Map<String, Instant> tierChangedSince = new HashMap<>();
        for (EventEnvelope<?> event : events) {
            if (movesAccount(event.data())) {
                customers.add(event.customerId());
            }
            orderIdOf(event).ifPresent(orderIds::add);
            if (event.data() instanceof OrderPlaced) {
                ordering.add(event.customerId());
            } else if (event.data() instanceof CustomerRegistered registered && registered.referredBy() != null) {
                customers.add(registered.referredBy());
            } else if (event.data() instanceof TierChanged changed) {
                tiers.add(new TierAssignment(event.customerId(), changed.effectiveAt(), changed.toTier()));
                tierChangedSince.merge(event.customerId(), changed.effectiveAt(),
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        // A tier change may come after orders placed while it was in force: those are read first, so that their
        // accounts and rows are locked in the same order as everything else.
        return store.recordTiers(tx, tiers)
                .flatMap(ignored -> store.ordersPlacedSince(tx, tierChangedSince))
                .flatMap(rerating -> {
                    rerating.forEach((customer, ids) -> {
                        customers.add(customer);
                        orderIds.addAll(ids);
                        ordering.add(customer);
                    });
                    return store.lockOrOpenAccounts(tx, customers)
                            .flatMap(accounts -> lockKnownReferrers(tx, accounts))
                            .flatMap(accounts -> store.lockOrders(tx, orderIds)
                                    // Only placing or re-rating an order asks for the tier: no read otherwise.
                                    .flatMap(orders -> store.tierHistories(tx, ordering)
                                            .flatMap(histories -> {
                                                Batch batch = new Batch(accounts, orders, histories, rerating);
                                                events.forEach(batch::apply);
                                                return save(tx, batch);
                                            })));
                });
    }

    private Uni<List<EventEnvelope<?>>> save(SqlConnection tx, Batch batch) {
        return store.saveAccounts(tx, batch.accounts.toWrite(batch.touchedAccounts), batch.accounts.stored())
                .flatMap(x -> store.saveOrders(tx, batch.touchedOrders.values(), batch.storedOrders))
                .flatMap(x -> store.appendLedger(tx, batch.entries, null))
                .flatMap(x -> store.pseudonymise(tx, batch.pseudonyms))
                .map(x -> PointsEvents.toEvents(batch.entries));
    }

    private Uni<LockedAccounts> lockKnownReferrers(SqlConnection tx, LockedAccounts accounts) {
        Set<String> referrers = new HashSet<>();
        accounts.byCustomer().values().stream().map(PointsAccount::referredBy).filter(Objects::nonNull)
                .filter(id -> !accounts.byCustomer().containsKey(id)).forEach(referrers::add);
        if (referrers.isEmpty()) {
            return Uni.createFrom().item(accounts);
        }
        return store.lockOrOpenAccounts(tx, referrers).map(accounts::plus);
    }

    /**
     * Whether the event changes the customer's account (so it is locked, or opened). Deliveries, tier changes and
     * profile changes do not, and an erasure renames the rows there are: none of them opens an account.
     */
    private static boolean movesAccount(Object data) {
        return data instanceof OrderPlaced || data instanceof OrderCancelled || data instanceof OrderReturned
                || data instanceof ReviewSubmitted || data instanceof CustomerRegistered || data instanceof TriggerFired;
    }

    private static boolean movesPoints(EventEnvelope<?> event) {
        return !(event.data() instanceof TriggerFired fired) || fired.triggerType() == TriggerType.BIRTHDAY_OFFER;
    }

    private static java.util.Optional<String> orderIdOf(EventEnvelope<?> event) {
        Object data = event.data();
        String orderId = null;
        if (data instanceof OrderPlaced placed) {
            orderId = placed.orderId();
        } else if (data instanceof OrderCancelled cancelled) {
            orderId = cancelled.orderId();
        } else if (data instanceof OrderReturned returned) {
            orderId = returned.orderId();
        } else if (data instanceof ShipmentDelivered delivered) {
            orderId = delivered.orderId();
        } else if (data instanceof ReviewSubmitted review) {
            orderId = review.orderId();
        }
        return java.util.Optional.ofNullable(orderId);
    }

    /** The state of one batch in memory, and what it changed. */
    private final class Batch {
        private final LockedAccounts accounts;
        private final Map<String, OrderPoints> orders;
        /** The orders that have a row already: written back by an update, the others by an insert. */
        private final Set<String> storedOrders;
        private final Map<String, NavigableMap<Instant, String>> tierHistories;
        /** Per customer with a tier change in the batch: their orders stored before it, placed since the change. */
        private final Map<String, List<String>> rerating;
        private final Map<String, PointsAccount> touchedAccounts = new LinkedHashMap<>();
        private final Map<String, OrderPoints> touchedOrders = new LinkedHashMap<>();
        private final List<LedgerEntry> entries = new ArrayList<>();
        /** Erased customer id to the pseudonym their rows take, written after the batch's other changes. */
        private final Map<String, String> pseudonyms = new LinkedHashMap<>();

        Batch(LockedAccounts accounts, Map<String, OrderPoints> orders,
              Map<String, NavigableMap<Instant, String>> tierHistories, Map<String, List<String>> rerating) {
            this.accounts = accounts;
            this.orders = orders;
            this.storedOrders = Set.copyOf(orders.keySet());
            this.tierHistories = tierHistories;
            this.rerating = rerating;
        }

        void apply(EventEnvelope<?> event) {
            String customer = event.customerId();
            if (event.data() instanceof CustomerErased) {
                // A random pseudonym: the ledger keeps its numbers, and nothing here leads back to the customer.
                pseudonyms.putIfAbsent(customer, PSEUDONYM_PREFIX + UUID.randomUUID());
                return;
            }
            Instant at = event.time();
            Object data = event.data();
            if (data instanceof ShipmentDelivered delivered) {
                rules.orderDelivered(order(delivered.orderId(), customer), delivered.deliveredAt());
                return;
            }
            if (data instanceof TierChanged changed) {
                tierChanged(event, changed, at);
                return;
            }
            if (!movesAccount(data)) {
                return; // other types do not move points
            }
            PointsAccount account = account(customer);
            if (data instanceof OrderPlaced placed) {
                orderPlaced(event, account, placed, at);
            } else if (data instanceof OrderCancelled cancelled) {
                entries.addAll(rules.orderCancelled(account, order(cancelled.orderId(), customer), event.id(), at));
            } else if (data instanceof OrderReturned returned) {
                entries.addAll(rules.orderReturned(account, order(returned.orderId(), customer),
                        returned.refundedAmount(), event.id(), at));
            } else if (data instanceof ReviewSubmitted review) {
                rules.reviewSubmitted(account, order(review.orderId(), customer), review.verifiedPurchase(),
                        event.id(), at).ifPresent(entries::add);
            } else if (data instanceof CustomerRegistered registered) {
                rules.registered(account, registered.referredBy(), event.id(), at).ifPresent(entries::add);
            } else if (data instanceof TriggerFired) {
                rules.birthdayOfferFired(account, event.id(), at).ifPresent(entries::add);
            }
        }

        private void orderPlaced(EventEnvelope<?> event, PointsAccount account, OrderPlaced placed, Instant at) {
            String customer = event.customerId();
            OrderPoints order = order(placed.orderId(), customer);
            if (order.isPlaced()) {
                return; // the same order announced twice under two event ids
            }
            entries.addAll(rules.orderPlaced(account, order, placed, tierAt(customer, placed.placedAt()), event.id(),
                    at));
            if (!account.hasOrdered()) {
                PointsAccount referrer = account.referredBy() == null ? null : account(account.referredBy());
                rules.firstOrderPlaced(account, referrer, event.id(), at).ifPresent(entries::add);
            }
        }

        /**
         * Recorded up front, so orders of this batch were rated with it; stored orders placed since it was in force
         * earn again under the tier in force when each was placed.
         */
        private void tierChanged(EventEnvelope<?> event, TierChanged changed, Instant at) {
            String customer = event.customerId();
            for (String orderId : rerating.getOrDefault(customer, List.of())) {
                OrderPoints order = orders.get(orderId);
                if (order == null || order.placedAt().isBefore(changed.effectiveAt())) {
                    continue;
                }
                rules.tierCorrection(account(customer), order(orderId, customer), tierAt(customer, order.placedAt()),
                        event.id(), at).ifPresent(entries::add);
            }
        }

        private PointsAccount account(String customerId) {
            PointsAccount account = accounts.byCustomer().get(customerId);
            touchedAccounts.put(customerId, account);
            return account;
        }

        private OrderPoints order(String orderId, String customerId) {
            OrderPoints order = orders.computeIfAbsent(orderId, id -> OrderPoints.unknown(id, customerId));
            if (!order.customerId().equals(customerId)) {
                throw new EventRejectedException("order " + orderId + " belongs to another customer");
            }
            touchedOrders.put(orderId, order);
            return order;
        }

        private String tierAt(String customerId, Instant at) {
            NavigableMap<Instant, String> history = tierHistories.get(customerId);
            if (history == null) {
                return null;
            }
            Map.Entry<Instant, String> inForce = history.floorEntry(at);
            return inForce == null ? null : inForce.getValue();
        }
    }
}
