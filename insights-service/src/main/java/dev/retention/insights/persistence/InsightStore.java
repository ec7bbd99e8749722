package dev.retention.insights.persistence;

import dev.retention.eventing.ColumnBinder;
import dev.retention.insights.domain.ArmFigures;
import dev.retention.insights.domain.CustomerRetention.Counter;
import dev.retention.insights.domain.CustomerRetention.Kind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;

/** The insights tables (V1__insights.sql), a batch at a time: one statement for any number of rows. */
@ApplicationScoped
public class InsightStore {

    /** A customer's row: current tier ('' for none) and points balance as the ledger last reported it. */
    public record CustomerRow(String customerId, String tier, long available, long pending) {
    }

    /** An order, its revenue in the reporting currency. */
    public record NewOrder(String orderId, String customerId, Instant placedAt, BigDecimal revenue) {
    }

    /** A marketing trigger, fired (treated) or held out (control). */
    public record NewExposure(String triggerId, String customerId, String triggerType, String campaignId,
                              boolean heldOut, Instant exposedAt) {
    }

    /** An exposure as stored and as its orders and sent marker make it now. */
    public record ExposureState(String triggerId, String triggerType, String campaignId, boolean heldOut,
                                Instant exposedAt, ArmFigures stored, ArmFigures now) {

        public boolean outcomeUnchanged() {
            return stored.converted() == now.converted() && stored.sent() == now.sent()
                    && stored.revenue().compareTo(now.revenue()) == 0;
        }
    }

    /** The sums of one trigger type, campaign, arm and month. */
    public record UpliftCell(String triggerType, String campaignId, boolean heldOut, YearMonth month,
                             ArmFigures figures) {
    }

    /** Vouchers redeemed for one trigger type, campaign and month. */
    public record RedemptionCell(String triggerType, String campaignId, YearMonth month, long redeemed,
                                 BigDecimal discount) {
    }

    private record MonthCount(String customerId, LocalDate month, int orders) {
    }

    private record CounterChange(Counter counter, long change) {
    }

    private record KeyedChange(LocalDate month, String key, long change) {
    }

    private record TierBalance(String tier, long available, long pending) {
    }

    private static final ColumnBinder<NewOrder> ORDERS = ColumnBinder.<NewOrder>builder()
            .text("order_id", NewOrder::orderId)
            .text("customer_id", NewOrder::customerId)
            .timestamptz("placed_at", NewOrder::placedAt)
            .numeric("revenue", NewOrder::revenue)
            .build();
    private static final ColumnBinder<MonthCount> ORDER_MONTHS = ColumnBinder.<MonthCount>builder()
            .text("customer_id", MonthCount::customerId)
            .date("month", MonthCount::month)
            .integer("orders", MonthCount::orders)
            .build();
    private static final ColumnBinder<CounterChange> COUNTERS = ColumnBinder.<CounterChange>builder()
            .text("kind", change -> change.counter().kind().name())
            .date("month", change -> change.counter().month().atDay(1))
            .date("other_month", change -> change.counter().otherMonth().atDay(1))
            .bigint("customers", CounterChange::change)
            .build();
    private static final ColumnBinder<NewExposure> EXPOSURES = ColumnBinder.<NewExposure>builder()
            .text("trigger_id", NewExposure::triggerId)
            .text("customer_id", NewExposure::customerId)
            .text("trigger_type", NewExposure::triggerType)
            .text("campaign_id", NewExposure::campaignId)
            .bool("held_out", NewExposure::heldOut)
            .timestamptz("exposed_at", NewExposure::exposedAt)
            .build();
    private static final ColumnBinder<ExposureState> EXPOSURE_OUTCOMES = ColumnBinder.<ExposureState>builder()
            .text("trigger_id", ExposureState::triggerId)
            .bool("converted", state -> state.now().converted() > 0)
            .numeric("revenue", state -> state.now().revenue())
            .bool("sent", state -> state.now().sent() > 0)
            .build();
    private static final ColumnBinder<UpliftCell> UPLIFT_CELLS = ColumnBinder.<UpliftCell>builder()
            .text("trigger_type", UpliftCell::triggerType)
            .text("campaign_id", UpliftCell::campaignId)
            .bool("held_out", UpliftCell::heldOut)
            .date("month", cell -> cell.month().atDay(1))
            .bigint("exposures", cell -> cell.figures().exposures())
            .bigint("converted", cell -> cell.figures().converted())
            .bigint("sent", cell -> cell.figures().sent())
            .numeric("revenue", cell -> cell.figures().revenue())
            .numeric("revenue_squares", cell -> cell.figures().revenueSquares())
            .build();
    private static final ColumnBinder<RedemptionCell> REDEMPTION_CELLS = ColumnBinder.<RedemptionCell>builder()
            .text("trigger_type", RedemptionCell::triggerType)
            .text("campaign_id", RedemptionCell::campaignId)
            .date("month", cell -> cell.month().atDay(1))
            .bigint("redeemed", RedemptionCell::redeemed)
            .numeric("discount", RedemptionCell::discount)
            .build();
    private static final ColumnBinder<KeyedChange> POINTS_MONTHS = ColumnBinder.<KeyedChange>builder()
            .date("month", KeyedChange::month)
            .text("kind", KeyedChange::key)
            .bigint("points", KeyedChange::change)
            .build();
    private static final ColumnBinder<KeyedChange> TIER_MONTHS = ColumnBinder.<KeyedChange>builder()
            .date("month", KeyedChange::month)
            .text("tier", KeyedChange::key)
            .bigint("customers", KeyedChange::change)
            .build();
    private static final ColumnBinder<TierBalance> LIABILITY = ColumnBinder.<TierBalance>builder()
            .text("tier", TierBalance::tier)
            .bigint("available", TierBalance::available)
            .bigint("pending", TierBalance::pending)
            .build();
    private static final ColumnBinder<CustomerRow> CUSTOMERS = ColumnBinder.<CustomerRow>builder()
            .text("customer_id", CustomerRow::customerId)
            .text("tier", CustomerRow::tier)
            .bigint("available", CustomerRow::available)
            .bigint("pending", CustomerRow::pending)
            .build();

