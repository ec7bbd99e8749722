package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.PastTrigger;
import dev.retention.campaigns.domain.TriggerOutcome;
import dev.retention.campaigns.domain.TriggerRecord;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.ColumnBinder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** The trigger log (once-only, frequency cap, holdout record) and the vouchers. */
@ApplicationScoped
public class TriggerStore {

    /** A request's once-only key in the log. */
    private static final ColumnBinder<TriggerRequest> KEYS = ColumnBinder.<TriggerRequest>builder()
            .text("trigger_type", request -> request.type().wireName())
            .text("dedupe_key", TriggerRequest::dedupeKey)
            .build();
    private static final ColumnBinder<LoggedTrigger> LOG_COLUMNS = ColumnBinder.<LoggedTrigger>builder()
            .uuid("trigger_id", LoggedTrigger::triggerId)
            .text("trigger_type", trigger -> trigger.request().type().wireName())
            .text("dedupe_key", trigger -> trigger.request().dedupeKey())
            .text("customer_id", trigger -> trigger.request().customerId())
            .text("campaign_id", trigger -> trigger.request().campaignId())
            .bool("marketing", trigger -> trigger.request().marketing())
            .text("outcome", trigger -> trigger.outcome().name())
            .text("reason", trigger -> trigger.request().reason())
            .text("source_event_id", trigger -> trigger.request().sourceEventId())
            .text("order_id", trigger -> trigger.request().orderId())
            .text("voucher_code", LoggedTrigger::voucherCode)
            .timestamptz("fired_at", LoggedTrigger::firedAt)
            .timestamptz("business_time", trigger -> trigger.request().businessTime())
            .text("voucher_currency", trigger -> trigger.request().offer() == null ? null
                    : trigger.request().currency())
            .integer("batch_position", LoggedTrigger::position)
            .build();
    private static final ColumnBinder<IssuedVoucher> VOUCHERS = ColumnBinder.<IssuedVoucher>builder()
            .uuid("trigger_id", IssuedVoucher::triggerId)
            .text("code", IssuedVoucher::code)
            .text("customer_id", IssuedVoucher::customerId)
            .text("campaign_id", IssuedVoucher::campaignId)
            .numeric("value", IssuedVoucher::value)
            .numeric("percent_off", IssuedVoucher::percentOff)
            .text("free_gift_sku", IssuedVoucher::freeGiftSku)
            .text("currency", IssuedVoucher::currency)
            .numeric("minimum_order_value", IssuedVoucher::minimumOrderValue)
            .bool("free_shipping", IssuedVoucher::freeShipping)
            .timestamptz("issued_at", IssuedVoucher::issuedAt)
            .timestamptz("expires_at", IssuedVoucher::expiresAt)
            .timestamptz("redeemed_at", IssuedVoucher::redeemedAt)
            .text("redeemed_order_id", IssuedVoucher::redeemedOrderId)
            .numeric("maximum_discount", IssuedVoucher::maximumDiscount)
            .build();

    private static final String LOGGED = "SELECT t.trigger_type, t.dedupe_key FROM trigger_log t JOIN "
            + KEYS.unnestAs("k") + " ON t.trigger_type = k.trigger_type AND t.dedupe_key = k.dedupe_key";
    /** Index trigger_log_fired_marketing (V6). */
    private static final String FIRED_BETWEEN = """
            SELECT customer_id, business_time FROM trigger_log
            WHERE customer_id = ANY($1::text[]) AND business_time > $2 AND business_time <= $3
              AND marketing AND outcome = 'FIRED'""";
    private static final String LOG = LOG_COLUMNS.insertInto("trigger_log")
            + " ON CONFLICT (trigger_type, dedupe_key) DO NOTHING RETURNING trigger_id";
    private static final String INSERT_VOUCHERS = VOUCHERS.insertInto("voucher");
    private static final String VOUCHERS_OF = "SELECT " + VOUCHERS.names()
            + " FROM voucher WHERE customer_id = $1 ORDER BY issued_at DESC, code LIMIT $2";
    private static final String REDEEM = """
            UPDATE voucher SET redeemed_at = $2, redeemed_order_id = $3 WHERE code = $1 AND redeemed_at IS NULL""";
    private static final String TRIGGERS_OF = """
            SELECT trigger_id, trigger_type, campaign_id, outcome, reason, source_event_id, order_id, voucher_code,
                   fired_at FROM trigger_log WHERE customer_id = $1 ORDER BY fired_at DESC, trigger_id LIMIT $2""";

