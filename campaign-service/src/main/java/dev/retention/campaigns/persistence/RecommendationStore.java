package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.BoughtTogether.Pair;
import dev.retention.campaigns.domain.Recommender.Partner;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/**
 * The tables of the recommendations (V11): products' stock, co-occurrence counts, the orders counted and what each
 * customer bought. One multi-row statement per table and batch.
 */
@ApplicationScoped
public class RecommendationStore {

    /** A product's stock as of its {@code updatedAt}. */
    public record ProductStock(String sku, boolean inStock, Instant updatedAt) {
    }

    /** A SKU a customer bought, and when. */
    public record Purchase(String customerId, String sku, Instant boughtAt) {
    }

    /** A customer's context SKUs, for one query over many customers. */
    public record Context(String customerId, List<String> skus) {
    }

    // Newer wins: a late record with an older updatedAt changes nothing (equal: the later record, a correction).
    private static final String SAVE_PRODUCTS = """
            INSERT INTO product (sku, in_stock, updated_at)
            SELECT * FROM unnest($1::text[], $2::boolean[], $3::timestamptz[])
            ON CONFLICT (sku) DO UPDATE SET in_stock = excluded.in_stock, updated_at = excluded.updated_at
            WHERE product.updated_at <= excluded.updated_at""";
    private static final String COUNT_ORDERS = """
            INSERT INTO counted_order (order_id) SELECT unnest($1::text[])
            ON CONFLICT DO NOTHING RETURNING order_id""";
    private static final String ADD_PAIRS = """
            INSERT INTO bought_together (sku, partner, support)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
            ON CONFLICT (sku, partner) DO UPDATE SET support = bought_together.support + excluded.support""";
    private static final String SAVE_PURCHASES = """
            INSERT INTO customer_purchase (customer_id, sku, last_bought_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
            ON CONFLICT (customer_id, sku) DO UPDATE
            SET last_bought_at = greatest(customer_purchase.last_bought_at, excluded.last_bought_at)""";
    private static final String ERASE_PURCHASES = """
            DELETE FROM customer_purchase WHERE customer_id IN (SELECT unnest($1::text[]))""";
    // Each customer's most recent SKUs, through the (customer_id, last_bought_at DESC) index.
    private static final String RECENT_SKUS = """
            SELECT c.customer_id, r.sku FROM unnest($1::text[]) AS c(customer_id)
            CROSS JOIN LATERAL (SELECT sku FROM customer_purchase p WHERE p.customer_id = c.customer_id
                                ORDER BY last_bought_at DESC, sku LIMIT $2) r""";
    // Per customer and context SKU, its strongest eligible partners: support reached, a known product in stock, not
    // bought by that customer; the rules (Recommender) apply the same conditions and score them.
    private static final String PARTNERS = """
            SELECT c.customer_id, c.sku, t.partner, t.support
            FROM unnest($1::text[], $2::text[]) AS c(customer_id, sku)
            CROSS JOIN LATERAL (
                SELECT b.partner, b.support FROM bought_together b
                JOIN product p ON p.sku = b.partner AND p.in_stock
                WHERE b.sku = c.sku AND b.support >= $3
                  AND NOT EXISTS (SELECT 1 FROM customer_purchase cp
                                  WHERE cp.customer_id = c.customer_id AND cp.sku = b.partner)
                ORDER BY b.support DESC, b.partner LIMIT $4) t""";
    private static final String BOUGHT = """
            SELECT customer_id, sku FROM customer_purchase WHERE customer_id IN (SELECT unnest($1::text[]))""";
    private static final String IN_STOCK = """
            SELECT sku FROM product WHERE sku IN (SELECT unnest($1::text[])) AND in_stock""";
    private static final String SUPPORT = "SELECT support FROM bought_together WHERE sku = $1 AND partner = $2";

