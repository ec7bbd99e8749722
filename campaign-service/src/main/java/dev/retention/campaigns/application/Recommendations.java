package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.BoughtTogether;
import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.campaigns.domain.RecommendationPolicy;
import dev.retention.campaigns.domain.Recommender;
import dev.retention.campaigns.domain.Recommender.Partner;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.RecommendationStore;
import dev.retention.campaigns.persistence.RecommendationStore.Context;
import dev.retention.campaigns.persistence.RecommendationStore.Purchase;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.OrderLine;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.programme.ProgrammePolicies;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Bought together" recommendations, in the caller's transaction (it opens none): {@link #record} counts a batch's
 * new orders, {@link #forCustomer} answers what a message may recommend to one customer, {@link #attach} puts the
 * answers on the triggers whose messages show them. The rules are {@link BoughtTogether} and {@link Recommender};
 * the settings those of the programme version in force at the trigger's business time.
 */
@ApplicationScoped
public class Recommendations {

    /**
     * The triggers whose messages show recommendations: from what the customer bought lately, or, for a cart
     * reminder, from the items in the cart.
     */
    public static final Set<TriggerType> RECOMMENDING = Collections.unmodifiableSet(EnumSet.of(
            TriggerType.WIN_BACK, TriggerType.BIRTHDAY_OFFER, TriggerType.REVIEW_THANKS, TriggerType.CART_REMINDER));

    private final RecommendationStore store;
    private final ProgrammePolicies<CampaignProgramme> programmes;

    public Recommendations(RecommendationStore store, ProgrammePolicies<CampaignProgramme> programmes) {
        this.store = store;
        this.programmes = programmes;
    }

    /**
     * Counts the batch's orders once each (by order id: an order replayed under a new event id counts nothing) into
     * the co-occurrence pairs and the customers' purchases, whatever the programme says, so that enabling the
     * recommendations later finds the history there; an erasure deletes the customer's purchases.
     */
    public Uni<Void> record(SqlConnection tx, List<EventEnvelope<?>> events) {
        Map<String, EventEnvelope<?>> orders = new LinkedHashMap<>();
        for (EventEnvelope<?> event : events) {
            if (event.data() instanceof OrderPlaced placed) {
                orders.putIfAbsent(placed.orderId(), event);
            }
        }
        return store.countOrders(tx, orders.keySet()).chain(newOrders -> {
            List<List<String>> baskets = new ArrayList<>();
            Map<String, List<Purchase>> purchases = new LinkedHashMap<>();
            Set<String> erased = new LinkedHashSet<>();
            for (EventEnvelope<?> event : events) {
                if (event.data() instanceof OrderPlaced placed && newOrders.contains(placed.orderId())
                        && orders.get(placed.orderId()) == event) {
                    baskets.add(BoughtTogether.basket(placed.lines()));
                    for (OrderLine line : placed.lines()) {
                        purchases.computeIfAbsent(event.customerId(), id -> new ArrayList<>())
                                .add(new Purchase(event.customerId(), line.sku(), placed.placedAt()));
                    }
                } else if (event.data() instanceof CustomerErased) {
                    purchases.remove(event.customerId()); // bought before the erasure: erased with the rest
                    erased.add(event.customerId());
                }
            }
            List<Purchase> kept = purchases.values().stream().flatMap(List::stream).toList();
            return store.erasePurchases(tx, erased)
                    .chain(() -> store.savePurchases(tx, kept))
                    .chain(() -> store.addPairs(tx, BoughtTogether.increments(baskets)));
        });
    }

    /**
     * What a message for this customer may recommend, best first, at most {@link Recommender#SHOWN}; none when the
     * programme in force at {@code businessTime} has them disabled.
     *
     * @param contextSkus the SKUs to start from (a cart's items); empty: the customer's most recently bought
     */
    public Uni<List<String>> forCustomer(SqlConnection tx, String customerId, List<String> contextSkus,
                                         Instant businessTime) {
        RecommendationPolicy policy = programmes.at(businessTime).recommendations();
        return forCustomers(tx, Map.of(customerId, contextSkus), policy)
                .map(found -> found.getOrDefault(customerId, List.of()));
    }

    /**
     * Puts the recommendations on the {@link #RECOMMENDING} triggers among {@code events}; the others, and a trigger
     * with nothing to recommend, stay as they are.
     *
     * @param requests what each event was issued for, in the same order
     */
    public Uni<List<EventEnvelope<?>>> attach(SqlConnection tx, List<EventEnvelope<?>> events,
                                              List<TriggerRequest> requests) {
        Map<RecommendationPolicy, Map<String, List<String>>> byPolicy = new LinkedHashMap<>();
        // The policy of each event's programme version, looked up once: null where the event recommends nothing.
        List<RecommendationPolicy> policies = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            TriggerRequest request = requests.get(i);
            RecommendationPolicy policy = null;
            if (events.get(i).data() instanceof TriggerFired fired && RECOMMENDING.contains(fired.triggerType())) {
                policy = programmes.at(request.businessTime()).recommendations();
                if (policy.enabled()) {
                    byPolicy.computeIfAbsent(policy, p -> new LinkedHashMap<>())
                            .put(request.customerId(), contextOf(fired));
                }
            }
            policies.add(policy);
        }
        if (byPolicy.isEmpty()) {
            return Uni.createFrom().item(events);
        }
        Uni<Map<RecommendationPolicy, Map<String, List<String>>>> found =
                Uni.createFrom().item(new LinkedHashMap<>());
        for (Map.Entry<RecommendationPolicy, Map<String, List<String>>> group : byPolicy.entrySet()) {
            found = found.chain(answers -> forCustomers(tx, group.getValue(), group.getKey()).map(answer -> {
                answers.put(group.getKey(), answer);
                return answers;
            }));
        }
        return found.map(answers -> {
            List<EventEnvelope<?>> attached = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                EventEnvelope<?> event = events.get(i);
                TriggerRequest request = requests.get(i);
                Map<String, List<String>> answer = policies.get(i) == null ? null : answers.get(policies.get(i));
                List<String> skus = answer == null ? List.of() : answer.getOrDefault(request.customerId(), List.of());
                attached.add(skus.isEmpty() ? event : new EventEnvelope<>(event.id(), event.source(), event.type(),
                        event.time(), event.subject(), ((TriggerFired) event.data()).withRecommendations(skus)));
            }
            return attached;
        });
    }

    /** The SKUs a trigger's recommendations start from: a cart's items; none: what the customer bought lately. */
    private static List<String> contextOf(TriggerFired fired) {
        return fired.cart() == null ? List.of()
                : fired.cart().lines().stream().map(line -> line.sku()).distinct().toList();
    }

    /**
     * @param contexts by customer: the SKUs to start from; an empty list: the customer's most recently bought
     */
    Uni<Map<String, List<String>>> forCustomers(SqlConnection tx, Map<String, List<String>> contexts,
                                                RecommendationPolicy policy) {
        if (!policy.enabled() || contexts.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> needRecent = contexts.entrySet().stream().filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey).toList();
        return store.recentSkus(tx, needRecent, policy.recentSkus()).chain(recent -> {
            List<Context> resolved = new ArrayList<>();
            contexts.forEach((customer, skus) -> resolved.add(new Context(customer, skus.isEmpty()
                    ? recent.getOrDefault(customer, List.of()) : List.copyOf(new LinkedHashSet<>(skus)))));
            return store.partners(tx, resolved, policy.minimumSupport(), policy.perSku())
                    .chain(partners -> store.bought(tx, contexts.keySet())
                            .chain(bought -> store.inStock(tx, candidates(partners))
                                    .map(inStock -> rank(resolved, partners, bought, inStock, policy))));
        });
    }

    private static Set<String> candidates(Map<String, Map<String, List<Partner>>> partners) {
        Set<String> skus = new HashSet<>();
        partners.values().forEach(bySku -> bySku.values().forEach(list -> list.forEach(p -> skus.add(p.sku()))));
        return skus;
    }

    private static Map<String, List<String>> rank(List<Context> contexts,
                                                  Map<String, Map<String, List<Partner>>> partners,
                                                  Map<String, Set<String>> bought, Set<String> inStock,
                                                  RecommendationPolicy policy) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        for (Context context : contexts) {
            List<String> skus = Recommender.recommend(context.skus(),
                    partners.getOrDefault(context.customerId(), Map.of()),
                    bought.getOrDefault(context.customerId(), Set.of()), inStock::contains, policy);
            if (!skus.isEmpty()) {
                answers.put(context.customerId(), skus);
            }
        }
        return answers;
    }
}
