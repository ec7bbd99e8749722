package dev.retention.points.persistence;

import dev.retention.contracts.events.PointsChanged;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicy;
import dev.retention.points.domain.PointsRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
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
    private static final String ACCOUNT_ARRAYS = """
            unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::text[],
                   $8::boolean[], $9::boolean[], $10::timestamptz[], $11::timestamptz[])""";
    private static final String WRITTEN_ACCOUNT_COLUMNS = """
            customer_id, available, pending, debt, lifetime_earned, last_activity_at, referred_by, registered,
                   has_ordered, expires_at, expiry_warned_for""";
    /**
     * Accounts opened by this batch, inserted once with their state instead of inserted empty and updated: half the
     * row versions and index entries for a new customer. Sorted by key, so that two transactions opening the same
     * accounts wait on each other in one order; an account another transaction opened first fails the batch, which
     * is then applied again and finds it.
     */
    private static final String INSERT_ACCOUNTS = """
            INSERT INTO points_account (%s) SELECT * FROM %s AS u(%s) ORDER BY customer_id"""
            .formatted(WRITTEN_ACCOUNT_COLUMNS, ACCOUNT_ARRAYS, WRITTEN_ACCOUNT_COLUMNS);
    private static final String UPDATE_ACCOUNTS = """
            UPDATE points_account a SET available = u.available, pending = u.pending, debt = u.debt,
                   lifetime_earned = u.lifetime_earned, last_activity_at = u.last_activity_at,
                   referred_by = u.referred_by, registered = u.registered, has_ordered = u.has_ordered,
                   expires_at = u.expires_at, expiry_warned_for = u.expiry_warned_for, updated_at = now()
            FROM %s AS u(%s)
            WHERE a.customer_id = u.customer_id""".formatted(ACCOUNT_ARRAYS, WRITTEN_ACCOUNT_COLUMNS);
    private static final String ORDER_COLUMNS = """
            order_id, customer_id, placed, currency, merchandise_value, earned, reversed, refunded_value, redeemed,
                   redemption_refunded, placed_at, delivered_at, release_at, released, cancelled, review_rewarded,
                   earning_base, earning_tier""";
    private static final String ORDER_ARRAYS = """
            unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::numeric[], $6::bigint[], $7::bigint[],
                   $8::numeric[], $9::bigint[], $10::bigint[], $11::timestamptz[], $12::timestamptz[],
                   $13::timestamptz[], $14::boolean[], $15::boolean[], $16::boolean[], $17::numeric[], $18::text[])""";
    /**
     * Orders not stored yet: a plain insert, since an upsert's speculative insertion costs a probe and a WAL record
     * more per row. A row another transaction inserted first fails the batch, which is then applied again.
     */
    private static final String INSERT_ORDERS = "INSERT INTO points_order (%s) SELECT * FROM %s"
            .formatted(ORDER_COLUMNS, ORDER_ARRAYS);
    private static final String UPDATE_ORDERS = """
            UPDATE points_order o SET placed = u.placed, currency = u.currency,
                   merchandise_value = u.merchandise_value, earned = u.earned, reversed = u.reversed,
                   refunded_value = u.refunded_value, redeemed = u.redeemed,
                   redemption_refunded = u.redemption_refunded, placed_at = u.placed_at,
                   delivered_at = u.delivered_at, release_at = u.release_at, released = u.released,
                   cancelled = u.cancelled, review_rewarded = u.review_rewarded, earning_base = u.earning_base,
                   earning_tier = u.earning_tier
            FROM %s AS u(%s)
            WHERE o.order_id = u.order_id""".formatted(ORDER_ARRAYS, ORDER_COLUMNS);
    /**
     * Orders of each customer ($1) placed at or after a time ($2) and not cancelled, found through their earning
     * entries in the ledger (indexed by customer): an order that earned nothing has none.
     */
    private static final String LOCK_ORDERS = """
            SELECT %s
            FROM points_order WHERE order_id IN (SELECT unnest($1::text[])) ORDER BY order_id FOR UPDATE"""
            .formatted(ORDER_COLUMNS);
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
    private static final String APPEND_LEDGER = """
            INSERT INTO points_ledger (entry_id, customer_id, kind, points, available_after, pending_after, debt_after,
                   order_id, rule, cause_event_id, occurred_at, note, actor)
            SELECT e, c, k, p, a, pe, d, o, r, ca, t, n, ac FROM unnest($1::text[], $2::text[], $3::text[],
                   $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                   $11::timestamptz[], $12::text[], $13::text[]) WITH ORDINALITY
                   AS l(e, c, k, p, a, pe, d, o, r, ca, t, n, ac, i)
            ORDER BY i""";
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
    private static final String RECORD_TIERS = """
            INSERT INTO customer_tier (customer_id, effective_at, tier)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[]) ON CONFLICT DO NOTHING""";
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
                    "customer_tier.customer_id", "points_api_request.customer_id")
            .map(column -> column.split("\\."))
            .map(c -> "UPDATE " + c[0] + " t SET " + c[1] + " = p.pseudonym FROM unnest($1::text[], $2::text[]) "
                    + "AS p(customer_id, pseudonym) WHERE t." + c[1] + " = p.customer_id")
            .toList();
    /** The API's attempt counters are keyed {@code action:customer}. */
    private static final String FORGET_ATTEMPTS = """
            DELETE FROM api_attempt WHERE substr(attempt_key, strpos(attempt_key, ':') + 1) = ANY($1::text[])""";

    private final PointsPolicy policy;

    public PointsStore(PointsPolicy policy) {
        this.policy = policy;
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
        return tx.preparedQuery(LOCK_ACCOUNTS).execute(Tuple.tuple().addArrayOfString(distinctKeys(customerIds)))
                .map(PointsStore::accounts);
    }

    /** Locks the accounts no one else holds right now; another replica's job takes the others. */
    public Uni<Map<String, PointsAccount>> lockAccountsNotInUse(SqlConnection tx, Collection<String> customerIds) {
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
        return writeAccounts(tx, UPDATE_ACCOUNTS, accounts);
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
        return writeAccounts(tx, INSERT_ACCOUNTS, inserted).flatMap(x -> writeAccounts(tx, UPDATE_ACCOUNTS, updated));
    }

    private Uni<Void> writeAccounts(SqlConnection tx, String statement, Collection<PointsAccount> accounts) {
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = accounts.size();
        String[] ids = new String[n];
        Long[] available = new Long[n];
        Long[] pending = new Long[n];
        Long[] debt = new Long[n];
        Long[] lifetime = new Long[n];
        OffsetDateTime[] activity = new OffsetDateTime[n];
        String[] referredBy = new String[n];
        Boolean[] registered = new Boolean[n];
        Boolean[] hasOrdered = new Boolean[n];
        OffsetDateTime[] expiresAt = new OffsetDateTime[n];
        OffsetDateTime[] warnedFor = new OffsetDateTime[n];
        int i = 0;
        for (PointsAccount account : accounts) {
            ids[i] = account.customerId();
            available[i] = account.available();
            pending[i] = account.pending();
            debt[i] = account.debt();
            lifetime[i] = account.lifetimeEarned();
            activity[i] = timestamp(account.lastActivityAt());
            referredBy[i] = account.referredBy();
            registered[i] = account.isRegistered();
            hasOrdered[i] = account.hasOrdered();
            expiresAt[i] = timestamp(account.expiresAt(policy));
            warnedFor[i] = timestamp(account.expiryWarnedFor());
            i++;
        }
        return tx.preparedQuery(statement).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfLong(available)
                        .addArrayOfLong(pending).addArrayOfLong(debt).addArrayOfLong(lifetime)
                        .addArrayOfOffsetDateTime(activity).addArrayOfString(referredBy).addArrayOfBoolean(registered)
                        .addArrayOfBoolean(hasOrdered).addArrayOfOffsetDateTime(expiresAt)
                        .addArrayOfOffsetDateTime(warnedFor))
                .replaceWithVoid();
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
            chain = chain.flatMap(x -> tx.preparedQuery(statement).execute(renames).replaceWithVoid());
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
                        row.getString("earning_tier")));
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
        return writeOrders(tx, INSERT_ORDERS, inserted).flatMap(x -> writeOrders(tx, UPDATE_ORDERS, updated));
    }

    private static Uni<Void> writeOrders(SqlConnection tx, String statement, List<OrderPoints> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = orders.size();
        String[] ids = new String[n];
        String[] customers = new String[n];
        Boolean[] placed = new Boolean[n];
        String[] currencies = new String[n];
        BigDecimal[] merchandise = new BigDecimal[n];
        Long[] earned = new Long[n];
        Long[] reversed = new Long[n];
        BigDecimal[] refunded = new BigDecimal[n];
        Long[] redeemed = new Long[n];
        Long[] redemptionRefunded = new Long[n];
        OffsetDateTime[] placedAt = new OffsetDateTime[n];
        OffsetDateTime[] deliveredAt = new OffsetDateTime[n];
        OffsetDateTime[] releaseAt = new OffsetDateTime[n];
        Boolean[] released = new Boolean[n];
        Boolean[] cancelled = new Boolean[n];
        Boolean[] reviewRewarded = new Boolean[n];
        BigDecimal[] earningBase = new BigDecimal[n];
        String[] earningTier = new String[n];
        int i = 0;
        for (OrderPoints order : orders) {
            ids[i] = order.orderId();
            customers[i] = order.customerId();
            placed[i] = order.isPlaced();
            currencies[i] = order.currency();
            merchandise[i] = order.merchandiseValue();
            earned[i] = order.earned();
            reversed[i] = order.reversed();
            refunded[i] = order.refundedValue();
            redeemed[i] = order.redeemed();
            redemptionRefunded[i] = order.redemptionRefunded();
            placedAt[i] = timestamp(order.placedAt());
            deliveredAt[i] = timestamp(order.deliveredAt());
            releaseAt[i] = timestamp(order.releaseAt());
            released[i] = order.isReleased();
            cancelled[i] = order.isCancelled();
            reviewRewarded[i] = order.isReviewRewarded();
            earningBase[i] = order.earningBase();
            earningTier[i] = order.earningTier();
            i++;
        }
        return tx.preparedQuery(statement).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(customers)
                        .addArrayOfBoolean(placed).addArrayOfString(currencies).addArrayOfBigDecimal(merchandise)
                        .addArrayOfLong(earned).addArrayOfLong(reversed).addArrayOfBigDecimal(refunded)
                        .addArrayOfLong(redeemed).addArrayOfLong(redemptionRefunded)
                        .addArrayOfOffsetDateTime(placedAt).addArrayOfOffsetDateTime(deliveredAt)
                        .addArrayOfOffsetDateTime(releaseAt).addArrayOfBoolean(released)
                        .addArrayOfBoolean(cancelled).addArrayOfBoolean(reviewRewarded)
                        .addArrayOfBigDecimal(earningBase).addArrayOfString(earningTier))
                .replaceWithVoid();
    }

    public Uni<Void> appendLedger(SqlConnection tx, List<LedgerEntry> entries, String actor) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = entries.size();
        String[] ids = new String[n];
        String[] customers = new String[n];
        String[] kinds = new String[n];
        Long[] points = new Long[n];
        Long[] available = new Long[n];
        Long[] pending = new Long[n];
        Long[] debt = new Long[n];
        String[] orders = new String[n];
        String[] rules = new String[n];
        String[] causes = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] notes = new String[n];
        String[] actors = new String[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry entry = entries.get(i);
            ids[i] = entry.entryId();
            customers[i] = entry.customerId();
            kinds[i] = entry.kind().name();
            points[i] = entry.points();
            available[i] = entry.availableAfter();
            pending[i] = entry.pendingAfter();
            debt[i] = entry.debtAfter();
            orders[i] = entry.orderId();
            rules[i] = entry.rule();
            causes[i] = entry.causeEventId();
            occurred[i] = timestamp(entry.occurredAt());
            notes[i] = entry.note();
            actors[i] = actor;
        }
        return tx.preparedQuery(APPEND_LEDGER).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(customers)
                        .addArrayOfString(kinds).addArrayOfLong(points).addArrayOfLong(available)
                        .addArrayOfLong(pending).addArrayOfLong(debt).addArrayOfString(orders)
                        .addArrayOfString(rules).addArrayOfString(causes).addArrayOfOffsetDateTime(occurred)
                        .addArrayOfString(notes).addArrayOfString(actors))
                .replaceWithVoid();
    }

    public Uni<Void> recordTiers(SqlConnection tx, List<TierAssignment> assignments) {
        if (assignments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(RECORD_TIERS).execute(Tuple.tuple()
                        .addArrayOfString(assignments.stream().map(TierAssignment::customerId).toArray(String[]::new))
                        .addArrayOfOffsetDateTime(assignments.stream().map(a -> timestamp(a.effectiveAt()))
                                .toArray(OffsetDateTime[]::new))
                        .addArrayOfString(assignments.stream().map(TierAssignment::tier).toArray(String[]::new)))
                .replaceWithVoid();
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
                instant(row, "occurred_at"), row.getString("note"));
    }

    /** Accounts a transaction holds: the rows it locked ({@code stored}) and the accounts it opened in memory. */
    public record LockedAccounts(Map<String, PointsAccount> byCustomer, Set<String> stored) {

        public LockedAccounts plus(LockedAccounts more) {
            Map<String, PointsAccount> all = new HashMap<>(byCustomer);
            all.putAll(more.byCustomer);
            Set<String> allStored = new HashSet<>(stored);
            allStored.addAll(more.stored);
            return new LockedAccounts(all, allStored);
        }

        /** The accounts {@code touched} changed and those opened: what goes back to the table. */
        public Collection<PointsAccount> toWrite(Map<String, PointsAccount> touched) {
            Map<String, PointsAccount> written = new LinkedHashMap<>(touched);
            byCustomer.forEach((id, account) -> {
                if (!stored.contains(id)) {
                    written.putIfAbsent(id, account);
                }
            });
            return written.values();
        }
    }

    /** A tier in force for a customer from {@code effectiveAt}. */
    public record TierAssignment(String customerId, Instant effectiveAt, String tier) {
    }

}
