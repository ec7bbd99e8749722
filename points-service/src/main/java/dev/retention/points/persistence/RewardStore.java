package dev.retention.points.persistence;

import dev.retention.eventing.ColumnBinder;
import dev.retention.points.domain.RewardRedemption;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.retention.eventing.SqlValues.distinctKeys;
import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/**
 * The rewards' tables: stock taken per reward and the redemptions. Writers hold the customer's account lock first
 * and lock stock rows after it (in key order), as every writer of the ledger does, so they cannot deadlock.
 */
public final class RewardStore {

    static final ColumnBinder<RewardRedemption> REDEMPTIONS = ColumnBinder.<RewardRedemption>builder()
            .text("redemption_id", RewardRedemption::redemptionId)
            .text("customer_id", RewardRedemption::customerId)
            .text("reward_id", RewardRedemption::rewardId)
            .text("reward_name", RewardRedemption::rewardName)
            .bigint("points", RewardRedemption::points)
            .text("entry_id", RewardRedemption::entryId)
            .integer("programme_version", RewardRedemption::programmeVersion)
            .text("currency", RewardRedemption::currency)
            .text("requested_by", RewardRedemption::requestedBy)
            .text("status", r -> r.status().name())
            .text("reason", RewardRedemption::reason)
            .text("detail", RewardRedemption::detail)
            .text("trigger_id", RewardRedemption::triggerId)
            .text("voucher_code", RewardRedemption::voucherCode)
            .timestamptz("requested_at", RewardRedemption::requestedAt)
            .timestamptz("settled_at", RewardRedemption::settledAt)
            .build();
    private static final String INSERT = REDEMPTIONS.insertInto("reward_redemption");
    /** Only the outcome changes: status, reason, the trigger and code, when. */
    private static final String SAVE_OUTCOMES = """
            UPDATE reward_redemption t SET status = u.status, reason = u.reason, detail = u.detail,
                   trigger_id = u.trigger_id, voucher_code = u.voucher_code, settled_at = u.settled_at
            FROM %s WHERE t.redemption_id = u.redemption_id""".formatted(REDEMPTIONS.unnestAs("u"));
    private static final String LOCK = "SELECT %s FROM reward_redemption WHERE redemption_id = ANY($1::text[]) "
            .formatted(REDEMPTIONS.names()) + "ORDER BY redemption_id FOR UPDATE";
    private static final String OWNERS = """
            SELECT redemption_id, customer_id FROM reward_redemption WHERE redemption_id = ANY($1::text[])""";
    private static final String READ = "SELECT %s FROM reward_redemption WHERE redemption_id = $1"
            .formatted(REDEMPTIONS.names());
    private static final String OF_CUSTOMER = """
            SELECT %s FROM reward_redemption WHERE customer_id = $1 ORDER BY requested_at DESC, redemption_id
            LIMIT $2""".formatted(REDEMPTIONS.names());
    /** Per reward, the customer's redemptions since its limit's period started (null: ever); refunds do not count. */
    private static final String REDEEMED_SINCE = """
            SELECT k.reward_id, count(r.redemption_id) AS redeemed
            FROM unnest($2::text[], $3::timestamptz[]) AS k(reward_id, since)
            JOIN reward_redemption r ON r.customer_id = $1 AND r.reward_id = k.reward_id
                                    AND (k.since IS NULL OR r.requested_at >= k.since) AND r.status <> 'REFUNDED'
            GROUP BY k.reward_id""";
    private static final String TAKEN = "SELECT reward_id, taken FROM reward_stock WHERE reward_id = ANY($1::text[])";
    private static final String OPEN_STOCK = "INSERT INTO reward_stock (reward_id) VALUES ($1) ON CONFLICT DO NOTHING";
    /** Waits for a concurrent redemption's commit on the row, then checks the count again: never more than $2. */
    private static final String TAKE_STOCK = "UPDATE reward_stock SET taken = taken + 1 WHERE reward_id = $1 AND taken < $2";
    private static final String LOCK_STOCK = """
            SELECT reward_id FROM reward_stock WHERE reward_id = ANY($1::text[]) ORDER BY reward_id FOR UPDATE""";
    private static final String RETURN_STOCK = """
            UPDATE reward_stock s SET taken = greatest(s.taken - g.n, 0)
            FROM (SELECT reward_id, count(*) AS n FROM unnest($1::text[]) AS u(reward_id) GROUP BY reward_id) g
            WHERE s.reward_id = g.reward_id""";
    private static final String TIER_AT = """
            SELECT tier FROM customer_tier WHERE customer_id = $1 AND effective_at <= $2
            ORDER BY effective_at DESC LIMIT 1""";

    public Uni<Void> insert(SqlConnection tx, RewardRedemption redemption) {
        return tx.preparedQuery(INSERT).execute(REDEMPTIONS.arrays(List.of(redemption))).replaceWithVoid();
    }

