package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.TriggerOutcome;
import dev.retention.campaigns.domain.TriggerRecord;
import dev.retention.campaigns.domain.TriggerRequest;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** The trigger log (once-only, frequency cap, holdout record) and the vouchers. */
@ApplicationScoped
public class TriggerStore {

    private static final String LOGGED = """
            SELECT t.trigger_type, t.dedupe_key FROM trigger_log t
            JOIN unnest($1::text[], $2::text[]) AS k(trigger_type, dedupe_key)
              ON t.trigger_type = k.trigger_type AND t.dedupe_key = k.dedupe_key""";
    private static final String FIRED_SINCE = """
            SELECT customer_id, count(*) AS fired FROM trigger_log
            WHERE customer_id = ANY($1::text[]) AND fired_at > $2 AND marketing AND outcome = 'FIRED'
            GROUP BY customer_id""";
    private static final String LOG = """
            INSERT INTO trigger_log (trigger_id, trigger_type, dedupe_key, customer_id, campaign_id, marketing, outcome,
                   reason, source_event_id, order_id, voucher_code, fired_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[],
                                 $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
            ON CONFLICT (trigger_type, dedupe_key) DO NOTHING RETURNING trigger_id""";
    private static final String VOUCHER_COLUMNS = """
            code, customer_id, trigger_id, campaign_id, value, percent_off, free_gift_sku, currency,
            minimum_order_value, free_shipping, issued_at, expires_at, redeemed_at, redeemed_order_id""";
    private static final String INSERT_VOUCHERS = "INSERT INTO voucher (" + VOUCHER_COLUMNS + """
            ) SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::numeric[], $6::numeric[],
                                 $7::text[], $8::text[], $9::numeric[], $10::boolean[], $11::timestamptz[],
                                 $12::timestamptz[], $13::timestamptz[], $14::text[])""";
    private static final String VOUCHERS_OF = "SELECT " + VOUCHER_COLUMNS
            + " FROM voucher WHERE customer_id = $1 ORDER BY issued_at DESC, code LIMIT $2";
    private static final String LOCK_VOUCHER = "SELECT " + VOUCHER_COLUMNS + " FROM voucher WHERE code = $1 FOR UPDATE";
    private static final String REDEEM = """
            UPDATE voucher SET redeemed_at = $2, redeemed_order_id = $3 WHERE code = $1 AND redeemed_at IS NULL""";
    private static final String TRIGGERS_OF = """
            SELECT trigger_id, trigger_type, campaign_id, outcome, reason, source_event_id, order_id, voucher_code,
                   fired_at FROM trigger_log WHERE customer_id = $1 ORDER BY fired_at DESC, trigger_id LIMIT $2""";

    /** A trigger as logged, with what became of it. */
    public record LoggedTrigger(String triggerId, TriggerRequest request, TriggerOutcome outcome, String voucherCode,
                                Instant firedAt) {
    }

    /** Which of the requests' (type, dedupe key) pairs are already in the log. */
    public Uni<Set<String>> alreadyLogged(SqlConnection tx, List<TriggerRequest> requests) {
        if (requests.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] types = requests.stream().map(r -> r.type().wireName()).toArray(String[]::new);
        String[] keys = requests.stream().map(TriggerRequest::dedupeKey).toArray(String[]::new);
        return tx.preparedQuery(LOGGED).execute(Tuple.tuple().addArrayOfString(types).addArrayOfString(keys))
                .map(rows -> {
                    Set<String> logged = new HashSet<>();
                    rows.forEach(row -> logged.add(row.getString("trigger_type") + "\u0000" + row.getString("dedupe_key")));
                    return logged;
                });
    }

