package dev.retention.points.persistence;

import dev.retention.contracts.events.PointsChanged;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.LedgerPage;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.domain.RulePoints;
import dev.retention.points.domain.RuleUsage;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.eventing.ColumnBinder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.retention.eventing.SqlValues.distinctKeys;
import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.timestamp;

/**
 * The points tables, read and written a batch at a time: each method is one statement for any number of rows.
 * Loads lock their rows ({@code ORDER BY key FOR UPDATE}, in key order so that concurrent batches cannot deadlock
 * each other); inserts that lock new rows get their keys sorted.
 */
public final class PointsStore {

    private static final String ACCOUNT_COLUMNS = """
            customer_id, available, pending, debt, lifetime_earned, last_activity_at, referred_by, registered,
                   has_ordered, expiry_warned_for""";
    private static final String LOCK_ACCOUNTS = """
            SELECT %s
            FROM points_account WHERE customer_id IN (SELECT unnest($1::text[]))
            ORDER BY customer_id FOR UPDATE""".formatted(ACCOUNT_COLUMNS);
    private static final String LOCK_ACCOUNTS_NOT_IN_USE = LOCK_ACCOUNTS.replace("FOR UPDATE", "FOR UPDATE SKIP LOCKED");
    private static final String READ_ACCOUNT = "SELECT %s FROM points_account WHERE customer_id = $1"
            .formatted(ACCOUNT_COLUMNS);
    /** The order's columns, read and written alike. */
    static final ColumnBinder<OrderPoints> ORDERS = ColumnBinder.<OrderPoints>builder()
            .text("order_id", OrderPoints::orderId)
            .text("customer_id", OrderPoints::customerId)
            .bool("placed", OrderPoints::isPlaced)
            .text("currency", OrderPoints::currency)
            .numeric("merchandise_value", OrderPoints::merchandiseValue)
            .bigint("earned", OrderPoints::earned)
            .bigint("reversed", OrderPoints::reversed)
            .numeric("refunded_value", OrderPoints::refundedValue)
            .bigint("redeemed", OrderPoints::redeemed)
            .bigint("redemption_refunded", OrderPoints::redemptionRefunded)
            .timestamptz("placed_at", OrderPoints::placedAt)
            .timestamptz("delivered_at", OrderPoints::deliveredAt)
            .timestamptz("release_at", OrderPoints::releaseAt)
            .bool("released", OrderPoints::isReleased)
            .bool("cancelled", OrderPoints::isCancelled)
            .bool("review_rewarded", OrderPoints::isReviewRewarded)
            .numeric("earning_base", OrderPoints::earningBase)
            .text("earning_tier", OrderPoints::earningTier)
            .bigint("rule_points", OrderPoints::rulePoints)
            .text("earning_facts", order -> OrderFactsJson.write(order.facts()))
            .build();
    /**
     * Orders not stored yet: a plain insert, since an upsert's speculative insertion costs a probe and a WAL record
     * more per row. A row another transaction inserted first fails the batch, which is then applied again. Keep it
     * plain: {@code order.placed} has no inbox row (ApplyPointsEvents.deduplicatedByEffect), so when two consumers
     * race for a new order this failure is what keeps the second from placing it too; ON CONFLICT DO NOTHING would
     * place it twice.
     */
    private static final String INSERT_ORDERS = ORDERS.insertInto("points_order");
    /**
     * An order never changes customer (an erasure renames it, after the batch's writes). Its earning facts are
     * written once, when it is placed: a load does not read them back (no parsing on the hot path), so an update
     * keeps the stored ones unless the batch placed the order.
     */
    private static final String UPDATE_ORDERS = ("UPDATE points_order o SET %s, earning_facts = COALESCE(u.earning_facts,"
            + " o.earning_facts) FROM %s WHERE o.order_id = u.order_id")
            .formatted(ORDERS.assignments("u", "order_id", "customer_id", "earning_facts"), ORDERS.unnestAs("u"));
    /**
     * Orders of each customer ($1) placed at or after a time ($2) and not cancelled, found through their earning
     * entries in the ledger (indexed by customer): an order that earned nothing has none.
     */
    private static final String LOCK_ORDERS = """
            SELECT %s
            FROM points_order WHERE order_id IN (SELECT unnest($1::text[])) ORDER BY order_id FOR UPDATE"""
            .formatted(ORDERS.namesWithout("earning_facts"));
    /**
     * Per customer, a lateral subquery: the planner probes the ledger's customer index once per customer. As a plain
     * join it hashed the whole ledger instead, on every batch that carried a tier change (platform benchmark: 204
     * scans of the ledger in 30 s, 322,000 blocks read from outside PostgreSQL's buffers).
     */
    static final String ORDERS_PLACED_SINCE = """
            SELECT c.customer_id, placed.order_id
            FROM unnest($1::text[], $2::timestamptz[]) AS c(customer_id, since),
                 LATERAL (SELECT DISTINCT o.order_id
                          FROM points_ledger l JOIN points_order o ON o.order_id = l.order_id
                          WHERE l.customer_id = c.customer_id AND l.rule = '%s'
                            AND o.placed_at >= c.since AND NOT o.cancelled) placed"""
            .formatted(PointsRules.ORDER_EARNING);
    private static final ColumnBinder<ActedEntry> LEDGER = ColumnBinder.<ActedEntry>builder()
            .text("entry_id", e -> e.entry().entryId())
            .text("customer_id", e -> e.entry().customerId())
            .text("kind", e -> e.entry().kind().name())
            .bigint("points", e -> e.entry().points())
            .bigint("available_after", e -> e.entry().availableAfter())
            .bigint("pending_after", e -> e.entry().pendingAfter())
            .bigint("debt_after", e -> e.entry().debtAfter())
            .text("order_id", e -> e.entry().orderId())
            .text("rule", e -> e.entry().rule())
            .text("cause_event_id", e -> e.entry().causeEventId())
            .timestamptz("occurred_at", e -> e.entry().occurredAt())
            .text("note", e -> e.entry().note())
            .text("rules", e -> rulesJson(e.entry().rules()))
            .text("actor", ActedEntry::actor)
            .build();
    /** In the order of the list: the ledger's sequence is the order the rules wrote the entries in. */
    private static final String APPEND_LEDGER = """
            INSERT INTO points_ledger (%1$s)
            SELECT %1$s FROM %2$s WITH ORDINALITY AS l(%1$s, i) ORDER BY i""".formatted(LEDGER.names(), LEDGER.unnest());
    /** What a ledger entry reads back as: who made it stays in the table, for audits. */
    static final String LEDGER_COLUMNS = LEDGER.namesWithout("actor");
    private static final String LEDGER_PAGE = """
            SELECT seq, %s
            FROM points_ledger WHERE customer_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3""".formatted(LEDGER_COLUMNS);
    private static final String CUSTOMERS_WITH_RELEASE_DUE = """
            SELECT DISTINCT customer_id FROM (
                SELECT customer_id FROM points_order WHERE placed AND NOT released AND NOT cancelled AND release_at <= $1
                ORDER BY release_at LIMIT $2) due""";
    private static final String ORDERS_DUE_OF = """
            SELECT order_id FROM points_order
            WHERE customer_id = ANY($1::text[]) AND placed AND NOT released AND NOT cancelled AND release_at <= $2""";
    /** Through the index on the day (V5), then to the instant: a day's accounts not due yet are read and passed. */
    private static final String LOCK_ACCOUNTS_DUE_FOR_EXPIRY = """
            SELECT customer_id FROM points_account
            WHERE expires_on <= ($1 AT TIME ZONE 'UTC')::date
              AND expires_at <= $1 AND (expires_at <= $2 OR expiry_warned_for IS DISTINCT FROM expires_at)
            ORDER BY expires_on LIMIT $3 FOR UPDATE SKIP LOCKED""";
    private static final ColumnBinder<TierAssignment> TIERS = ColumnBinder.<TierAssignment>builder()
            .text("customer_id", TierAssignment::customerId)
            .timestamptz("effective_at", TierAssignment::effectiveAt)
            .text("tier", TierAssignment::tier)
            .build();
    private static final String RECORD_TIERS = TIERS.insertInto("customer_tier") + " ON CONFLICT DO NOTHING";
    /**
     * Per customer, a lateral subquery that {@code OFFSET 0} keeps from being flattened into a join: as
     * {@code customer_id = ANY($1)}, or as a join, PostgreSQL scanned the whole table whenever it had no statistics
     * for it (platform benchmark: 92 scans of {@code customer_tier} in 30 s, 4.5 million rows).
     */
    static final String LOAD_TIERS = """
            SELECT c.customer_id, t.effective_at, t.tier
            FROM unnest($1::text[]) AS c(customer_id),
                 LATERAL (SELECT effective_at, tier FROM customer_tier
                          WHERE customer_id = c.customer_id OFFSET 0) t""";

