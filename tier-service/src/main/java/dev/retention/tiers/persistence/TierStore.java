package dev.retention.tiers.persistence;

import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TierChanged;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.domain.TrackedOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** The tier tables, a batch at a time: one statement for any number of rows; locks in key order. */
@ApplicationScoped
public class TierStore {

    private static final String LOCK_ORDERS = """
            SELECT order_id, customer_id, placed, placed_at, value, refunded, cancelled FROM tier_order
            WHERE order_id IN (SELECT unnest($1::text[])) ORDER BY order_id FOR UPDATE""";
    private static final String SAVE_ORDERS = """
            INSERT INTO tier_order AS o (order_id, customer_id, placed, placed_at, value, refunded, cancelled)
            SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::timestamptz[], $5::numeric[],
                                 $6::numeric[], $7::boolean[])
            ON CONFLICT (order_id) DO UPDATE SET placed = excluded.placed, placed_at = excluded.placed_at,
                   value = excluded.value, refunded = excluded.refunded, cancelled = excluded.cancelled""";
    private static final String OPEN_STATUSES = """
            INSERT INTO tier_status (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING""";
    private static final String LOCK_STATUSES = """
            SELECT customer_id, tier, since, below_since, risk_notified_for, qualifying_spend, next_evaluation_at
            FROM tier_status WHERE customer_id IN (SELECT unnest($1::text[])) ORDER BY customer_id FOR UPDATE""";
    private static final String READ_STATUSES = LOCK_STATUSES.replace(" FOR UPDATE", "");
    private static final String SAVE_STATUSES = """
            UPDATE tier_status s SET tier = u.tier, since = u.since, below_since = u.below_since,
                   risk_notified_for = u.risk_notified_for, qualifying_spend = u.spend,
                   next_evaluation_at = u.next_evaluation_at
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[],
                        $6::numeric[], $7::timestamptz[])
                 AS u(customer_id, tier, since, below_since, risk_notified_for, spend, next_evaluation_at)
            WHERE s.customer_id = u.customer_id""";
    private static final String QUALIFYING_ORDERS = """
            SELECT customer_id, order_id, placed_at, value, refunded, cancelled FROM tier_order
            WHERE customer_id = ANY($1::text[]) AND placed AND placed_at > $2""";
    private static final String LOCK_DUE = """
            SELECT customer_id FROM tier_status WHERE next_evaluation_at <= $1
            ORDER BY next_evaluation_at LIMIT $2 FOR UPDATE SKIP LOCKED""";
    private static final String APPEND_HISTORY = """
            INSERT INTO tier_history (event_id, customer_id, from_tier, to_tier, direction, reason, qualifying_spend,
                   currency, effective_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                 $7::numeric[], $8::text[], $9::timestamptz[])
            ON CONFLICT (event_id) DO NOTHING""";
    private static final String HISTORY = """
            SELECT seq, from_tier, to_tier, direction, reason, qualifying_spend, currency, effective_at
            FROM tier_history WHERE customer_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3""";