    private static final String OPEN_CUSTOMERS = """
            INSERT INTO insights_customer (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING""";
    private static final String LOCK_CUSTOMERS = "SELECT " + CUSTOMERS.names() + " FROM insights_customer"
            + " WHERE customer_id IN (SELECT unnest($1::text[])) ORDER BY customer_id FOR UPDATE";
    private static final String INSERT_ORDERS = ORDERS.insertInto("customer_order")
            + " ON CONFLICT (order_id) DO NOTHING RETURNING " + ORDERS.names();
    private static final String READ_ORDER_MONTHS = """
            SELECT customer_id, month, orders FROM customer_order_month
            WHERE customer_id IN (SELECT unnest($1::text[]))""";
    private static final String SAVE_ORDER_MONTHS = ORDER_MONTHS.insertInto("customer_order_month")
            + " ON CONFLICT (customer_id, month) DO UPDATE SET orders = EXCLUDED.orders";
    private static final String ADD_COUNTERS = COUNTERS.insertInto("retention_counter")
            + " ON CONFLICT (kind, month, other_month) DO UPDATE"
            + " SET customers = retention_counter.customers + EXCLUDED.customers";
    private static final String INSERT_EXPOSURES = EXPOSURES.insertInto("exposure")
            + " ON CONFLICT (trigger_id) DO NOTHING RETURNING trigger_id";
    private static final String INSERT_SENT = """
            INSERT INTO trigger_sent (trigger_id) SELECT unnest($1::text[])
            ON CONFLICT DO NOTHING RETURNING trigger_id""";
    /** Each exposure of the customers with what it holds and what its orders in the window and any sent make it. */
    private static final String EXPOSURE_STATES = """
            SELECT e.trigger_id, e.trigger_type, e.campaign_id, e.held_out, e.exposed_at, e.converted, e.revenue,
                   e.sent,
                   w.orders, w.revenue AS window_revenue, s.trigger_id IS NOT NULL AS now_sent
            FROM exposure e
            CROSS JOIN LATERAL (SELECT count(*) AS orders, coalesce(sum(o.revenue), 0) AS revenue FROM customer_order o
                                WHERE o.customer_id = e.customer_id AND o.placed_at >= e.exposed_at
                                  AND o.placed_at < e.exposed_at + $2::bigint * interval '1 second') w
            LEFT JOIN trigger_sent s ON s.trigger_id = e.trigger_id
            WHERE e.customer_id IN (SELECT unnest($1::text[]))""";
    private static final String UPDATE_EXPOSURES = EXPOSURE_OUTCOMES.updateByKey("exposure", "trigger_id");
    private static final String ADD_UPLIFT_CELLS = UPLIFT_CELLS.insertInto("uplift_cell")
            + " ON CONFLICT (trigger_type, campaign_id, held_out, month) DO UPDATE SET"
            + " exposures = uplift_cell.exposures + EXCLUDED.exposures,"
            + " converted = uplift_cell.converted + EXCLUDED.converted, sent = uplift_cell.sent + EXCLUDED.sent,"
            + " revenue = uplift_cell.revenue + EXCLUDED.revenue,"
            + " revenue_squares = uplift_cell.revenue_squares + EXCLUDED.revenue_squares";
    private static final String ADD_REDEMPTIONS = REDEMPTION_CELLS.insertInto("redemption_cell")
            + " ON CONFLICT (trigger_type, campaign_id, month) DO UPDATE SET"
            + " redeemed = redemption_cell.redeemed + EXCLUDED.redeemed,"
            + " discount = redemption_cell.discount + EXCLUDED.discount";
    private static final String ADD_POINTS_MONTHS = POINTS_MONTHS.insertInto("points_month")
            + " ON CONFLICT (month, kind) DO UPDATE SET points = points_month.points + EXCLUDED.points";
    private static final String ADD_TIER_MONTHS = TIER_MONTHS.insertInto("tier_month")
            + " ON CONFLICT (month, tier) DO UPDATE SET customers = tier_month.customers + EXCLUDED.customers";
    private static final String ADD_LIABILITY = LIABILITY.insertInto("liability_by_tier")
            + " ON CONFLICT (tier) DO UPDATE SET available = liability_by_tier.available + EXCLUDED.available,"
            + " pending = liability_by_tier.pending + EXCLUDED.pending";
    private static final String SAVE_CUSTOMERS = CUSTOMERS.updateByKey("insights_customer", "customer_id");