    public Uni<RewardRedemption> redemption(SqlClient client, String redemptionId) {
        return client.preparedQuery(READ).execute(Tuple.of(redemptionId))
                .map(rows -> rows.size() == 0 ? null : redemption(rows.iterator().next()));
    }

    /** The customer's redemptions, newest first. */
    public Uni<List<RewardRedemption>> redemptionsOf(SqlClient client, String customerId, int limit) {
        return client.preparedQuery(OF_CUSTOMER).execute(Tuple.of(customerId, limit)).map(rows -> {
            List<RewardRedemption> found = new ArrayList<>();
            rows.forEach(row -> found.add(redemption(row)));
            return found;
        });
    }

    /** Who each known redemption belongs to now (an erasure renames it): a plain read, to lock their accounts. */
    public Uni<Map<String, String>> owners(SqlConnection tx, Collection<String> redemptionIds) {
        if (redemptionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(OWNERS).execute(Tuple.tuple().addArrayOfString(distinctKeys(redemptionIds)))
                .map(rows -> {
                    Map<String, String> owners = new HashMap<>();
                    rows.forEach(row -> owners.put(row.getString("redemption_id"), row.getString("customer_id")));
                    return owners;
                });
    }

    /** Locks the redemptions that exist (after their customers' accounts). */
    public Uni<Map<String, RewardRedemption>> lock(SqlConnection tx, Collection<String> redemptionIds) {
        if (redemptionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery(LOCK).execute(Tuple.tuple().addArrayOfString(distinctKeys(redemptionIds)))
                .map(rows -> {
                    Map<String, RewardRedemption> locked = new HashMap<>();
                    rows.forEach(row -> locked.put(row.getString("redemption_id"), redemption(row)));
                    return locked;
                });
    }

    public Uni<Void> saveOutcomes(SqlConnection tx, Collection<RewardRedemption> settled) {
        if (settled.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_OUTCOMES).execute(REDEMPTIONS.arrays(settled)).replaceWithVoid();
    }

    /** Per reward asked for, the customer's redemptions in its limit's current period (since; null: ever). */
    public Uni<Map<String, Long>> redeemedSince(SqlClient client, String customerId, Map<String, Instant> since) {
        if (since.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> rewards = new ArrayList<>(since.keySet());
        OffsetDateTime[] times = rewards.stream().map(since::get).map(t -> t == null ? null : timestamp(t))
                .toArray(OffsetDateTime[]::new);
        return client.preparedQuery(REDEEMED_SINCE).execute(Tuple.of(customerId)
                        .addArrayOfString(rewards.toArray(String[]::new)).addArrayOfOffsetDateTime(times))
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(row.getString("reward_id"), row.getLong("redeemed")));
                    return counts;
                });
    }

    /** How many of each reward were taken across versions; a reward never taken has no entry. */
    public Uni<Map<String, Long>> taken(SqlClient client, Collection<String> rewardIds) {
        if (rewardIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(TAKEN).execute(Tuple.tuple().addArrayOfString(distinctKeys(rewardIds)))
                .map(rows -> {
                    Map<String, Long> taken = new HashMap<>();
                    rows.forEach(row -> taken.put(row.getString("reward_id"), row.getLong("taken")));
                    return taken;
                });
    }

    /** Takes one of the reward if fewer than {@code stock} are taken; false: sold out. */
    public Uni<Boolean> take(SqlConnection tx, String rewardId, long stock) {
        return tx.preparedQuery(OPEN_STOCK).execute(Tuple.of(rewardId))
                .chain(() -> tx.preparedQuery(TAKE_STOCK).execute(Tuple.of(rewardId, stock)))
                .map(updated -> updated.rowCount() == 1);
    }

    /** Gives back one taken per id listed (a reward listed twice gets two back), locking the rows in key order. */
    public Uni<Void> giveBack(SqlConnection tx, List<String> rewardIds) {
        if (rewardIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(LOCK_STOCK).execute(Tuple.tuple().addArrayOfString(sortedKeys(rewardIds)))
                .chain(() -> tx.preparedQuery(RETURN_STOCK)
                        .execute(Tuple.tuple().addArrayOfString(rewardIds.toArray(String[]::new))))
                .replaceWithVoid();
    }

    /** The customer's tier at a time, as tier-service last announced it; null: none recorded. */
    public Uni<String> tierAt(SqlClient client, String customerId, Instant at) {
        return client.preparedQuery(TIER_AT).execute(Tuple.of(customerId, timestamp(at)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("tier"));
    }

    private static RewardRedemption redemption(Row row) {
        return new RewardRedemption(row.getString("redemption_id"), row.getString("customer_id"),
                row.getString("reward_id"), row.getString("reward_name"), row.getLong("points"),
                row.getString("entry_id"), row.getInteger("programme_version"), row.getString("currency"),
                row.getString("requested_by"),
                RewardRedemption.Status.valueOf(row.getString("status")), row.getString("reason"),
                row.getString("detail"), row.getString("trigger_id"), row.getString("voucher_code"),
                instant(row, "requested_at"), instant(row, "settled_at"));
    }
}
