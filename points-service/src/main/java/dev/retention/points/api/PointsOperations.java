package dev.retention.points.api;

import dev.retention.contracts.events.Violations;
import dev.retention.eventing.EventOutbox;
import dev.retention.eventing.api.AttemptLimiter;
import dev.retention.points.config.PointsConfig;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicy;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.domain.RedemptionRequest;
import dev.retention.points.persistence.PointsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static dev.retention.points.messaging.PointsEvents.toEvents;

/** The API's reads and writes. Writes are idempotent on the client's key and publish through the outbox. */
@ApplicationScoped
public class PointsOperations {

    private static final String LEDGER_PAGE = """
            SELECT seq, entry_id, customer_id, kind, points, available_after, pending_after, debt_after, order_id, rule,
                   cause_event_id, occurred_at, note
            FROM points_ledger WHERE customer_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3""";
    private static final String CLAIM_KEY = """
            INSERT INTO points_api_request (customer_id, operation, idempotency_key, fingerprint, entry_id)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""";
    private static final String EARLIER_REQUEST = """
            SELECT r.fingerprint, l.entry_id, l.customer_id, l.kind, l.points, l.available_after, l.pending_after,
                   l.debt_after, l.order_id, l.rule, l.cause_event_id, l.occurred_at, l.note
            FROM points_api_request r JOIN points_ledger l ON l.entry_id = r.entry_id
            WHERE r.customer_id = $1 AND r.operation = $2 AND r.idempotency_key = $3""";

    private final Pool pool;
    private final PointsRules rules;
    private final PointsStore store;
    private final EventOutbox outbox;
    private final Clock clock;
    private final AttemptLimiter redemptionAttempts;

    public PointsOperations(Pool pool, PointsRules rules, PointsStore store, EventOutbox outbox, Clock clock,
                            PointsConfig config) {
        this.pool = pool;
        this.rules = rules;
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
        this.redemptionAttempts = new AttemptLimiter(pool, clock, config.redemption().attemptsPerCustomer(),
                config.redemption().attemptWindow());
    }

    public Uni<PointsViews.Balance> balance(String customerId) {
        return store.account(pool, customerId).map(account -> {
            if (account == null) {
                throw new ApiProblems.CustomerNotFound(customerId);
            }
            return new PointsViews.Balance(customerId, account.available(), account.pending(), account.debt(),
                    account.lifetimeEarned(), expiringSoon(account));
        });
    }

