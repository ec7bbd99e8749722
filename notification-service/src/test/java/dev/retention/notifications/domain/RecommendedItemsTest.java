package dev.retention.notifications.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendedItemsTest {

    @Test
    void showsKnownProductsInStockInTheTriggersOrderAndLeavesOutUnknownAndSoldOut() {
        Product cream = new Product("cream", "Cream", "https://shop.example.com/p/cream", null, true);
        Product mask = new Product("mask", "Mask", "https://shop.example.com/p/mask", null, true);
        Product soldOut = new Product("sold-out", "Sold out", "https://shop.example.com/p/sold-out", null, false);
        Map<String, Product> known = Map.of("cream", cream, "mask", mask, "sold-out", soldOut);

        assertThat(RecommendedItems.shown(List.of("mask", "unknown", "sold-out", "cream"), known))
                .containsExactly(mask, cream);
        assertThat(RecommendedItems.shown(List.of(), known)).isEmpty();
    }
}
