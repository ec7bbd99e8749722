package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.BoughtTogether;
import dev.retention.campaigns.domain.BoughtTogether.Pair;
import dev.retention.campaigns.domain.PlantedShop;
import dev.retention.campaigns.domain.RecommendationPolicy;
import dev.retention.campaigns.persistence.RecommendationStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recommendations' quality measured on the real incremental path: a generated shop with planted affinities
 * ({@link PlantedShop}) is fed order by order through the consumer's use case ({@link ApplyCampaignEvents}) into the
 * real database, its catalogue through {@link ApplyProductUpdates}, and each anchor's buyer is asked for their
 * recommendations as a trigger asks for them.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class RecommendationsQualityTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final RecommendationPolicy POLICY = new RecommendationPolicy(true, 4, 10, 10);

    @Inject
    ApplyCampaignEvents applyEvents;
    @Inject
    ApplyProductUpdates applyProducts;
    @Inject
    Recommendations recommendations;
    @Inject
    RecommendationStore store;
    @Inject
    Pool pool;

    @Test
    void recallAtThreeOnAShopWithPlantedAffinitiesAndAReplayCountsNothingAgain() {
        String prefix = "q" + UUID.randomUUID().toString().substring(0, 8);
        PlantedShop shop = new PlantedShop(prefix, 3_000, 34L);
        Instant start = Instant.now().minus(Duration.ofDays(30));
        List<EventEnvelope<?>> products = new ArrayList<>();
        shop.catalogue.forEach((sku, inStock) -> products.add(TestEvents.productUpdated(sku, inStock, start)));
        // A late record of the out-of-stock partner, older than the one applied: it changes nothing.
        products.add(TestEvents.productUpdated(shop.outOfStockPartner, true, start.minus(Duration.ofDays(1))));
        apply(applyProducts::apply, products);

        List<EventEnvelope<?>> orders = new ArrayList<>();
        for (int i = 0; i < shop.orders.size(); i++) {
            orders.add(order(shop.orders.get(i), start.plusSeconds(i), UUID.randomUUID().toString()));
        }
        for (int from = 0; from < orders.size(); from += 500) {
            apply(applyEvents::apply, orders.subList(from, Math.min(orders.size(), from + 500)));
        }

        // Exactly the counts of the orders, each once.
        Map<Pair, Integer> expected = BoughtTogether.increments(
                shop.orders.stream().map(o -> BoughtTogether.basket(o.lines())).toList());
        shop.plantedPartner.forEach((anchor, partner) -> assertThat(support(anchor, partner))
                .as("%s with %s", anchor, partner).isEqualTo(expected.getOrDefault(new Pair(anchor, partner), 0)));
        long total = totalSupport(prefix);
        assertThat(total).isEqualTo(expected.values().stream().mapToLong(Integer::longValue).sum());

        // The first 500 orders again, under new event ids (the inbox would let them through): nothing counts twice.
        List<EventEnvelope<?>> replayed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            replayed.add(order(shop.orders.get(i), start.plusSeconds(i), UUID.randomUUID().toString()));
        }
        apply(applyEvents::apply, replayed);
        assertThat(totalSupport(prefix)).isEqualTo(total);

        // Each anchor's buyer: someone who bought the anchor alone, now.
        Map<String, String> buyerOfAnchor = new LinkedHashMap<>();
        List<EventEnvelope<?>> probes = new ArrayList<>();
        for (String anchor : shop.plantedPartner.keySet()) {
            String buyer = prefix + "-buyer-" + anchor;
            buyerOfAnchor.put(anchor, buyer);
            probes.add(TestEvents.orderPlaced(buyer).orderId(prefix + "-probe-" + anchor).placedAt(Instant.now())
                    .line(anchor, 1, "9.90").build());
        }
        apply(applyEvents::apply, probes);
        Map<String, List<String>> contexts = new LinkedHashMap<>();
        buyerOfAnchor.values().forEach(buyer -> contexts.put(buyer, List.of()));
        Map<String, List<String>> byBuyer = await(pool.withTransaction(tx ->
                recommendations.forCustomers(tx, contexts, POLICY)));

        Map<String, List<String>> shown = new LinkedHashMap<>();
        buyerOfAnchor.forEach((anchor, buyer) -> shown.put(anchor, byBuyer.getOrDefault(buyer, List.of())));
        double recall = shop.recallAt3(shown);
        System.out.printf("recall@3 of the planted partners (PostgreSQL, incremental): %.3f over %d anchors%n",
                recall, shop.measuredAnchors().size());
        assertThat(recall).isGreaterThanOrEqualTo(0.6);
        shown.forEach((anchor, skus) -> {
            assertThat(skus).hasSizeLessThanOrEqualTo(3)
                    .doesNotContain(anchor, shop.outOfStockPartner, shop.unknownPartner);
            skus.forEach(sku -> assertThat(support(anchor, sku)).as("%s shown for %s", sku, anchor)
                    .isGreaterThanOrEqualTo(POLICY.minimumSupport()));
        });
        // The planted pairs the shop bought too rarely stay unshown.
        shop.plantedPartner.forEach((anchor, partner) -> {
            if (support(anchor, partner) < POLICY.minimumSupport()) {
                assertThat(shown.get(anchor)).doesNotContain(partner);
            }
        });
    }

    @Test
    void aCustomerIsNotRecommendedWhatTheyBoughtAndAnErasureForgetsTheirPurchases() {
        String prefix = "x" + UUID.randomUUID().toString().substring(0, 8);
        String a = prefix + "-a";
        String b = prefix + "-b";
        String c = prefix + "-c";
        apply(applyProducts::apply, List.of(TestEvents.productUpdated(a), TestEvents.productUpdated(b),
                TestEvents.productUpdated(c)));
        List<EventEnvelope<?>> orders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            orders.add(TestEvents.orderPlaced(prefix + "-shopper-" + i).line(a, 1, "5.00").line(b, 1, "5.00")
                    .line(c, 1, "5.00").build());
        }
        apply(applyEvents::apply, orders);
        String customer = prefix + "-customer";
        apply(applyEvents::apply, List.of(TestEvents.orderPlaced(customer).line(a, 1, "5.00").line(b, 1, "5.00")
                .build()));

        assertThat(recommend(customer)).containsExactly(c);
        apply(applyProducts::apply, List.of(TestEvents.productUpdated(c, false, Instant.now())));
        assertThat(recommend(customer)).as("out of stock").isEmpty();
        apply(applyProducts::apply, List.of(TestEvents.productUpdated(c, true, Instant.now())));
        apply(applyEvents::apply, List.of(TestEvents.orderPlaced(customer).line(c, 1, "5.00").build()));
        assertThat(recommend(customer)).as("bought").isEmpty();

        apply(applyEvents::apply, List.of(TestEvents.envelope(customer,
                new dev.retention.contracts.events.CustomerErased(Instant.now()))));
        assertThat(await(pool.preparedQuery("SELECT count(*) FROM customer_purchase WHERE customer_id = $1")
                .execute(Tuple.of(customer))).iterator().next().getLong(0)).isZero();
    }

    private List<String> recommend(String customer) {
        return await(pool.withTransaction(tx -> recommendations.forCustomers(tx, Map.of(customer, List.of()),
                POLICY))).getOrDefault(customer, List.of());
    }

    private static EventEnvelope<OrderPlaced> order(PlantedShop.Order order, Instant placedAt, String eventId) {
        TestEvents.OrderPlacedBuilder builder = TestEvents.orderPlaced(order.customerId()).orderId(order.orderId())
                .eventId(eventId).placedAt(placedAt);
        order.skus().forEach(sku -> builder.line(sku, 1, "9.90"));
        return builder.build();
    }

    private interface Handler {
        Uni<List<EventEnvelope<?>>> apply(io.vertx.mutiny.sqlclient.SqlConnection tx, List<EventEnvelope<?>> events);
    }

    private void apply(Handler handler, List<EventEnvelope<?>> events) {
        await(pool.withTransaction(tx -> handler.apply(tx, events)));
    }

    private int support(String sku, String partner) {
        return await(pool.withTransaction(tx -> store.support(tx, sku, partner)));
    }

    private long totalSupport(String prefix) {
        return await(pool.preparedQuery("SELECT coalesce(sum(support), 0) FROM bought_together WHERE sku LIKE $1")
                .execute(Tuple.of(prefix + "-%"))).iterator().next().getLong(0);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
