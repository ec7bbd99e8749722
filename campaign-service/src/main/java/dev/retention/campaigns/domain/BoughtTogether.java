package dev.retention.campaigns.domain;

import dev.retention.contracts.events.OrderLine;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * "Bought together": item-to-item co-occurrence, counted incrementally per new order. An order adds one to each
 * ordered pair of its distinct SKUs, in both directions, so "the partners of a SKU" is one index range. The cost of
 * an order is bounded: only its first {@link #MAX_SKUS_PER_ORDER} distinct SKUs (in line order) count, so the
 * largest order costs 20 x 19 = 380 pair increments, not a number quadratic in its size. Cancellations and returns
 * count nothing back: the customer chose the items together, which is what the pair says.
 */
public final class BoughtTogether {

    /** Beyond it, an order's further SKUs are not paired (a wholesale order says little about affinity). */
    public static final int MAX_SKUS_PER_ORDER = 20;

    private BoughtTogether() {
    }

    /** One direction of a pair: {@code partner} was bought in the same order as {@code sku}. */
    public record Pair(String sku, String partner) {
    }

    /** The distinct SKUs of an order that count, in line order, at most {@link #MAX_SKUS_PER_ORDER}. */
    public static List<String> basket(List<OrderLine> lines) {
        Set<String> skus = new LinkedHashSet<>();
        for (OrderLine line : lines) {
            if (skus.size() == MAX_SKUS_PER_ORDER) {
                break;
            }
            skus.add(line.sku());
        }
        return List.copyOf(skus);
    }

    /**
     * The increments of a set of orders' baskets, summed per pair, in key order: the order their rows are locked in,
     * so two transactions adding to the same pairs cannot deadlock.
     */
    public static Map<Pair, Integer> increments(Collection<List<String>> baskets) {
        Map<Pair, Integer> increments = new TreeMap<>(Comparator.comparing(Pair::sku).thenComparing(Pair::partner));
        for (List<String> basket : baskets) {
            for (String sku : basket) {
                for (String partner : basket) {
                    if (!sku.equals(partner)) {
                        increments.merge(new Pair(sku, partner), 1, Integer::sum);
                    }
                }
            }
        }
        return increments;
    }
}
