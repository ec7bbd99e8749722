package dev.retention.tiers.persistence;

import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TierChanged;
import dev.retention.eventing.ColumnBinder;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.domain.TrackedOrder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** The tier tables, a batch at a time: one statement for any number of rows; locks in key order. */
@ApplicationScoped
public class TierStore {

    /** {@code tier_order}: what an order counts towards the tier (V1__tiers.sql). */
    private static final ColumnBinder<TrackedOrder> ORDERS = ColumnBinder.<TrackedOrder>builder()
            .text("order_id", TrackedOrder::orderId)
            .text("customer_id", TrackedOrder::customerId)
            .bool("placed", TrackedOrder::placed)
            .timestamptz("placed_at", TrackedOrder::placedAt)
            .numeric("value", TrackedOrder::value)
            .numeric("refunded", TrackedOrder::refunded)
            .bool("cancelled", TrackedOrder::cancelled)
            .build();
    /** {@code tier_status}: each customer's tier, keyed by customer id. */
    private static final ColumnBinder<Map.Entry<String, StoredStatus>> STATUSES =
            ColumnBinder.<Map.Entry<String, StoredStatus>>builder()
                    .text("customer_id", Map.Entry::getKey)
                    .text("tier", entry -> entry.getValue().status().tier())
                    .timestamptz("since", entry -> entry.getValue().status().since())
                    .timestamptz("below_since", entry -> entry.getValue().status().belowSince())
                    .timestamptz("risk_notified_for", entry -> entry.getValue().status().riskNotifiedFor())
                    .numeric("qualifying_spend", entry -> entry.getValue().status().qualifyingSpend())
                    .timestamptz("next_evaluation_at", entry -> entry.getValue().status().nextEvaluationAt())
                    .timestamptz("evaluated_at", entry -> entry.getValue().evaluatedAt())
                    .build();

    /** A customer's status and the time of their last evaluation (V3__evaluated_at.sql; null when unknown). */
    public record StoredStatus(TierStatus status, Instant evaluatedAt) {
    }
    /** {@code tier_history}: the tier changes announced, under the ids of their events. */
    private static final ColumnBinder<HistoryEntry> HISTORY_ENTRIES = ColumnBinder.<HistoryEntry>builder()
            .text("event_id", HistoryEntry::eventId)
            .text("customer_id", HistoryEntry::customerId)
            .text("from_tier", entry -> entry.change().fromTier())
            .text("to_tier", entry -> entry.change().toTier())
            .text("direction", entry -> entry.change().direction().name())
            .text("reason", entry -> entry.change().reason())
            .numeric("qualifying_spend", entry -> entry.change().qualifyingSpend().amount())
            .text("currency", entry -> entry.change().qualifyingSpend().currency())
            .timestamptz("effective_at", entry -> entry.change().effectiveAt())
            .build();

