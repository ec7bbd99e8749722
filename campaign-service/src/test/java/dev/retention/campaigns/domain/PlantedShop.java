package dev.retention.campaigns.domain;

import dev.retention.contracts.events.OrderLine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated shop with planted affinities, to measure the recommendations: each anchor SKU has one planted partner
 * bought with it with a known probability (from 0.2 to 0.8), amid noise: a few bestsellers in most orders (the items
 * raw co-occurrence over-rates) and a long tail of other items. One anchor's partner is out of stock and another's
 * is not in the catalogue: those must never be shown, so they are left out of the recall.
 */
public final class PlantedShop {

    public static final int ANCHORS = 30;
    public static final int BESTSELLERS = 3;
    public static final int TAIL = 150;

    /** The SKUs of one order, in line order. */
    public record Order(String orderId, String customerId, List<String> skus) {

        public List<OrderLine> lines() {
            List<OrderLine> lines = new ArrayList<>();
            for (int i = 0; i < skus.size(); i++) {
                lines.add(new OrderLine("l-" + i, skus.get(i), 1, new BigDecimal("9.90"), new BigDecimal("9.90")));
            }
            return lines;
        }
    }

    private final String prefix;
    public final Map<String, String> plantedPartner = new LinkedHashMap<>();
    public final Map<String, Double> plantedProbability = new LinkedHashMap<>();
    public final List<Order> orders = new ArrayList<>();
    /** Known products and their stock; the unknown partner is absent. */
    public final Map<String, Boolean> catalogue = new LinkedHashMap<>();
    public final String outOfStockPartner;
    public final String unknownPartner;

    /** @param prefix keeps this shop's SKUs and ids apart from other tests' on a shared database */
    public PlantedShop(String prefix, int orderCount, long seed) {
        this.prefix = prefix;
        Random random = new Random(seed);
        for (int i = 0; i < ANCHORS; i++) {
            plantedPartner.put(sku("anchor", i), sku("partner", i));
            plantedProbability.put(sku("anchor", i), 0.2 + 0.6 * i / (ANCHORS - 1));
        }
        outOfStockPartner = sku("partner", ANCHORS - 1);
        unknownPartner = sku("partner", ANCHORS - 2);
        plantedPartner.values().forEach(partner -> catalogue.put(partner, !partner.equals(outOfStockPartner)));
        catalogue.remove(unknownPartner);
        plantedPartner.keySet().forEach(anchor -> catalogue.put(anchor, true));
        for (int i = 0; i < BESTSELLERS; i++) {
            catalogue.put(sku("bestseller", i), true);
        }
        for (int i = 0; i < TAIL; i++) {
            catalogue.put(sku("tail", i), true);
        }
        List<String> anchors = List.copyOf(plantedPartner.keySet());
        for (int n = 0; n < orderCount; n++) {
            List<String> skus = new ArrayList<>();
            if (random.nextDouble() < 0.6) {
                String anchor = anchors.get(random.nextInt(ANCHORS));
                skus.add(anchor);
                if (random.nextDouble() < plantedProbability.get(anchor)) {
                    skus.add(plantedPartner.get(anchor));
                }
            }
            if (random.nextDouble() < 0.6) {
                skus.add(sku("bestseller", random.nextInt(BESTSELLERS)));
            }
            int tail = random.nextInt(3);
            for (int t = 0; t < tail; t++) {
                skus.add(sku("tail", random.nextInt(TAIL)));
            }
            if (random.nextDouble() < 0.1) {
                skus.add(sku("partner", random.nextInt(ANCHORS))); // a partner bought alone now and then
            }
            if (!skus.isEmpty()) {
                orders.add(new Order(prefix + "-o" + n, prefix + "-c" + random.nextInt(orderCount / 3), skus));
            }
        }
    }

    public String sku(String kind, int i) {
        return prefix + "-" + kind + "-" + i;
    }

    /** The anchors whose planted partner may be shown (known and in stock): the recall's denominator. */
    public List<String> measuredAnchors() {
        List<String> measured = new ArrayList<>();
        plantedPartner.forEach((anchor, partner) -> {
            if (Boolean.TRUE.equals(catalogue.get(partner))) {
                measured.add(anchor);
            }
        });
        return measured;
    }

    /** Recall@3: the share of measured anchors whose planted partner is among the three shown for the anchor. */
    public double recallAt3(Map<String, List<String>> shownByAnchor) {
        List<String> measured = measuredAnchors();
        long hits = measured.stream()
                .filter(anchor -> shownByAnchor.getOrDefault(anchor, List.of()).contains(plantedPartner.get(anchor)))
                .count();
        return (double) hits / measured.size();
    }

    public Set<String> knownInStock() {
        Set<String> skus = new HashSet<>();
        catalogue.forEach((sku, inStock) -> {
            if (inStock) {
                skus.add(sku);
            }
        });
        return skus;
    }
}