    // ---- writes, inside a batch's transaction ----
    // Aggregate rows are shared by every customer: each statement writes them in key order, and the batch writes the
    // tables in one order, so that two replicas' transactions wait for each other instead of deadlocking.

    /** Opens and locks the customers' rows in key order: a customer's events are applied one transaction at a time. */
    public Uni<Map<String, CustomerRow>> lockCustomers(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        Tuple ids = Tuple.tuple().addArrayOfString(sortedKeys(customerIds));
        return tx.preparedQuery(OPEN_CUSTOMERS).execute(ids)
                .chain(() -> tx.preparedQuery(LOCK_CUSTOMERS).execute(ids))
                .map(rows -> {
                    Map<String, CustomerRow> customers = new HashMap<>();
                    rows.forEach(row -> customers.put(row.getString("customer_id"), new CustomerRow(
                            row.getString("customer_id"), row.getString("tier"), row.getLong("available"),
                            row.getLong("pending"))));
                    return customers;
                });
    }

    public Uni<Void> saveCustomers(SqlConnection tx, Collection<CustomerRow> customers) {
        return customers.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(SAVE_CUSTOMERS).execute(CUSTOMERS.arrays(customers)).replaceWithVoid();
    }

    /** The orders not known before (the same order under another event id counts once). */
    public Uni<List<NewOrder>> insertOrders(SqlConnection tx, List<NewOrder> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery(INSERT_ORDERS).execute(ORDERS.arrays(orders)).map(rows -> {
            List<NewOrder> inserted = new ArrayList<>();
            rows.forEach(row -> inserted.add(new NewOrder(row.getString("order_id"), row.getString("customer_id"),
                    instant(row, "placed_at"), row.getBigDecimal("revenue"))));
            return inserted;
        });
    }