    public Uni<Void> saveProducts(SqlConnection tx, Collection<ProductStock> products) {
        if (products.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ProductStock> sorted = products.stream()
                .sorted(java.util.Comparator.comparing(ProductStock::sku)).toList();
        return tx.preparedQuery(SAVE_PRODUCTS).execute(Tuple.tuple()
                        .addArrayOfString(sorted.stream().map(ProductStock::sku).toArray(String[]::new))
                        .addArrayOfBoolean(sorted.stream().map(ProductStock::inStock).toArray(Boolean[]::new))
                        .addArrayOfOffsetDateTime(sorted.stream().map(p -> timestamp(p.updatedAt()))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** Marks the orders counted; answers those not counted before (the others are replays). */
    public Uni<Set<String>> countOrders(SqlConnection tx, Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(COUNT_ORDERS).execute(Tuple.tuple().addArrayOfString(sortedKeys(orderIds)))
                .map(rows -> {
                    Set<String> counted = new HashSet<>();
                    rows.forEach(row -> counted.add(row.getString("order_id")));
                    return counted;
                });
    }

    /** @param increments in key order, so that concurrent batches lock shared pairs in the same order */
    public Uni<Void> addPairs(SqlConnection tx, Map<Pair, Integer> increments) {
        if (increments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] skus = new String[increments.size()];
        String[] partners = new String[increments.size()];
        Integer[] supports = new Integer[increments.size()];
        int i = 0;
        for (Map.Entry<Pair, Integer> increment : increments.entrySet()) {
            skus[i] = increment.getKey().sku();
            partners[i] = increment.getKey().partner();
            supports[i++] = increment.getValue();
        }
        return tx.preparedQuery(ADD_PAIRS)
                .execute(Tuple.tuple().addArrayOfString(skus).addArrayOfString(partners).addArrayOfInteger(supports))
                .replaceWithVoid();
    }

    public Uni<Void> savePurchases(SqlConnection tx, Collection<Purchase> purchases) {
        if (purchases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One row per (customer, sku), the latest time: a statement may not update the same row twice.
        Map<List<String>, Instant> latest = new java.util.TreeMap<>(
                java.util.Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        purchases.forEach(p -> latest.merge(List.of(p.customerId(), p.sku()), p.boughtAt(),
                (a, b) -> a.isAfter(b) ? a : b));
        return tx.preparedQuery(SAVE_PURCHASES).execute(Tuple.tuple()
                        .addArrayOfString(latest.keySet().stream().map(k -> k.get(0)).toArray(String[]::new))
                        .addArrayOfString(latest.keySet().stream().map(k -> k.get(1)).toArray(String[]::new))
                        .addArrayOfOffsetDateTime(latest.values().stream().map(t -> timestamp(t))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> erasePurchases(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(ERASE_PURCHASES).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .replaceWithVoid();
    }

    /** Each customer's {@code limit} most recently bought SKUs, most recent first (none bought: absent). */
    public Uni<Map<String, List<String>>> recentSkus(SqlConnection tx, Collection<String> customerIds, int limit) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(RECENT_SKUS).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds))
                .addInteger(limit)).map(rows -> {
                    Map<String, List<String>> recent = new LinkedHashMap<>();
                    for (Row row : rows) {
                        recent.computeIfAbsent(row.getString("customer_id"), id -> new ArrayList<>())
                                .add(row.getString("sku"));
                    }
                    return recent;
                });
    }

    /**
     * Per customer, each context SKU's {@code perSku} strongest eligible partners (support at least
     * {@code minimumSupport}, in stock, not bought by the customer): customer id to context SKU to partners.
     */
    public Uni<Map<String, Map<String, List<Partner>>>> partners(SqlConnection tx, Collection<Context> contexts,
                                                                  int minimumSupport, int perSku) {
        List<String> customers = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        for (Context context : contexts) {
            for (String sku : context.skus()) {
                customers.add(context.customerId());
                skus.add(sku);
            }
        }
        if (skus.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(PARTNERS).execute(Tuple.tuple().addArrayOfString(customers.toArray(String[]::new))
                .addArrayOfString(skus.toArray(String[]::new)).addInteger(minimumSupport).addInteger(perSku))
                .map(rows -> {
                    Map<String, Map<String, List<Partner>>> partners = new HashMap<>();
                    for (Row row : rows) {
                        partners.computeIfAbsent(row.getString("customer_id"), id -> new HashMap<>())
                                .computeIfAbsent(row.getString("sku"), sku -> new ArrayList<>())
                                .add(new Partner(row.getString("partner"), row.getInteger("support")));
                    }
                    return partners;
                });
    }

    /** Every SKU each customer bought. */
    public Uni<Map<String, Set<String>>> bought(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(BOUGHT).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .map(rows -> {
                    Map<String, Set<String>> bought = new HashMap<>();
                    rows.forEach(row -> bought.computeIfAbsent(row.getString("customer_id"), id -> new HashSet<>())
                            .add(row.getString("sku")));
                    return bought;
                });
    }

    /** Of these SKUs, the known products in stock. */
    public Uni<Set<String>> inStock(SqlConnection tx, Collection<String> skus) {
        if (skus.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(IN_STOCK).execute(Tuple.tuple().addArrayOfString(sortedKeys(skus))).map(rows -> {
            Set<String> inStock = new HashSet<>();
            rows.forEach(row -> inStock.add(row.getString("sku")));
            return inStock;
        });
    }

    /** How many orders held both (0: none). */
    public Uni<Integer> support(SqlConnection tx, String sku, String partner) {
        return tx.preparedQuery(SUPPORT).execute(Tuple.of(sku, partner))
                .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger("support"));
    }
}