    private static final String HISTORY = """
            SELECT t.trigger_id, t.trigger_type, t.dedupe_key, t.customer_id, t.campaign_id, t.outcome, t.reason,
                   t.source_event_id, t.order_id, t.voucher_currency, t.business_time, t.fired_at,
                   v.code AS v_code, v.customer_id AS v_customer_id, v.trigger_id AS v_trigger_id,
                   v.campaign_id AS v_campaign_id, v.value AS v_value, v.percent_off AS v_percent_off,
                   v.free_gift_sku AS v_free_gift_sku, v.currency AS v_currency,
                   v.minimum_order_value AS v_minimum_order_value, v.free_shipping AS v_free_shipping,
                   v.issued_at AS v_issued_at, v.expires_at AS v_expires_at, v.redeemed_at AS v_redeemed_at,
                   v.redeemed_order_id AS v_redeemed_order_id, v.maximum_discount AS v_maximum_discount
            FROM trigger_log t LEFT JOIN voucher v ON v.code = t.voucher_code
            WHERE t.business_time >= $1 AND t.business_time < $4
              AND (t.business_time >= $2 AND t.business_time < $3
                   OR t.outcome = 'FIRED' AND t.fired_at <= (SELECT max(p.fired_at) FROM trigger_log p
                                                             WHERE p.business_time >= $2 AND p.business_time < $3)
                      AND (t.business_time < $2 OR t.voucher_code IS NOT NULL))
            ORDER BY t.fired_at, t.batch_position NULLS FIRST, t.trigger_id""";

    /**
     * A trigger as logged, with what became of it.
     *
     * @param position its place among the triggers decided in the same transaction
     */
    public record LoggedTrigger(String triggerId, TriggerRequest request, TriggerOutcome outcome, String voucherCode,
                                Instant firedAt, int position) {
    }