    public Uni<Map<String, TrackedOrder>> lockOrders(SqlConnection tx, Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOCK_ORDERS).execute(Tuple.tuple().addArrayOfString(sortedKeys(orderIds))).map(rows -> {
            Map<String, TrackedOrder> orders = new HashMap<>();
            for (Row row : rows) {
                TrackedOrder order = TrackedOrder.stored(row.getString("order_id"), row.getString("customer_id"),
                        row.getBoolean("placed"), instant(row, "placed_at"), row.getBigDecimal("value"),
                        row.getBigDecimal("refunded"), row.getBoolean("cancelled"));
                orders.put(order.orderId(), order);
            }
            return orders;
        });
    }

    public Uni<Void> saveOrders(SqlConnection tx, Collection<TrackedOrder> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<TrackedOrder> list = List.copyOf(orders);
        return tx.preparedQuery(SAVE_ORDERS).execute(Tuple.tuple()
                        .addArrayOfString(list.stream().map(TrackedOrder::orderId).toArray(String[]::new))
                        .addArrayOfString(list.stream().map(TrackedOrder::customerId).toArray(String[]::new))
                        .addArrayOfBoolean(list.stream().map(TrackedOrder::placed).toArray(Boolean[]::new))
                        .addArrayOfOffsetDateTime(list.stream().map(o -> timestamp(o.placedAt()))
                                .toArray(OffsetDateTime[]::new))
                        .addArrayOfBigDecimal(list.stream().map(TrackedOrder::value).toArray(BigDecimal[]::new))
                        .addArrayOfBigDecimal(list.stream().map(TrackedOrder::refunded).toArray(BigDecimal[]::new))
                        .addArrayOfBoolean(list.stream().map(TrackedOrder::cancelled).toArray(Boolean[]::new)))
                .replaceWithVoid();
    }

    public Uni<Map<String, TierStatus>> lockOrOpenStatuses(SqlConnection tx, Collection<String> customerIds) {
        Tuple ids = Tuple.tuple().addArrayOfString(sortedKeys(customerIds));
        return tx.preparedQuery(OPEN_STATUSES).execute(ids)
                .chain(() -> tx.preparedQuery(LOCK_STATUSES).execute(ids))
                .map(TierStore::statuses);
    }

    public Uni<Map<String, TierStatus>> lockStatuses(SqlConnection tx, Collection<String> customerIds) {
        return tx.preparedQuery(LOCK_STATUSES).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .map(TierStore::statuses);
    }

    /** The status of one customer, if it exists; no lock. */
    public Uni<TierStatus> status(SqlClient client, String customerId) {
        return client.preparedQuery(READ_STATUSES)
                .execute(Tuple.tuple().addArrayOfString(new String[]{customerId}))
                .map(rows -> statuses(rows).get(customerId));
    }

    private static Map<String, TierStatus> statuses(Iterable<Row> rows) {
        Map<String, TierStatus> statuses = new HashMap<>();
        for (Row row : rows) {
            statuses.put(row.getString("customer_id"), new TierStatus(row.getString("tier"), instant(row, "since"),
                    instant(row, "below_since"), instant(row, "risk_notified_for"),
                    row.getBigDecimal("qualifying_spend"), instant(row, "next_evaluation_at")));
        }
        return statuses;
    }

    public Uni<Void> saveStatuses(SqlConnection tx, Map<String, TierStatus> statuses) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map.Entry<String, TierStatus>> list = List.copyOf(statuses.entrySet());
        return tx.preparedQuery(SAVE_STATUSES).execute(Tuple.tuple()
                        .addArrayOfString(list.stream().map(Map.Entry::getKey).toArray(String[]::new))
                        .addArrayOfString(list.stream().map(e -> e.getValue().tier()).toArray(String[]::new))
                        .addArrayOfOffsetDateTime(times(list, TierStatus::since))
                        .addArrayOfOffsetDateTime(times(list, TierStatus::belowSince))
                        .addArrayOfOffsetDateTime(times(list, TierStatus::riskNotifiedFor))
                        .addArrayOfBigDecimal(list.stream().map(e -> e.getValue().qualifyingSpend())
                                .toArray(BigDecimal[]::new))
                        .addArrayOfOffsetDateTime(times(list, TierStatus::nextEvaluationAt)))
                .replaceWithVoid();
    }

    /** Each customer's orders placed after {@code since}: all that can count now or later. */
    public Uni<Map<String, List<QualifyingOrder>>> qualifyingOrders(SqlClient client, Collection<String> customerIds,
                                                                     Instant since) {
        return client.preparedQuery(QUALIFYING_ORDERS)
                .execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)).addOffsetDateTime(timestamp(since)))
                .map(rows -> {
                    Map<String, List<QualifyingOrder>> orders = new HashMap<>();
                    for (Row row : rows) {
                        orders.computeIfAbsent(row.getString("customer_id"), id -> new ArrayList<>())
                                .add(new QualifyingOrder(row.getString("order_id"), instant(row, "placed_at"),
                                        row.getBigDecimal("value"), row.getBigDecimal("refunded"),
                                        row.getBoolean("cancelled")));
                    }
                    return orders;
                });
    }

    public Uni<List<String>> lockDue(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(LOCK_DUE).execute(Tuple.of(timestamp(now), limit)).map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getString(0)));
            return ids;
        });
    }

    public Uni<Void> appendHistory(SqlConnection tx, List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(APPEND_HISTORY).execute(Tuple.tuple()
                        .addArrayOfString(entries.stream().map(HistoryEntry::eventId).toArray(String[]::new))
                        .addArrayOfString(entries.stream().map(HistoryEntry::customerId).toArray(String[]::new))
                        .addArrayOfString(entries.stream().map(e -> e.change().fromTier()).toArray(String[]::new))
                        .addArrayOfString(entries.stream().map(e -> e.change().toTier()).toArray(String[]::new))
                        .addArrayOfString(entries.stream().map(e -> e.change().direction().name())
                                .toArray(String[]::new))
                        .addArrayOfString(entries.stream().map(e -> e.change().reason()).toArray(String[]::new))
                        .addArrayOfBigDecimal(entries.stream().map(e -> e.change().qualifyingSpend().amount())
                                .toArray(BigDecimal[]::new))
                        .addArrayOfString(entries.stream().map(e -> e.change().qualifyingSpend().currency())
                                .toArray(String[]::new))
                        .addArrayOfOffsetDateTime(entries.stream().map(e -> timestamp(e.change().effectiveAt()))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** A customer's tier changes numbered below {@code before}, newest first, at most {@code limit}; no lock. */
    public Uni<List<RecordedChange>> history(SqlClient client, String customerId, long before, int limit) {
        return client.preparedQuery(HISTORY).execute(Tuple.of(customerId, before, limit)).map(rows -> {
            List<RecordedChange> changes = new ArrayList<>();
            for (Row row : rows) {
                changes.add(new RecordedChange(row.getLong("seq"), new TierChanged(row.getString("from_tier"),
                        row.getString("to_tier"), TierChanged.Direction.valueOf(row.getString("direction")),
                        row.getString("reason"),
                        new Money(row.getBigDecimal("qualifying_spend"), row.getString("currency")),
                        instant(row, "effective_at"))));
            }
            return changes;
        });
    }

    /** A tier change read back from the history; {@code seq} orders a customer's changes and pages through them. */
    public record RecordedChange(long seq, TierChanged change) {
    }

    /** A tier change as kept in the history, under the id of the event that announced it. */
    public record HistoryEntry(String eventId, String customerId, TierChanged change) {
    }

    private static OffsetDateTime[] times(List<Map.Entry<String, TierStatus>> list,
                                          java.util.function.Function<TierStatus, Instant> field) {
        return list.stream().map(e -> timestamp(field.apply(e.getValue()))).toArray(OffsetDateTime[]::new);
    }

}
