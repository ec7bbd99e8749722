package dev.retention.notifications.persistence;

import dev.retention.contracts.events.ProductUpdated;
import dev.retention.notifications.domain.Product;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** The products messages show (V5), one multi-row statement per batch. */
@ApplicationScoped
public class ProductStore {

    // Newer wins: a late record with an older updatedAt changes nothing.
    private static final String SAVE = """
            INSERT INTO product (sku, name, url, image_url, in_stock, updated_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::timestamptz[])
            ON CONFLICT (sku) DO UPDATE SET name = excluded.name, url = excluded.url, image_url = excluded.image_url,
                in_stock = excluded.in_stock, updated_at = excluded.updated_at
            WHERE product.updated_at <= excluded.updated_at""";
    private static final String LOAD = """
            SELECT sku, name, url, image_url, in_stock FROM product WHERE sku IN (SELECT unnest($1::text[]))""";

    /** @param products one per SKU */
    public Uni<Void> save(SqlClient client, Collection<ProductUpdated> products) {
        if (products.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ProductUpdated> sorted = products.stream().sorted(Comparator.comparing(ProductUpdated::sku)).toList();
        return client.preparedQuery(SAVE).execute(Tuple.tuple()
                        .addArrayOfString(sorted.stream().map(ProductUpdated::sku).toArray(String[]::new))
                        .addArrayOfString(sorted.stream().map(ProductUpdated::name).toArray(String[]::new))
                        .addArrayOfString(sorted.stream().map(ProductUpdated::url).toArray(String[]::new))
                        .addArrayOfString(sorted.stream().map(ProductUpdated::imageUrl).toArray(String[]::new))
                        .addArrayOfBoolean(sorted.stream().map(ProductUpdated::inStock).toArray(Boolean[]::new))
                        .addArrayOfOffsetDateTime(sorted.stream().map(p -> timestamp(p.updatedAt()))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** The known products among these SKUs, by SKU. */
    public Uni<Map<String, Product>> products(SqlClient client, Collection<String> skus) {
        if (skus.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(LOAD).execute(Tuple.tuple().addArrayOfString(sortedKeys(skus))).map(rows -> {
            Map<String, Product> products = new HashMap<>();
            for (Row row : rows) {
                products.put(row.getString("sku"), new Product(row.getString("sku"), row.getString("name"),
                        row.getString("url"), row.getString("image_url"), row.getBoolean("in_stock")));
            }
            return products;
        });
    }
}