    /** Which of the requests' (type, dedupe key) pairs are already in the log. */
    public Uni<Set<String>> alreadyLogged(SqlConnection tx, List<TriggerRequest> requests) {
        if (requests.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(LOGGED).execute(KEYS.arrays(requests)).map(rows -> {
            Set<String> logged = new HashSet<>();
            rows.forEach(row -> logged.add(row.getString("trigger_type") + "\u0000" + row.getString("dedupe_key")));
            return logged;
        });
    }

    /**
     * The business times of each customer's fired marketing triggers in {@code (since, until]} (a handful each: the
     * cap keeps them few), so that each trigger counts those in the cap window of its own programme version.
     */
    public Uni<Map<String, List<Instant>>> firedBetween(SqlConnection tx, Collection<String> customerIds,
                                                        Instant since, Instant until) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(FIRED_BETWEEN).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds))
                .addOffsetDateTime(timestamp(since)).addOffsetDateTime(timestamp(until))).map(rows -> {
                    Map<String, List<Instant>> fired = new HashMap<>();
                    rows.forEach(row -> fired.computeIfAbsent(row.getString("customer_id"), id -> new ArrayList<>())
                            .add(instant(row, "business_time")));
                    return fired;
                });
    }

    private static final String OPEN_BUDGET_MONTH = """
            INSERT INTO voucher_budget_month (month) VALUES ($1) ON CONFLICT DO NOTHING""";
    private static final String LOCK_BUDGET_MONTH = """
            SELECT spent FROM voucher_budget_month WHERE month = $1 FOR UPDATE""";
    private static final String SPEND_BUDGET_MONTH = """
            INSERT INTO voucher_budget_month (month, spent) VALUES ($1, $2)
            ON CONFLICT (month) DO UPDATE SET spent = voucher_budget_month.spent + excluded.spent""";

    /**
     * The face value issued so far in each month (its first day), their rows locked until the transaction ends:
     * every transaction that issues vouchers takes them after its customers' locks and in month order (as
     * {@link #spendBudgetMonths} adds to them), so no two spend the same remainder and none waits in a circle.
     */
    public Uni<Map<LocalDate, BigDecimal>> lockBudgetMonths(SqlConnection tx, SortedSet<LocalDate> months) {
        Map<LocalDate, BigDecimal> spent = new HashMap<>();
        return Multi.createFrom().iterable(months)
                .onItem().transformToUniAndConcatenate(month -> tx.preparedQuery(OPEN_BUDGET_MONTH)
                        .execute(Tuple.of(month))
                        .chain(() -> tx.preparedQuery(LOCK_BUDGET_MONTH).execute(Tuple.of(month)))
                        .invoke(rows -> spent.put(month, rows.iterator().next().getBigDecimal("spent"))))
                .collect().last().replaceWith(spent);
    }

    /** Adds to each month's total, in month order (their rows locked from then until the transaction ends). */
    public Uni<Void> spendBudgetMonths(SqlConnection tx, SortedMap<LocalDate, BigDecimal> faceValueByMonth) {
        return Multi.createFrom().iterable(faceValueByMonth.entrySet())
                .filter(spend -> spend.getValue().signum() != 0)
                .onItem().transformToUniAndConcatenate(spend -> tx.preparedQuery(SPEND_BUDGET_MONTH)
                        .execute(Tuple.of(spend.getKey(), spend.getValue())))
                .collect().last().replaceWithVoid();
    }

    /** Logs the triggers; returns the ids of those that were new (a concurrent writer may have logged one first). */
    public Uni<Set<String>> log(SqlConnection tx, List<LoggedTrigger> triggers) {
        if (triggers.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(LOG).execute(LOG_COLUMNS.arrays(triggers)).map(rows -> {
            Set<String> inserted = new HashSet<>();
            rows.forEach(row -> inserted.add(row.getUUID("trigger_id").toString()));
            return inserted;
        });
    }

    public Uni<Void> insertVouchers(SqlConnection tx, List<IssuedVoucher> vouchers) {
        if (vouchers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(INSERT_VOUCHERS).execute(VOUCHERS.arrays(vouchers)).replaceWithVoid();
    }

    public Uni<List<IssuedVoucher>> vouchersOf(SqlClient client, String customerId, int limit) {
        return client.preparedQuery(VOUCHERS_OF).execute(Tuple.of(customerId, limit)).map(rows -> {
            List<IssuedVoucher> vouchers = new ArrayList<>();
            rows.forEach(row -> vouchers.add(voucher(row)));
            return vouchers;
        });
    }

    /** Marks it redeemed; false when it already was (the caller holds the row lock, so this is a safety net). */
    public Uni<Boolean> redeem(SqlConnection tx, IssuedVoucher redeemed) {
        return tx.preparedQuery(REDEEM).execute(Tuple.of(redeemed.code(), timestamp(redeemed.redeemedAt()),
                redeemed.redeemedOrderId())).map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<TriggerRecord>> triggersOf(SqlClient client, String customerId, int limit) {
        return client.preparedQuery(TRIGGERS_OF).execute(Tuple.of(customerId, limit)).map(rows -> {
            List<TriggerRecord> records = new ArrayList<>();
            for (Row row : rows) {
                records.add(new TriggerRecord(row.getUUID("trigger_id").toString(), row.getString("trigger_type"),
                        row.getString("campaign_id"), row.getString("outcome"), row.getString("reason"),
                        row.getString("source_event_id"), row.getString("order_id"), row.getString("voucher_code"),
                        instant(row, "fired_at")));
            }
            return records;
        });
    }

    private static IssuedVoucher voucher(Row row) {
        return voucher(row, "");
    }

    /** @param prefix of the voucher's columns in the row ({@code v_} where the trigger log's are unprefixed) */
    private static IssuedVoucher voucher(Row row, String prefix) {
        String currency = row.getString(prefix + "currency");
        BigDecimal percentOff = row.getBigDecimal(prefix + "percent_off");
        return new IssuedVoucher(row.getString(prefix + "code"), row.getString(prefix + "customer_id"),
                row.getUUID(prefix + "trigger_id").toString(), row.getString(prefix + "campaign_id"),
                inMinorUnits(row.getBigDecimal(prefix + "value"), currency),
                percentOff == null ? null : new BigDecimal(percentOff.stripTrailingZeros().toPlainString()),
                row.getString(prefix + "free_gift_sku"), currency,
                inMinorUnits(row.getBigDecimal(prefix + "minimum_order_value"), currency),
                row.getBoolean(prefix + "free_shipping"), instant(row, prefix + "issued_at"),
                instant(row, prefix + "expires_at"), instant(row, prefix + "redeemed_at"),
                row.getString(prefix + "redeemed_order_id"),
                inMinorUnits(row.getBigDecimal(prefix + "maximum_discount"), currency));
    }

    /**
     * The trigger log of the business times {@code [from, to)} with their vouchers, in the order the triggers were
     * decided ({@code fired_at}, then their place in the transaction), and with them what the cap and the budget of
     * those triggers counted when they were decided: the triggers that fired with business times from {@code since}
     * to {@code from}, and the vouchers issued for business times from {@code to} to {@code until}, each only if it
     * was decided no later than the last trigger of the period. One cursor in the caller's transaction,
     * {@code fetch} rows per round trip (indexes trigger_log_business_time, V6).
     */
    public Multi<PastTrigger> history(SqlConnection tx, Instant since, Instant from, Instant to, Instant until,
                                      int fetch) {
        return tx.prepare(HISTORY).onItem().transformToMulti(statement -> statement.createStream(fetch,
                        Tuple.of(timestamp(since), timestamp(from), timestamp(to), timestamp(until))).toMulti())
                .map(TriggerStore::pastTrigger);
    }

    private static PastTrigger pastTrigger(Row row) {
        return new PastTrigger(row.getUUID("trigger_id").toString(), PastTrigger.type(row.getString("trigger_type")),
                row.getString("dedupe_key"), row.getString("customer_id"), row.getString("campaign_id"),
                TriggerOutcome.valueOf(row.getString("outcome")), row.getString("reason"),
                row.getString("source_event_id"), row.getString("order_id"), row.getString("voucher_currency"),
                instant(row, "business_time"), instant(row, "fired_at"),
                row.getString("v_code") == null ? null : voucher(row, "v_"));
    }

    /** numeric(19,4) comes back as 10.0000; on the wire it is 10.00 for EUR. */
    private static BigDecimal inMinorUnits(BigDecimal amount, String currency) {
        return amount == null ? null
                : amount.setScale(java.util.Currency.getInstance(currency).getDefaultFractionDigits(),
                        java.math.RoundingMode.UNNECESSARY);
    }
    // ---- Vouchers at checkout (issue 33) ----

    /** A voucher with the type of the trigger that issued it, which its redemption reports (conversion). */
    public record CheckoutVoucher(IssuedVoucher voucher, TriggerType triggerType) {
    }

    /** The issuing trigger's type read by primary key; FOR UPDATE locks only the voucher rows. */
    private static final String CHECKOUT_VOUCHERS = "SELECT " + VOUCHERS.names()
            + ", (SELECT t.trigger_type FROM trigger_log t WHERE t.trigger_id = voucher.trigger_id) AS trigger_type"
            + " FROM voucher";
    private static final String READ_CHECKOUT_VOUCHER = CHECKOUT_VOUCHERS + " WHERE code = $1";
    /** In code order, so that two transactions locking several vouchers never wait in a circle. */
    private static final String LOCK_CHECKOUT_VOUCHERS = CHECKOUT_VOUCHERS
            + " WHERE code = ANY($1::text[]) OR redeemed_order_id = ANY($2::text[]) ORDER BY code FOR UPDATE";
    private static final String SAVE_REDEMPTIONS = """
            UPDATE voucher SET redeemed_at = u.redeemed_at, redeemed_order_id = u.redeemed_order_id
            FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS u(code, redeemed_at, redeemed_order_id)
            WHERE voucher.code = u.code""";

    /** The voucher {@code code} (normalized), unlocked: for a dry run. */
    public Uni<Optional<CheckoutVoucher>> checkoutVoucher(SqlClient client, String code) {
        return client.preparedQuery(READ_CHECKOUT_VOUCHER).execute(Tuple.of(code)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(checkoutVoucher(it.next())) : Optional.<CheckoutVoucher>empty();
        });
    }

    /**
     * Locks the vouchers with these (normalized) codes and those redeemed by these orders, until the transaction
     * ends; by code.
     */
    public Uni<Map<String, CheckoutVoucher>> lockCheckoutVouchers(SqlConnection tx, Collection<String> codes,
                                                                  Collection<String> redeemedByOrders) {
        return tx.preparedQuery(LOCK_CHECKOUT_VOUCHERS).execute(Tuple.of(sortedKeys(codes),
                sortedKeys(redeemedByOrders))).map(rows -> {
                    Map<String, CheckoutVoucher> vouchers = new java.util.LinkedHashMap<>();
                    rows.forEach(row -> vouchers.put(row.getString("code"), checkoutVoucher(row)));
                    return vouchers;
                });
    }

    /** A week: longer than any client retries a checkout; a refusal retried later is published again. */
    public static final java.time.Duration API_REJECTIONS_KEPT = java.time.Duration.ofDays(7);
    private static final String FIRST_API_REJECTION = """
            WITH purged AS (DELETE FROM voucher_api_rejection WHERE rejected_at < $3)
            INSERT INTO voucher_api_rejection (event_id, rejected_at) VALUES ($1, $2)
            ON CONFLICT (event_id) DO NOTHING""";

    /**
     * Records that the API refusal with this event id is published; false when it was already (a retried request).
     * Deletes the records older than {@link #API_REJECTIONS_KEPT} on the way.
     */
    public Uni<Boolean> firstApiRejection(SqlConnection tx, String eventId, Instant at) {
        return tx.preparedQuery(FIRST_API_REJECTION).execute(Tuple.of(eventId, timestamp(at),
                timestamp(at.minus(API_REJECTIONS_KEPT)))).map(rows -> rows.rowCount() == 1);
    }

    /** Writes the redemption columns (redeemed or released) of vouchers the caller has locked; one statement. */
    public Uni<Void> saveRedemptions(SqlConnection tx, Collection<IssuedVoucher> vouchers) {
        if (vouchers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> codes = new ArrayList<>();
        List<java.time.OffsetDateTime> redeemedAt = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (IssuedVoucher voucher : vouchers) {
            codes.add(voucher.code());
            redeemedAt.add(voucher.redeemedAt() == null ? null : timestamp(voucher.redeemedAt()));
            orders.add(voucher.redeemedOrderId());
        }
        return tx.preparedQuery(SAVE_REDEMPTIONS).execute(Tuple.of(codes.toArray(String[]::new),
                redeemedAt.toArray(java.time.OffsetDateTime[]::new), orders.toArray(String[]::new)))
                .replaceWithVoid();
    }

    private static CheckoutVoucher checkoutVoucher(Row row) {
        String type = row.getString("trigger_type");
        return new CheckoutVoucher(voucher(row), type == null ? null : PastTrigger.type(type));
    }
}
