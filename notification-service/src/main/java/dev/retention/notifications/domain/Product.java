package dev.retention.notifications.domain;

/** A product as messages show it: from the latest {@code product.updated} of its SKU. */
public record Product(String sku, String name, String url, String imageUrl, boolean inStock) {
}
