package dev.retention.notifications.domain;

import java.util.List;
import java.util.Map;

/**
 * The items a message shows of a trigger's recommendations: in the trigger's order, each a known product in stock
 * at render time. One the catalogue does not know (yet) could not be shown by name; one sold out since the trigger
 * fired would disappoint.
 */
public final class RecommendedItems {

    private RecommendedItems() {
    }

    public static List<Product> shown(List<String> skus, Map<String, Product> products) {
        return skus.stream().map(products::get).filter(p -> p != null && p.inStock()).toList();
    }
}
