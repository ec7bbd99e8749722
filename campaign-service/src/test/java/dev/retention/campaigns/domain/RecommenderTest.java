package dev.retention.campaigns.domain;

import dev.retention.campaigns.domain.BoughtTogether.Pair;
import dev.retention.campaigns.domain.Recommender.Partner;
import dev.retention.contracts.events.OrderLine;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RecommenderTest {

    private static final RecommendationPolicy POLICY = new RecommendationPolicy(true, 3, 10, 10);
    private static final Recommender.Catalogue ALL_IN_STOCK = sku -> true;

    @Test
    void rankedBySummedSupportOverTheContextThenBySingleSupportThenBySku() {
        Map<String, List<Partner>> partners = Map.of(
                "a", List.of(new Partner("x", 10), new Partner("y", 6), new Partner("z", 6), new Partner("w", 7)),
                "b", List.of(new Partner("y", 5)));

        // y: 6 + 5 = 11 beats x: 10; z and w would tie on nothing: w 7 > z 6.
        assertThat(Recommender.recommend(List.of("a", "b"), partners, Set.of(), ALL_IN_STOCK, POLICY))
                .containsExactly("y", "x", "w");
        // Equal sums and equal single supports: alphabetical.
        assertThat(Recommender.recommend(List.of("a"), Map.of("a", List.of(new Partner("q", 4), new Partner("p", 4))),
                Set.of(), ALL_IN_STOCK, POLICY)).containsExactly("p", "q");
    }

    @Test
    void itemsAlreadyBoughtOutOfStockUnknownOrInTheContextAreLeftOut() {
        Map<String, List<Partner>> partners = Map.of("a", List.of(new Partner("bought", 50),
                new Partner("sold-out", 40), new Partner("unknown", 30), new Partner("b", 25),
                new Partner("shown", 5)));
        Map<String, Boolean> catalogue = Map.of("bought", true, "sold-out", false, "b", true, "shown", true);

        List<String> shown = Recommender.recommend(List.of("a", "b"), partners, Set.of("a", "b", "bought"),
                sku -> catalogue.getOrDefault(sku, false), POLICY);

        assertThat(shown).containsExactly("shown");
    }

    @Test
    void aPairBelowTheMinimumSupportIsNotShownAndDisabledShowsNothing() {
        Map<String, List<Partner>> partners = Map.of("a", List.of(new Partner("weak", 2), new Partner("strong", 3)));

        assertThat(Recommender.recommend(List.of("a"), partners, Set.of(), ALL_IN_STOCK, POLICY))
                .containsExactly("strong");
        assertThat(Recommender.recommend(List.of("a"), partners, Set.of(), ALL_IN_STOCK,
                RecommendationPolicy.DISABLED)).isEmpty();
    }

    @Test
    void onlyTheStrongestPartnersPerSkuAreConsidered() {
        List<Partner> many = IntStream.range(0, 12).mapToObj(i -> new Partner("p" + (char) ('a' + i), 100 - i))
                .toList();
        // With one partner per SKU considered, b's single partner outranks a's second-strongest.
        RecommendationPolicy onePerSku = new RecommendationPolicy(true, 1, 1, 10);

        assertThat(Recommender.recommend(List.of("a", "b"), Map.of("a", many, "b", List.of(new Partner("q", 2))),
                Set.of(), ALL_IN_STOCK, onePerSku)).containsExactly("pa", "q");
    }

    @Property(tries = 300)
    void neverShowsMoreThanThreeNorAnythingExcludedNorBelowTheMinimumSupport(@ForAll("cases") Case c) {
        List<String> shown = Recommender.recommend(c.context(), c.partners(), c.bought(), c.inStock()::contains,
                c.policy());

        assertThat(shown).hasSizeLessThanOrEqualTo(Recommender.SHOWN).doesNotHaveDuplicates();
        for (String sku : shown) {
            assertThat(c.bought()).doesNotContain(sku);
            assertThat(c.context()).doesNotContain(sku);
            assertThat(c.inStock()).contains(sku);
            assertThat(c.context().stream().flatMap(ctx -> c.partners().getOrDefault(ctx, List.of()).stream())
                    .filter(p -> p.sku().equals(sku)).mapToInt(Partner::support).max().orElse(0))
                    .isGreaterThanOrEqualTo(c.policy().minimumSupport());
        }
        // Nothing eligible is passed over for a weaker one: the last shown scores at least every one not shown.
        if (shown.size() == Recommender.SHOWN) {
            long weakestShown = score(c, shown.get(shown.size() - 1));
            eligible(c).stream().filter(sku -> !shown.contains(sku))
                    .forEach(sku -> assertThat(score(c, sku)).isLessThanOrEqualTo(weakestShown));
        }
    }

    record Case(List<String> context, Map<String, List<Partner>> partners, Set<String> bought, Set<String> inStock,
                RecommendationPolicy policy) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> skus = Arbitraries.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
        Arbitrary<List<Partner>> partnerLists = Combinators.combine(skus, Arbitraries.integers().between(1, 20))
                .as(Partner::new).list().ofMaxSize(6).map(RecommenderTest::distinctPartners);
        return Combinators.combine(skus.set().ofMinSize(1).ofMaxSize(3),
                Arbitraries.maps(skus, partnerLists).ofMaxSize(8), skus.set().ofMaxSize(4), skus.set(),
                Arbitraries.integers().between(1, 10)).as((context, partners, bought, inStock, minimum) ->
                new Case(List.copyOf(context), partners, bought, inStock,
                        new RecommendationPolicy(true, minimum, 10, 10)));
    }

    private static List<Partner> distinctPartners(List<Partner> partners) {
        Map<String, Partner> bySku = new LinkedHashMap<>();
        partners.forEach(p -> bySku.putIfAbsent(p.sku(), p));
        return List.copyOf(bySku.values());
    }

    private static Set<String> eligible(Case c) {
        Set<String> eligible = new HashSet<>();
        c.context().forEach(ctx -> c.partners().getOrDefault(ctx, List.of()).stream()
                .filter(p -> p.support() >= c.policy().minimumSupport() && !c.bought().contains(p.sku())
                        && !c.context().contains(p.sku()) && c.inStock().contains(p.sku()))
                .forEach(p -> eligible.add(p.sku())));
        return eligible;
    }

    private static long score(Case c, String sku) {
        return c.context().stream().distinct().flatMap(ctx -> c.partners().getOrDefault(ctx, List.of()).stream())
                .filter(p -> p.sku().equals(sku) && p.support() >= c.policy().minimumSupport())
                .mapToLong(Partner::support).sum();
    }

    // ---- the counts ----

    @Test
    void anOrderCountsEachPairOfItsDistinctSkusOnceInBothDirections() {
        List<String> basket = BoughtTogether.basket(lines("a", "b", "a", "c"));

        Map<Pair, Integer> increments = BoughtTogether.increments(List.of(basket, List.of("a", "b")));

        assertThat(basket).containsExactly("a", "b", "c");
        assertThat(increments).containsEntry(new Pair("a", "b"), 2).containsEntry(new Pair("b", "a"), 2)
                .containsEntry(new Pair("a", "c"), 1).containsEntry(new Pair("c", "b"), 1).hasSize(6);
        assertThat(BoughtTogether.increments(List.of(List.of("alone")))).isEmpty();
    }

    @Test
    void aHugeOrderCostsAtMostTheCappedNumberOfPairs() {
        List<String> skus = IntStream.range(0, 500).mapToObj(i -> "sku-" + i).toList();

        List<String> basket = BoughtTogether.basket(lines(skus.toArray(String[]::new)));

        assertThat(basket).hasSize(BoughtTogether.MAX_SKUS_PER_ORDER).containsExactlyElementsOf(skus.subList(0, 20));
        assertThat(BoughtTogether.increments(List.of(basket))).hasSize(20 * 19);
    }

    // ---- the quality on a generated shop, in memory ----

    @Test
    void recallAtThreeOfThePlantedPartnersIsAtLeastSixTenthsAndNothingBelowTheMinimumSupportIsShown() {
        PlantedShop shop = new PlantedShop("mem", 3_000, 34L);
        List<List<String>> baskets = shop.orders.stream().map(o -> BoughtTogether.basket(o.lines())).toList();
        Map<Pair, Integer> support = BoughtTogether.increments(baskets);
        Map<String, List<Partner>> partners = new HashMap<>();
        support.forEach((pair, count) -> partners.computeIfAbsent(pair.sku(), s -> new ArrayList<>())
                .add(new Partner(pair.partner(), count)));
        RecommendationPolicy policy = new RecommendationPolicy(true, 4, 10, 10);
        Set<String> inStock = shop.knownInStock();

        Map<String, List<String>> shown = new HashMap<>();
        for (String anchor : shop.plantedPartner.keySet()) {
            shown.put(anchor, Recommender.recommend(List.of(anchor), partners, Set.of(anchor), inStock::contains,
                    policy));
        }

        double recall = shop.recallAt3(shown);
        System.out.printf("recall@3 of the planted partners (in memory): %.3f over %d anchors%n", recall,
                shop.measuredAnchors().size());
        assertThat(recall).isGreaterThanOrEqualTo(0.6);
        shown.forEach((anchor, skus) -> skus.forEach(sku -> assertThat(support.get(new Pair(anchor, sku)))
                .isGreaterThanOrEqualTo(policy.minimumSupport())));
        assertThat(shown.values()).allSatisfy(skus -> assertThat(skus)
                .doesNotContain(shop.outOfStockPartner, shop.unknownPartner));
    }

    private static List<OrderLine> lines(String... skus) {
        List<OrderLine> lines = new ArrayList<>();
        for (String sku : skus) {
            lines.add(new OrderLine("l-" + lines.size(), sku, 1, BigDecimal.ONE, BigDecimal.ONE));
        }
        return lines;
    }
}