    /** Marketing triggers fired per customer since {@code since}. */
    public Uni<Map<String, Integer>> firedSince(SqlConnection tx, Collection<String> customerIds, Instant since) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(FIRED_SINCE).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds))
                .addOffsetDateTime(timestamp(since))).map(rows -> {
                    Map<String, Integer> fired = new HashMap<>();
                    rows.forEach(row -> fired.put(row.getString("customer_id"), row.getLong("fired").intValue()));
                    return fired;
                });
    }

    /** Logs the triggers; returns the ids of those that were new (a concurrent writer may have logged one first). */
    public Uni<Set<String>> log(SqlConnection tx, List<LoggedTrigger> triggers) {
        if (triggers.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = triggers.size();
        UUID[] ids = new UUID[n];
        String[] types = new String[n], keys = new String[n], customers = new String[n], campaigns = new String[n],
                outcomes = new String[n], reasons = new String[n], sources = new String[n], orders = new String[n],
                codes = new String[n];
        Boolean[] marketing = new Boolean[n];
        OffsetDateTime[] firedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            LoggedTrigger t = triggers.get(i);
            ids[i] = UUID.fromString(t.triggerId());
            types[i] = t.request().type().wireName();
            keys[i] = t.request().dedupeKey();
            customers[i] = t.request().customerId();
            campaigns[i] = t.request().campaignId();
            marketing[i] = t.request().marketing();
            outcomes[i] = t.outcome().name();
            reasons[i] = t.request().reason();
            sources[i] = t.request().sourceEventId();
            orders[i] = t.request().orderId();
            codes[i] = t.voucherCode();
            firedAt[i] = timestamp(t.firedAt());
        }
        return tx.preparedQuery(LOG).execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(types)
                .addArrayOfString(keys).addArrayOfString(customers).addArrayOfString(campaigns)
                .addArrayOfBoolean(marketing).addArrayOfString(outcomes).addArrayOfString(reasons)
                .addArrayOfString(sources).addArrayOfString(orders).addArrayOfString(codes)
                .addArrayOfOffsetDateTime(firedAt)).map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    rows.forEach(row -> inserted.add(row.getUUID("trigger_id").toString()));
                    return inserted;
                });
    }

    public Uni<Void> insertVouchers(SqlConnection tx, List<IssuedVoucher> vouchers) {
        if (vouchers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = vouchers.size();
        String[] codes = new String[n], customers = new String[n], campaigns = new String[n], gifts = new String[n],
                currencies = new String[n], redeemedOrders = new String[n];
        UUID[] triggers = new UUID[n];
        BigDecimal[] values = new BigDecimal[n], percents = new BigDecimal[n], minimums = new BigDecimal[n];
        Boolean[] freeShipping = new Boolean[n];
        OffsetDateTime[] issued = new OffsetDateTime[n], expires = new OffsetDateTime[n], redeemed = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            IssuedVoucher v = vouchers.get(i);
            codes[i] = v.code();
            customers[i] = v.customerId();
            triggers[i] = UUID.fromString(v.triggerId());
            campaigns[i] = v.campaignId();
            values[i] = v.value();
            percents[i] = v.percentOff();
            gifts[i] = v.freeGiftSku();
            currencies[i] = v.currency();
            minimums[i] = v.minimumOrderValue();
            freeShipping[i] = v.freeShipping();
            issued[i] = timestamp(v.issuedAt());
            expires[i] = timestamp(v.expiresAt());
            redeemed[i] = timestamp(v.redeemedAt());
            redeemedOrders[i] = v.redeemedOrderId();
        }
        return tx.preparedQuery(INSERT_VOUCHERS).execute(Tuple.tuple().addArrayOfString(codes)
                .addArrayOfString(customers).addArrayOfUUID(triggers).addArrayOfString(campaigns)
                .addArrayOfBigDecimal(values).addArrayOfBigDecimal(percents).addArrayOfString(gifts)
                .addArrayOfString(currencies).addArrayOfBigDecimal(minimums).addArrayOfBoolean(freeShipping)
                .addArrayOfOffsetDateTime(issued).addArrayOfOffsetDateTime(expires).addArrayOfOffsetDateTime(redeemed)
                .addArrayOfString(redeemedOrders)).replaceWithVoid();
    }

    public Uni<List<IssuedVoucher>> vouchersOf(SqlClient client, String customerId, int limit) {
        return client.preparedQuery(VOUCHERS_OF).execute(Tuple.of(customerId, limit)).map(rows -> {
            List<IssuedVoucher> vouchers = new ArrayList<>();
            rows.forEach(row -> vouchers.add(voucher(row)));
            return vouchers;
        });
    }

    public Uni<Optional<IssuedVoucher>> lockVoucher(SqlConnection tx, String code) {
        return tx.preparedQuery(LOCK_VOUCHER).execute(Tuple.of(code)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(voucher(it.next())) : Optional.<IssuedVoucher>empty();
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
        String currency = row.getString("currency");
        BigDecimal percentOff = row.getBigDecimal("percent_off");
        return new IssuedVoucher(row.getString("code"), row.getString("customer_id"),
                row.getUUID("trigger_id").toString(), row.getString("campaign_id"),
                inMinorUnits(row.getBigDecimal("value"), currency),
                percentOff == null ? null : new BigDecimal(percentOff.stripTrailingZeros().toPlainString()),
                row.getString("free_gift_sku"), currency,
                inMinorUnits(row.getBigDecimal("minimum_order_value"), currency), row.getBoolean("free_shipping"),
                instant(row, "issued_at"), instant(row, "expires_at"), instant(row, "redeemed_at"),
                row.getString("redeemed_order_id"));
    }

    /** numeric(19,4) comes back as 10.0000; on the wire it is 10.00 for EUR. */
    private static BigDecimal inMinorUnits(BigDecimal amount, String currency) {
        return amount == null ? null
                : amount.setScale(java.util.Currency.getInstance(currency).getDefaultFractionDigits(),
                        java.math.RoundingMode.UNNECESSARY);
    }
}