    private PointsViews.ExpiringSoon expiringSoon(PointsAccount account) {
        PointsPolicy policy = rules.policy();
        Instant expiresAt = account.expiresAt(policy);
        if (expiresAt == null || clock.instant().isBefore(expiresAt.minus(policy.expiryWarning()))) {
            return null;
        }
        return new PointsViews.ExpiringSoon(account.available(), expiresAt.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    public Uni<PointsViews.LedgerPage> ledger(String customerId, Long before, int limit) {
        return balance(customerId).flatMap(exists -> pool.preparedQuery(LEDGER_PAGE)
                .execute(Tuple.of(customerId, before == null ? Long.MAX_VALUE : before, limit + 1))
                .map(rows -> {
                    List<Row> page = new java.util.ArrayList<>();
                    rows.forEach(page::add);
                    boolean more = page.size() > limit;
                    List<Row> shown = more ? page.subList(0, limit) : page;
                    return new PointsViews.LedgerPage(
                            shown.stream().map(PointsStore::ledgerEntry).map(PointsViews.Entry::of).toList(),
                            more ? shown.get(shown.size() - 1).getLong("seq") : null);
                }));
    }

    public Uni<Outcome> redeem(String customerId, String idempotencyKey, PointsViews.RedemptionBody body) {
        BigDecimal orderValue = body.orderValue() == null ? null : new BigDecimal(body.orderValue().amount());
        String currency = body.orderValue() == null ? null : body.orderValue().currency();
        if (currency != null && !Violations.isListedCurrency(currency)) {
            throw new ApiProblems.BadRequest("orderValue.currency: unknown ISO 4217 currency '" + currency + "'");
        }
        RedemptionRequest request = new RedemptionRequest(body.points(), body.orderId(), orderValue, currency);
        String fingerprint = "points=" + body.points() + "|order=" + body.orderId() + "|value="
                + (orderValue == null ? "" : orderValue.stripTrailingZeros().toPlainString() + " " + currency);
        // Counted before anything else: a refused redemption is an attempt too.
        return redemptionAttempts.attempt("points-redemption", List.of("customer:" + customerId)).flatMap(allowed ->
                write(customerId, "redemption", idempotencyKey, fingerprint, PointsRules.API_REDEMPTION, null,
                // Accounts before orders, as the consumer locks them, so the two never deadlock.
                (tx, cause) -> store.lockAccounts(tx, List.of(customerId)).flatMap(accounts -> {
                    PointsAccount account = account(accounts, customerId);
                    return lockOrder(tx, body.orderId(), customerId).map(order -> new Change(account, order.order(),
                            order.stored(), rules.redeem(account, order.order(), request, cause, clock.instant())));
                })));
    }

    public Uni<Outcome> adjust(String customerId, String idempotencyKey, PointsViews.AdjustmentBody body,
                               String actor) {
        String fingerprint = "points=" + body.points() + "|reason=" + body.reason();
        return write(customerId, "adjustment", idempotencyKey, fingerprint, PointsRules.MANUAL_ADJUSTMENT, actor,
                (tx, cause) -> store.lockAccounts(tx, List.of(customerId))
                        .map(accounts -> new Change(account(accounts, customerId), null, false,
                                rules.adjust(account(accounts, customerId), body.points(), body.reason(), cause,
                                        clock.instant()))));
    }

    private Uni<Outcome> write(String customerId, String operation, String key, String fingerprint, String rule,
                               String actor, BiFunction<SqlConnection, String, Uni<Change>> change) {
        String cause = "api:" + operation + ":" + customerId + ":" + key;
        String entryId = PointsRules.entryId(cause, rule, customerId);
        return pool.withTransaction(tx -> tx.preparedQuery(CLAIM_KEY)
                        .execute(Tuple.of(customerId, operation, key, fingerprint, entryId))
                        .flatMap(claimed -> claimed.rowCount() == 1
                                ? change.apply(tx, cause).flatMap(applied -> save(tx, applied, actor))
                                : replay(tx, customerId, operation, key, fingerprint)))
                .invoke(outcome -> {
                    if (!outcome.replayed()) {
                        outbox.committed();
                    }
                });
    }

    private Uni<Outcome> save(SqlConnection tx, Change change, String actor) {
        List<LedgerEntry> entries = List.of(change.entry());
        return store.saveAccounts(tx, List.of(change.account()))
                .flatMap(x -> change.order() == null ? Uni.createFrom().voidItem()
                        : store.saveOrders(tx, List.of(change.order()),
                                change.orderStored() ? Set.of(change.order().orderId()) : Set.of()))
                .flatMap(x -> store.appendLedger(tx, entries, actor))
                .flatMap(x -> outbox.write(tx, toEvents(entries)))
                .replaceWith(new Outcome(change.entry(), false));
    }

    private Uni<Outcome> replay(SqlConnection tx, String customerId, String operation, String key,
                                String fingerprint) {
        return tx.preparedQuery(EARLIER_REQUEST).execute(Tuple.of(customerId, operation, key)).map(rows -> {
            Row row = rows.iterator().next();
            if (!row.getString("fingerprint").equals(fingerprint)) {
                throw new ApiProblems.IdempotencyKeyReused(key);
            }
            return new Outcome(PointsStore.ledgerEntry(row), true);
        });
    }

    private Uni<LockedOrder> lockOrder(SqlConnection tx, String orderId, String customerId) {
        if (orderId == null) {
            return Uni.createFrom().item(new LockedOrder(null, false));
        }
        return store.lockOrders(tx, List.of(orderId)).map(orders -> {
            OrderPoints stored = orders.get(orderId);
            OrderPoints order = stored == null ? OrderPoints.unknown(orderId, customerId) : stored;
            if (!order.customerId().equals(customerId)) {
                throw new ApiProblems.BadRequest("order " + orderId + " belongs to another customer");
            }
            return new LockedOrder(order, stored != null);
        });
    }

    private static PointsAccount account(Map<String, PointsAccount> accounts, String customerId) {
        PointsAccount account = accounts.get(customerId);
        if (account == null) {
            throw new ApiProblems.CustomerNotFound(customerId);
        }
        return account;
    }

    /** The ledger entry a write made (or made the first time, when {@code replayed}). */
    public record Outcome(LedgerEntry entry, boolean replayed) {
    }

    /** {@code orderStored}: the order has a row already (updated, not inserted). */
    private record Change(PointsAccount account, OrderPoints order, boolean orderStored, LedgerEntry entry) {
    }

    private record LockedOrder(OrderPoints order, boolean stored) {
    }
}