    private static final String LOCK_ORDERS = "SELECT " + ORDERS.names() + " FROM tier_order"
            + " WHERE order_id IN (SELECT unnest($1::text[])) ORDER BY order_id FOR UPDATE";
    private static final String SAVE_ORDERS = ORDERS.insertInto("tier_order")
            + " ON CONFLICT (order_id) DO UPDATE SET " + ORDERS.assignments("excluded", "order_id", "customer_id");
    private static final String OPEN_STATUSES = """
            INSERT INTO tier_status (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING""";
    private static final String LOCK_STATUSES = "SELECT " + STATUSES.names() + " FROM tier_status"
            + " WHERE customer_id IN (SELECT unnest($1::text[])) ORDER BY customer_id FOR UPDATE";
    private static final String READ_STATUSES = LOCK_STATUSES.replace(" FOR UPDATE", "");
    private static final String SAVE_STATUSES = STATUSES.updateByKey("tier_status", "customer_id");
    private static final String QUALIFYING_ORDERS = "SELECT " + ORDERS.namesWithout("placed") + " FROM tier_order"
            + " WHERE customer_id = ANY($1::text[]) AND placed AND placed_at > $2";
    private static final String LOCK_DUE = """
            SELECT customer_id FROM tier_status WHERE next_evaluation_at <= $1
            ORDER BY next_evaluation_at LIMIT $2 FOR UPDATE SKIP LOCKED""";
    private static final String APPEND_HISTORY = HISTORY_ENTRIES.insertInto("tier_history")
            + " ON CONFLICT (event_id) DO NOTHING";
    private static final String HISTORY = "SELECT seq, " + HISTORY_ENTRIES.namesWithout("event_id", "customer_id")
            + " FROM tier_history WHERE customer_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3";

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
        return tx.preparedQuery(SAVE_ORDERS).execute(ORDERS.arrays(orders)).replaceWithVoid();
    }

    public Uni<Map<String, StoredStatus>> lockOrOpenStatuses(SqlConnection tx, Collection<String> customerIds) {
        Tuple ids = Tuple.tuple().addArrayOfString(sortedKeys(customerIds));
        return tx.preparedQuery(OPEN_STATUSES).execute(ids)
                .chain(() -> tx.preparedQuery(LOCK_STATUSES).execute(ids))
                .map(TierStore::statuses);
    }

    public Uni<Map<String, StoredStatus>> lockStatuses(SqlConnection tx, Collection<String> customerIds) {
        return tx.preparedQuery(LOCK_STATUSES).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .map(TierStore::statuses);
    }

    /** The status of one customer, if it exists; no lock. */
    public Uni<TierStatus> status(SqlClient client, String customerId) {
        return client.preparedQuery(READ_STATUSES)
                .execute(Tuple.tuple().addArrayOfString(new String[]{customerId}))
                .map(rows -> {
                    StoredStatus stored = statuses(rows).get(customerId);
                    return stored == null ? null : stored.status();
                });
    }

    private static Map<String, StoredStatus> statuses(Iterable<Row> rows) {
        Map<String, StoredStatus> statuses = new HashMap<>();
        for (Row row : rows) {
            statuses.put(row.getString("customer_id"), new StoredStatus(new TierStatus(row.getString("tier"),
                    instant(row, "since"), instant(row, "below_since"), instant(row, "risk_notified_for"),
                    row.getBigDecimal("qualifying_spend"), instant(row, "next_evaluation_at")),
                    instant(row, "evaluated_at")));
        }
        return statuses;
    }

    public Uni<Void> saveStatuses(SqlConnection tx, Map<String, StoredStatus> statuses) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_STATUSES).execute(STATUSES.arrays(statuses.entrySet()))
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

    /**
     * Every customer with a status and each of their placed orders, by customer then {@code placedAt} (orders placed
     * at the same microsecond by order id); a customer without a placed order comes once, with no order. For a
     * simulation: a read-only transaction, a cursor of {@code fetch} rows per round trip.
     */
    private static final String SIMULATION_ROWS = """
            SELECT s.customer_id, s.tier, o.order_id, o.placed_at, o.value, o.refunded, o.cancelled
            FROM tier_status s LEFT JOIN tier_order o ON o.customer_id = s.customer_id AND o.placed
            ORDER BY s.customer_id, o.placed_at, o.order_id""";

    /** One row of {@link #streamForSimulation}: {@code order} is null for a customer without a placed order. */
    public record SimulationRow(String customerId, String storedTier, QualifyingOrder order) {
    }

    public Multi<SimulationRow> streamForSimulation(SqlConnection readOnly, int fetch) {
        return readOnly.query("SET TRANSACTION READ ONLY").execute()
                .chain(() -> readOnly.prepare(SIMULATION_ROWS))
                .onItem().transformToMulti(statement -> statement.createStream(fetch).toMulti())
                .map(row -> new SimulationRow(row.getString("customer_id"), row.getString("tier"),
                        row.getString("order_id") == null ? null : new QualifyingOrder(row.getString("order_id"),
                                instant(row, "placed_at"), row.getBigDecimal("value"),
                                row.getBigDecimal("refunded"), row.getBoolean("cancelled"))));
    }

    /** Where the sweep of a programme change stands (V2__programme_sweep.sql). */
    public record Sweep(int appliedVersion, Integer sweepingVersion, Instant dueAt, String afterCustomer) {
    }

    private static final String LOCK_SWEEP = """
            SELECT applied_version, sweeping_version, due_at, after_customer FROM tier_programme_sweep
            FOR UPDATE SKIP LOCKED""";
    private static final String SAVE_SWEEP = """
            UPDATE tier_programme_sweep SET applied_version = $1, sweeping_version = $2, due_at = $3,
            after_customer = $4""";
    /** Locks in customer id order, as every other statement that locks several statuses does. */
    private static final String MARK_DUE = """
            WITH chunk AS (SELECT customer_id FROM tier_status WHERE customer_id > $1 ORDER BY customer_id LIMIT $2
                           FOR UPDATE)
            UPDATE tier_status s SET next_evaluation_at = LEAST(COALESCE(s.next_evaluation_at, $3), $3)
            FROM chunk WHERE s.customer_id = chunk.customer_id RETURNING s.customer_id""";

    /** The sweep's row, locked; empty while another replica holds it. */
    public Uni<Optional<Sweep>> lockSweep(SqlConnection tx) {
        return tx.query(LOCK_SWEEP).execute().map(rows -> {
            for (Row row : rows) {
                return Optional.of(new Sweep(row.getInteger("applied_version"), row.getInteger("sweeping_version"),
                        instant(row, "due_at"), row.getString("after_customer")));
            }
            return Optional.empty();
        });
    }

    public Uni<Void> saveSweep(SqlConnection tx, Sweep sweep) {
        return tx.preparedQuery(SAVE_SWEEP).execute(Tuple.of(sweep.appliedVersion(), sweep.sweepingVersion(),
                timestamp(sweep.dueAt()), sweep.afterCustomer())).replaceWithVoid();
    }

    /**
     * Makes the next {@code limit} customers after {@code afterCustomer} (in id order) due at {@code dueAt} at the
     * latest; returns their ids, in no particular order.
     */
    public Uni<List<String>> markDue(SqlConnection tx, String afterCustomer, int limit, Instant dueAt) {
        return tx.preparedQuery(MARK_DUE).execute(Tuple.of(afterCustomer, limit, timestamp(dueAt))).map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getString(0)));
            return ids;
        });
    }

    public Uni<Void> appendHistory(SqlConnection tx, List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(APPEND_HISTORY).execute(HISTORY_ENTRIES.arrays(entries)).replaceWithVoid();
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
}