    public Uni<Map<String, SortedMap<YearMonth, Integer>>> orderMonths(SqlConnection tx, Collection<String> customers) {
        if (customers.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(READ_ORDER_MONTHS).execute(Tuple.tuple().addArrayOfString(sortedKeys(customers)))
                .map(rows -> {
                    Map<String, SortedMap<YearMonth, Integer>> months = new HashMap<>();
                    rows.forEach(row -> months.computeIfAbsent(row.getString("customer_id"), c -> new TreeMap<>())
                            .put(YearMonth.from(row.getLocalDate("month")), row.getInteger("orders")));
                    return months;
                });
    }

    /** Sets the customers' order counts of the months given (the whole month's count, not a change). */
    public Uni<Void> saveOrderMonths(SqlConnection tx, Map<String, SortedMap<YearMonth, Integer>> changedMonths) {
        List<MonthCount> rows = new ArrayList<>();
        changedMonths.forEach((customer, months) -> months.forEach(
                (month, orders) -> rows.add(new MonthCount(customer, month.atDay(1), orders))));
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(SAVE_ORDER_MONTHS).execute(ORDER_MONTHS.arrays(rows)).replaceWithVoid();
    }

    public Uni<Void> addRetentionCounters(SqlConnection tx, Map<Counter, Long> changes) {
        List<CounterChange> rows = new ArrayList<>();
        changes.forEach((counter, change) -> {
            if (change != 0) {
                rows.add(new CounterChange(counter, change));
            }
        });
        rows.sort(Comparator.comparing((CounterChange c) -> c.counter().kind())
                .thenComparing(c -> c.counter().month()).thenComparing(c -> c.counter().otherMonth()));
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(ADD_COUNTERS).execute(COUNTERS.arrays(rows)).replaceWithVoid();
    }

    /** The ids of the exposures not known before. */
    public Uni<Set<String>> insertExposures(SqlConnection tx, List<NewExposure> exposures) {
        if (exposures.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(INSERT_EXPOSURES).execute(EXPOSURES.arrays(exposures)).map(InsightStore::triggerIds);
    }

    /** The triggers newly known to have been sent. */
    public Uni<Set<String>> insertSent(SqlConnection tx, Collection<String> triggerIds) {
        if (triggerIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(INSERT_SENT).execute(Tuple.tuple().addArrayOfString(sortedKeys(triggerIds)))
                .map(InsightStore::triggerIds);
    }

    /** Every exposure of these customers: stored, and as the orders within {@code window} after it make it now. */
    public Uni<List<ExposureState>> exposureStates(SqlConnection tx, Collection<String> customers, Duration window) {
        if (customers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery(EXPOSURE_STATES).execute(Tuple.of(sortedKeys(customers), window.toSeconds()))
                .map(rows -> {
            List<ExposureState> states = new ArrayList<>();
            for (Row row : rows) {
                BigDecimal windowRevenue = row.getBigDecimal("window_revenue");
                states.add(new ExposureState(row.getString("trigger_id"), row.getString("trigger_type"),
                        row.getString("campaign_id"), row.getBoolean("held_out"), instant(row, "exposed_at"),
                        ArmFigures.of(row.getBoolean("converted"), row.getBoolean("sent"),
                                row.getBigDecimal("revenue")),
                        ArmFigures.of(row.getLong("orders") > 0, row.getBoolean("now_sent"), windowRevenue)));
            }
            return states;
        });
    }

    public Uni<Void> updateExposures(SqlConnection tx, List<ExposureState> changed) {
        return changed.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(UPDATE_EXPOSURES).execute(EXPOSURE_OUTCOMES.arrays(changed)).replaceWithVoid();
    }

    public Uni<Void> addUpliftCells(SqlConnection tx, Collection<UpliftCell> changes) {
        List<UpliftCell> rows = changes.stream().filter(cell -> !cell.figures().isZero())
                .sorted(Comparator.comparing(UpliftCell::triggerType).thenComparing(UpliftCell::campaignId)
                        .thenComparing(UpliftCell::heldOut).thenComparing(UpliftCell::month)).toList();
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(ADD_UPLIFT_CELLS).execute(UPLIFT_CELLS.arrays(rows)).replaceWithVoid();
    }

    public Uni<Void> addRedemptions(SqlConnection tx, Collection<RedemptionCell> changes) {
        List<RedemptionCell> rows = changes.stream().sorted(Comparator.comparing(RedemptionCell::triggerType)
                .thenComparing(RedemptionCell::campaignId).thenComparing(RedemptionCell::month)).toList();
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(ADD_REDEMPTIONS).execute(REDEMPTION_CELLS.arrays(rows)).replaceWithVoid();
    }

    public Uni<Void> addPointsMonths(SqlConnection tx, Map<YearMonth, Map<String, Long>> changes) {
        List<KeyedChange> rows = keyed(changes);
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(ADD_POINTS_MONTHS).execute(POINTS_MONTHS.arrays(rows)).replaceWithVoid();
    }

    public Uni<Void> addTierMonths(SqlConnection tx, Map<YearMonth, Map<String, Long>> changes) {
        List<KeyedChange> rows = keyed(changes);
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(ADD_TIER_MONTHS).execute(TIER_MONTHS.arrays(rows)).replaceWithVoid();
    }

    /** Adds to the outstanding points of each tier: {@code changes} maps a tier to {available, pending}. */
    public Uni<Void> addLiability(SqlConnection tx, Map<String, long[]> changes) {
        List<TierBalance> rows = new ArrayList<>();
        changes.forEach((tier, change) -> {
            if (change[0] != 0 || change[1] != 0) {
                rows.add(new TierBalance(tier, change[0], change[1]));
            }
        });
        rows.sort(Comparator.comparing(TierBalance::tier));
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(ADD_LIABILITY).execute(LIABILITY.arrays(rows)).replaceWithVoid();
    }

    // ---- reads, for the API and the snapshots ----

    public Uni<List<UpliftCell>> upliftCells(SqlClient client, YearMonth from, YearMonth to) {
        return client.preparedQuery("SELECT " + UPLIFT_CELLS.names()
                        + " FROM uplift_cell WHERE month BETWEEN $1 AND $2")
                .execute(Tuple.of(from.atDay(1), to.atDay(1))).map(rows -> {
                    List<UpliftCell> cells = new ArrayList<>();
                    rows.forEach(row -> cells.add(new UpliftCell(row.getString("trigger_type"),
                            row.getString("campaign_id"), row.getBoolean("held_out"),
                            YearMonth.from(row.getLocalDate("month")), new ArmFigures(row.getLong("exposures"),
                            row.getLong("converted"), row.getLong("sent"), row.getBigDecimal("revenue"),
                            row.getBigDecimal("revenue_squares")))));
                    return cells;
                });
    }

    public Uni<List<RedemptionCell>> redemptions(SqlClient client, YearMonth from, YearMonth to) {
        return client.preparedQuery("SELECT " + REDEMPTION_CELLS.names()
                        + " FROM redemption_cell WHERE month BETWEEN $1 AND $2")
                .execute(Tuple.of(from.atDay(1), to.atDay(1))).map(rows -> {
                    List<RedemptionCell> cells = new ArrayList<>();
                    rows.forEach(row -> cells.add(new RedemptionCell(row.getString("trigger_type"),
                            row.getString("campaign_id"), YearMonth.from(row.getLocalDate("month")),
                            row.getLong("redeemed"), row.getBigDecimal("discount"))));
                    return cells;
                });
    }

    /** Every retention counter: months x months at most, a few thousand rows over years. */
    public Uni<Map<Counter, Long>> retentionCounters(SqlClient client) {
        return client.query("SELECT kind, month, other_month, customers FROM retention_counter WHERE customers <> 0")
                .execute().map(rows -> {
                    Map<Counter, Long> counters = new HashMap<>();
                    rows.forEach(row -> counters.put(new Counter(Kind.valueOf(row.getString("kind")),
                            YearMonth.from(row.getLocalDate("month")), YearMonth.from(row.getLocalDate("other_month"))),
                            row.getLong("customers")));
                    return counters;
                });
    }

    public Uni<SortedMap<YearMonth, Map<String, Long>>> pointsMonths(SqlClient client) {
        return client.query("SELECT month, kind, points FROM points_month").execute()
                .map(rows -> byMonth(rows, "kind", "points"));
    }

    public Uni<SortedMap<YearMonth, Map<String, Long>>> tierMonths(SqlClient client) {
        return client.query("SELECT month, tier, customers FROM tier_month").execute()
                .map(rows -> byMonth(rows, "tier", "customers"));
    }

    /**
     * Outstanding points by current tier: {available, pending}. A tier whose customers hold none is left out: whether
     * its row exists at all depends on the order the topics were read in (a balance that came and moved on).
     */
    public Uni<Map<String, long[]>> liabilityByTier(SqlClient client) {
        return client.query("SELECT tier, available, pending FROM liability_by_tier"
                        + " WHERE available <> 0 OR pending <> 0 ORDER BY tier").execute()
                .map(rows -> {
                    Map<String, long[]> byTier = new TreeMap<>();
                    rows.forEach(row -> byTier.put(row.getString("tier"),
                            new long[] {row.getLong("available"), row.getLong("pending")}));
                    return byTier;
                });
    }

    // ----

    private static SortedMap<YearMonth, Map<String, Long>> byMonth(RowSet<Row> rows, String key, String value) {
        SortedMap<YearMonth, Map<String, Long>> months = new TreeMap<>();
        rows.forEach(row -> months.computeIfAbsent(YearMonth.from(row.getLocalDate("month")), m -> new HashMap<>())
                .put(row.getString(key), row.getLong(value)));
        return months;
    }

    private static List<KeyedChange> keyed(Map<YearMonth, Map<String, Long>> changes) {
        List<KeyedChange> rows = new ArrayList<>();
        changes.forEach((month, byKey) -> byKey.forEach((key, change) -> {
            if (change != 0) {
                rows.add(new KeyedChange(month.atDay(1), key, change));
            }
        }));
        rows.sort(Comparator.comparing(KeyedChange::month).thenComparing(KeyedChange::key));
        return rows;
    }

    private static Set<String> triggerIds(RowSet<Row> rows) {
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.getString("trigger_id")));
        return ids;
    }
}