    /**
     * {@code customer.erased}: every row that names the customer names a pseudonym instead ($1 ids, $2 pseudonyms).
     * {@code points_order.customer_id} and {@code points_account.referred_by} have no index (the hot path does not
     * need one), so an erasure batch scans those two tables once: erasures are rare.
     */
    private static final List<String> PSEUDONYMISE = Stream.of("points_account.customer_id",
                    "points_account.referred_by", "points_order.customer_id", "points_ledger.customer_id",
                    "customer_tier.customer_id", "points_api_request.customer_id", "points_rule_usage.customer_id",
                    "reward_redemption.customer_id")
            .map(column -> column.split("\\."))
            .map(c -> "UPDATE " + c[0] + " t SET " + c[1] + " = p.pseudonym FROM unnest($1::text[], $2::text[]) "
                    + "AS p(customer_id, pseudonym) WHERE t." + c[1] + " = p.customer_id")
            .toList();
    private static final String CLAIM_REQUEST = """
            INSERT INTO points_api_request (customer_id, operation, idempotency_key, fingerprint, entry_id)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""";
    private static final String EARLIER_REQUEST = """
            SELECT r.fingerprint, %s
            FROM points_api_request r JOIN points_ledger l ON l.entry_id = r.entry_id
            WHERE r.customer_id = $1 AND r.operation = $2 AND r.idempotency_key = $3"""
            .formatted(Stream.of(LEDGER_COLUMNS.split(",")).map(c -> "l." + c.strip()).collect(Collectors.joining(", ")));
    /** The API's attempt counters are keyed {@code action:customer}. */
    private static final String FORGET_ATTEMPTS = """
            DELETE FROM api_attempt WHERE substr(attempt_key, strpos(attempt_key, ':') + 1) = ANY($1::text[])""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<RulePoints>> RULES = new TypeReference<>() {
    };
    private static final ColumnBinder<Map.Entry<RuleUsage.Key, Long>> USAGE = ColumnBinder
            .<Map.Entry<RuleUsage.Key, Long>>builder()
            .text("customer_id", e -> e.getKey().customerId())
            .text("rule_id", e -> e.getKey().ruleId())
            .text("period", e -> e.getKey().period().name())
            .date("period_start", e -> e.getKey().periodStart())
            .bigint("points", Map.Entry::getValue)
            .build();
    /** The account lock serialises a customer's orders: the total the rules computed is the total. */
    private static final String SAVE_USAGE = USAGE.insertInto("points_rule_usage")
            + " ON CONFLICT (customer_id, rule_id, period, period_start) DO UPDATE SET points = excluded.points";
    private static final String LOAD_USAGE = """
            SELECT u.customer_id, u.rule_id, u.period, u.period_start, u.points
            FROM unnest($1::text[], $2::text[], $3::text[], $4::date[]) AS k(customer_id, rule_id, period, period_start)
            JOIN points_rule_usage u ON u.customer_id = k.customer_id AND u.rule_id = k.rule_id
                                    AND u.period = k.period AND u.period_start = k.period_start""";

    /** The account's columns as written: {@code expires_at} follows from the policy. */
    private final ColumnBinder<PointsAccount> accountColumns;
    /**
     * Accounts opened by this batch, inserted once with their state instead of inserted empty and updated: half the
     * row versions and index entries for a new customer. Sorted by key, so that two transactions opening the same
     * accounts wait on each other in one order; an account another transaction opened first fails the batch, which
     * is then applied again and finds it.
     */
    private final String insertAccounts;
    private final String updateAccounts;

    /** @param policies the policy in force at a time: an account's expiry follows the one of its last activity */
    public PointsStore(PointsPolicies policies) {
        this.accountColumns = ColumnBinder.<PointsAccount>builder()
                .text("customer_id", PointsAccount::customerId)
                .bigint("available", PointsAccount::available)
                .bigint("pending", PointsAccount::pending)
                .bigint("debt", PointsAccount::debt)
                .bigint("lifetime_earned", PointsAccount::lifetimeEarned)
                .timestamptz("last_activity_at", PointsAccount::lastActivityAt)
                .text("referred_by", PointsAccount::referredBy)
                .bool("registered", PointsAccount::isRegistered)
                .bool("has_ordered", PointsAccount::hasOrdered)
                .timestamptz("expires_at", account -> account.expiresAt(policies))
                .timestamptz("expiry_warned_for", PointsAccount::expiryWarnedFor)
                .build();
        this.insertAccounts = "INSERT INTO points_account (%s) SELECT * FROM %s ORDER BY customer_id"
                .formatted(accountColumns.names(), accountColumns.unnestAs("u"));
        this.updateAccounts = "UPDATE points_account a SET %s, updated_at = now() FROM %s WHERE a.customer_id = u.customer_id"
                .formatted(accountColumns.assignments("u", "customer_id"), accountColumns.unnestAs("u"));
    }

    /**
     * Locks the accounts that exist and opens the others in memory; {@link #saveAccounts} inserts the opened ones
     * with the state the batch gave them.
     */
    public Uni<LockedAccounts> lockOrOpenAccounts(SqlConnection tx, Collection<String> customerIds) {
        return lockAccounts(tx, customerIds).map(found -> {
            Set<String> stored = Set.copyOf(found.keySet());
            customerIds.forEach(id -> found.computeIfAbsent(id, PointsAccount::open));
            return new LockedAccounts(found, stored);
        });
    }

    /** Locks the accounts that exist. */
    public Uni<Map<String, PointsAccount>> lockAccounts(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOCK_ACCOUNTS).execute(Tuple.tuple().addArrayOfString(distinctKeys(customerIds)))
                .map(PointsStore::accounts);
    }

    /** Locks the accounts no one else holds right now; another replica's job takes the others. */
    public Uni<Map<String, PointsAccount>> lockAccountsNotInUse(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOCK_ACCOUNTS_NOT_IN_USE)
                .execute(Tuple.tuple().addArrayOfString(distinctKeys(customerIds)))
                .map(PointsStore::accounts);
    }

    /** The account as it is, without a lock: for reads. */
    public Uni<PointsAccount> account(SqlClient client, String customerId) {
        return client.preparedQuery(READ_ACCOUNT).execute(Tuple.of(customerId))
                .map(rows -> accounts(rows).get(customerId));
    }

    /** Customers with pending points whose release time has come (an indexed range, oldest first). */
    public Uni<List<String>> customersWithReleaseDue(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(CUSTOMERS_WITH_RELEASE_DUE).execute(Tuple.of(timestamp(now), limit))
                .map(PointsStore::firstColumn);
    }

    public Uni<List<String>> ordersDueOf(SqlConnection tx, Collection<String> customerIds, Instant now) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery(ORDERS_DUE_OF).execute(Tuple.tuple().addArrayOfString(distinctKeys(customerIds))
                .addOffsetDateTime(timestamp(now))).map(PointsStore::firstColumn);
    }

    /** Accounts whose points expire or need a warning, locked; replicas split them. */
    public Uni<List<String>> lockAccountsDueForExpiry(SqlConnection tx, Instant now, Instant warnUntil, int limit) {
        return tx.preparedQuery(LOCK_ACCOUNTS_DUE_FOR_EXPIRY).execute(Tuple.of(timestamp(warnUntil), timestamp(now), limit))
                .map(PointsStore::firstColumn);
    }

    private static List<String> firstColumn(Iterable<Row> rows) {
        List<String> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.getString(0)));
        return values;
    }

    private static Map<String, PointsAccount> accounts(Iterable<Row> rows) {
        Map<String, PointsAccount> accounts = new HashMap<>();
        for (Row row : rows) {
            accounts.put(row.getString("customer_id"), new PointsAccount(row.getString("customer_id"),
                    row.getLong("available"), row.getLong("pending"), row.getLong("debt"),
                    row.getLong("lifetime_earned"), instant(row, "last_activity_at"), row.getString("referred_by"),
                    row.getBoolean("registered"), row.getBoolean("has_ordered"), instant(row, "expiry_warned_for")));
        }
        return accounts;
    }

    /** Writes back accounts that {@link #lockAccounts} found. */
    public Uni<Void> saveAccounts(SqlConnection tx, Collection<PointsAccount> accounts) {
        return writeAccounts(tx, updateAccounts, accounts);
    }

    /**
     * Writes the accounts back: those in {@code stored} (as {@link #lockAccounts} found them) are updated, the others
     * inserted.
     */
    public Uni<Void> saveAccounts(SqlConnection tx, Collection<PointsAccount> accounts, Set<String> stored) {
        List<PointsAccount> inserted = new ArrayList<>();
        List<PointsAccount> updated = new ArrayList<>();
        for (PointsAccount account : accounts) {
            (stored.contains(account.customerId()) ? updated : inserted).add(account);
        }
        return writeAccounts(tx, insertAccounts, inserted).chain(() -> writeAccounts(tx, updateAccounts, updated));
    }

    private Uni<Void> writeAccounts(SqlConnection tx, String statement, Collection<PointsAccount> accounts) {
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(statement).execute(accountColumns.arrays(accounts)).replaceWithVoid();
    }

    /**
     * Claims an API request's idempotency key for the ledger entry it will write; false when the key was claimed
     * before (the earlier request is then {@link #earlierRequest}).
     */
    public Uni<Boolean> claimRequest(SqlConnection tx, ApiRequest request, String entryId) {
        return tx.preparedQuery(CLAIM_REQUEST).execute(Tuple.of(request.customerId(), request.operation(),
                request.idempotencyKey(), request.fingerprint(), entryId)).map(claimed -> claimed.rowCount() == 1);
    }

    /** The request that claimed the key first: what it asked for (its fingerprint) and the entry it wrote. */
    public Uni<ApiRequestDone> earlierRequest(SqlConnection tx, ApiRequest request) {
        return tx.preparedQuery(EARLIER_REQUEST)
                .execute(Tuple.of(request.customerId(), request.operation(), request.idempotencyKey()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new ApiRequestDone(row.getString("fingerprint"), ledgerEntry(row));
                });
    }

    /** Renames erased customers (id to pseudonym) in every points table, one statement per column. */
    public Uni<Void> pseudonymise(SqlConnection tx, Map<String, String> pseudonyms) {
        if (pseudonyms.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] ids = pseudonyms.keySet().toArray(String[]::new);
        Tuple renames = Tuple.tuple().addArrayOfString(ids)
                .addArrayOfString(pseudonyms.values().toArray(String[]::new));
        Uni<Void> chain = tx.preparedQuery(FORGET_ATTEMPTS).execute(Tuple.tuple().addArrayOfString(ids))
                .replaceWithVoid();
        for (String statement : PSEUDONYMISE) {
            chain = chain.chain(() -> tx.preparedQuery(statement).execute(renames).replaceWithVoid());
        }
        return chain;
    }

    /** Locks the orders that exist; the map has no entry for an order not seen yet. */
    public Uni<Map<String, OrderPoints>> lockOrders(SqlConnection tx, Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        Tuple keys = Tuple.tuple().addArrayOfString(distinctKeys(orderIds));
        return tx.preparedQuery(LOCK_ORDERS).execute(keys).map(rows -> {
            Map<String, OrderPoints> orders = new HashMap<>();
            for (Row row : rows) {
                orders.put(row.getString("order_id"), new OrderPoints(row.getString("order_id"),
                        row.getString("customer_id"), row.getBoolean("placed"), row.getString("currency"),
                        row.getBigDecimal("merchandise_value"), row.getLong("earned"), row.getLong("reversed"),
                        row.getBigDecimal("refunded_value"), row.getLong("redeemed"),
                        row.getLong("redemption_refunded"), instant(row, "placed_at"), instant(row, "delivered_at"),
                        instant(row, "release_at"), row.getBoolean("released"), row.getBoolean("cancelled"),
                        row.getBoolean("review_rewarded"), row.getBigDecimal("earning_base"),
                        row.getString("earning_tier"), row.getLong("rule_points"), null));
            }
            return orders;
        });
    }

    /**
     * For a tier change that may have come after orders placed while it was in force: each customer's orders
     * placed at or after the given time, by customer (a plain read: the caller locks them).
     */
    public Uni<Map<String, List<String>>> ordersPlacedSince(SqlConnection tx, Map<String, Instant> sinceByCustomer) {
        if (sinceByCustomer.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] customers = distinctKeys(sinceByCustomer.keySet());
        OffsetDateTime[] since = new OffsetDateTime[customers.length];
        for (int i = 0; i < customers.length; i++) {
            since[i] = timestamp(sinceByCustomer.get(customers[i]));
        }
        return tx.preparedQuery(ORDERS_PLACED_SINCE).execute(Tuple.tuple().addArrayOfString(customers)
                        .addArrayOfOffsetDateTime(since))
                .map(rows -> {
                    Map<String, List<String>> orders = new HashMap<>();
                    rows.forEach(row -> orders.computeIfAbsent(row.getString("customer_id"), c -> new ArrayList<>())
                            .add(row.getString("order_id")));
                    return orders;
                });
    }

    /**
     * Writes the orders back: those in {@code stored} (as {@link #lockOrders} found them) are updated, the others
     * inserted.
     */
    public Uni<Void> saveOrders(SqlConnection tx, Collection<OrderPoints> orders, Set<String> stored) {
        List<OrderPoints> inserted = new ArrayList<>();
        List<OrderPoints> updated = new ArrayList<>();
        for (OrderPoints order : orders) {
            (stored.contains(order.orderId()) ? updated : inserted).add(order);
        }
        return writeOrders(tx, INSERT_ORDERS, inserted).chain(() -> writeOrders(tx, UPDATE_ORDERS, updated));
    }

    private static Uni<Void> writeOrders(SqlConnection tx, String statement, List<OrderPoints> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(statement).execute(ORDERS.arrays(orders)).replaceWithVoid();
    }

    /**
     * Appends the entries in the order given; {@code actor} is who made them by hand or on the customer's behalf
     * (null for the rules and the customer's own requests).
     */
    public Uni<Void> appendLedger(SqlConnection tx, List<LedgerEntry> entries, String actor) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ActedEntry> rows = entries.stream().map(entry -> new ActedEntry(entry, actor)).toList();
        return tx.preparedQuery(APPEND_LEDGER).execute(LEDGER.arrays(rows)).replaceWithVoid();
    }

    public Uni<Void> recordTiers(SqlConnection tx, List<TierAssignment> assignments) {
        if (assignments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(RECORD_TIERS).execute(TIERS.arrays(assignments)).replaceWithVoid();
    }

    /** A page of the ledger, newest first: entries before {@code before} (a sequence number; null: the newest). */
    public Uni<LedgerPage> ledgerPage(SqlClient client, String customerId, Long before, int limit) {
        return client.preparedQuery(LEDGER_PAGE)
                .execute(Tuple.of(customerId, before == null ? Long.MAX_VALUE : before, limit + 1))
                .map(rows -> {
                    List<Row> page = new ArrayList<>();
                    rows.forEach(page::add);
                    boolean more = page.size() > limit;
                    List<Row> shown = more ? page.subList(0, limit) : page;
                    return new LedgerPage(shown.stream().map(PointsStore::ledgerEntry).toList(),
                            more ? shown.get(shown.size() - 1).getLong("seq") : null);
                });
    }

    /** Each customer's tier history, for the tier in force at a given time. */
    public Uni<Map<String, NavigableMap<Instant, String>>> tierHistories(SqlConnection tx,
                                                                         Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        Tuple keys = Tuple.tuple().addArrayOfString(distinctKeys(customerIds));
        return tx.preparedQuery(LOAD_TIERS).execute(keys).map(rows -> {
            Map<String, NavigableMap<Instant, String>> histories = new HashMap<>();
            for (Row row : rows) {
                histories.computeIfAbsent(row.getString("customer_id"), id -> new TreeMap<>())
                        .put(instant(row, "effective_at"), row.getString("tier"));
            }
            return histories;
        });
    }

    public static LedgerEntry ledgerEntry(Row row) {
        return new LedgerEntry(row.getString("entry_id"), row.getString("customer_id"),
                PointsChanged.Kind.valueOf(row.getString("kind")), row.getLong("points"),
                row.getLong("available_after"), row.getLong("pending_after"), row.getLong("debt_after"),
                row.getString("order_id"), row.getString("rule"), row.getString("cause_event_id"),
                instant(row, "occurred_at"), row.getString("note"), rules(row.getString("rules")));
    }

    private static String rulesJson(List<RulePoints> rules) {
        if (rules.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<RulePoints> rules(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, RULES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable rules of a ledger entry: " + json, e);
        }
    }

    /** The points of the given rules and periods so far (the caller holds the customers' account locks). */
    public Uni<RuleUsage> ruleUsage(SqlConnection tx, Collection<RuleUsage.Key> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(RuleUsage.none());
        }
        List<RuleUsage.Key> list = List.copyOf(new HashSet<>(keys));
        Tuple arrays = Tuple.tuple()
                .addArrayOfString(list.stream().map(RuleUsage.Key::customerId).toArray(String[]::new))
                .addArrayOfString(list.stream().map(RuleUsage.Key::ruleId).toArray(String[]::new))
                .addArrayOfString(list.stream().map(k -> k.period().name()).toArray(String[]::new))
                .addArrayOfLocalDate(list.stream().map(RuleUsage.Key::periodStart).toArray(LocalDate[]::new));
        return tx.preparedQuery(LOAD_USAGE).execute(arrays).map(rows -> {
            Map<RuleUsage.Key, Long> used = new HashMap<>();
            for (Row row : rows) {
                used.put(new RuleUsage.Key(row.getString("customer_id"), row.getString("rule_id"),
                        CapPeriod.valueOf(row.getString("period")), row.getLocalDate("period_start")),
                        row.getLong("points"));
            }
            return new RuleUsage(used);
        });
    }

    /** Writes back the totals the batch changed. */
    public Uni<Void> saveRuleUsage(SqlConnection tx, RuleUsage usage) {
        if (usage.changed().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map.Entry<RuleUsage.Key, Long>> rows = usage.changed().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<RuleUsage.Key, Long> e) -> e.getKey().customerId())
                        .thenComparing(e -> e.getKey().ruleId()).thenComparing(e -> e.getKey().period())
                        .thenComparing(e -> e.getKey().periodStart()))
                .toList();
        return tx.preparedQuery(SAVE_USAGE).execute(USAGE.arrays(rows)).replaceWithVoid();
    }

    /** Accounts a transaction holds: the rows it locked ({@code stored}) and the accounts it opened in memory. */
    public record LockedAccounts(Map<String, PointsAccount> byCustomer, Set<String> stored) {

        /** Accounts as a lock found them: all stored, none opened. */
        public static LockedAccounts found(Map<String, PointsAccount> accounts) {
            return new LockedAccounts(accounts, Set.copyOf(accounts.keySet()));
        }

        public LockedAccounts plus(LockedAccounts more) {
            Map<String, PointsAccount> all = new HashMap<>(byCustomer);
            all.putAll(more.byCustomer);
            Set<String> allStored = new HashSet<>(stored);
            allStored.addAll(more.stored);
            return new LockedAccounts(all, allStored);
        }

        /** The accounts {@code touched} changed and those opened: what goes back to the table. */
        /** The touched accounts, and the new ones (a customer's first event opens their account) but {@code unopened}. */
        public Collection<PointsAccount> toWrite(Map<String, PointsAccount> touched, Set<String> unopened) {
            Map<String, PointsAccount> written = new LinkedHashMap<>(touched);
            byCustomer.forEach((id, account) -> {
                if (!stored.contains(id) && !unopened.contains(id)) {
                    written.putIfAbsent(id, account);
                }
            });
            return written.values();
        }
    }

    /** A write through the API, idempotent on the client's key; the fingerprint says what it asked for. */
    public record ApiRequest(String customerId, String operation, String idempotencyKey, String fingerprint) {
    }

    public record ApiRequestDone(String fingerprint, LedgerEntry entry) {
    }

    /** A ledger entry and who made it by hand (null: the rules). */
    private record ActedEntry(LedgerEntry entry, String actor) {
    }

    /** A tier in force for a customer from {@code effectiveAt}. */
    public record TierAssignment(String customerId, Instant effectiveAt, String tier) {
    }

}
