package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.PoolCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.retention.eventing.SqlValues.timestamp;

/**
 * The partner code pools (V9, {@code code_pool} and {@code pool_code}). Every writer of a pool's codes (an upload, a
 * claim) first locks the pool's row, so no code is handed out twice and an upload's counts are exact. On the
 * reactive SQL client, not Hibernate Reactive: a claim runs in the consumer batch's transaction, on its connection,
 * with the trigger log and the outbox, which a Hibernate session of its own could not join. The codes are never
 * logged.
 */
@ApplicationScoped
public class CodePoolStore {

    private static final String LOCK_POOL = "SELECT low_threshold FROM code_pool WHERE pool_id = $1 FOR UPDATE";
    private static final String OPEN_POOL = """
            INSERT INTO code_pool (pool_id, low_threshold, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (pool_id) DO NOTHING""";
    private static final String SET_THRESHOLD = "UPDATE code_pool SET low_threshold = $2 WHERE pool_id = $1";
    private static final String CLAIMED_BY = """
            SELECT claimed_by, code FROM pool_code WHERE claimed_by = ANY($1::text[])""";
    /** The first unclaimed codes in upload order, one for each redemption in the array's order. */
    private static final String CLAIM = """
            WITH free AS (
                SELECT code, row_number() OVER (ORDER BY position) AS n
                FROM (SELECT code, position FROM pool_code WHERE pool_id = $1 AND claimed_by IS NULL
                      ORDER BY position LIMIT $3) first_free
            ), wanted AS (
                SELECT redemption, n FROM unnest($2::text[]) WITH ORDINALITY AS w(redemption, n)
            )
            UPDATE pool_code p SET claimed_by = wanted.redemption, claimed_at = $4
            FROM free JOIN wanted USING (n)
            WHERE p.pool_id = $1 AND p.code = free.code
            RETURNING p.claimed_by, p.code""";
    private static final String ADD_CODES = """
            INSERT INTO pool_code (pool_id, code) SELECT $1, c FROM unnest($2::text[]) WITH ORDINALITY AS u(c, n)
            ORDER BY n ON CONFLICT (pool_id, code) DO NOTHING""";
    private static final String COUNTS = """
            SELECT p.pool_id, p.low_threshold,
                   count(c.code) FILTER (WHERE c.code IS NOT NULL AND c.claimed_by IS NULL) AS available,
                   count(c.claimed_by) AS claimed
            FROM code_pool p LEFT JOIN pool_code c ON c.pool_id = p.pool_id
            WHERE $1::text IS NULL OR p.pool_id = $1
            GROUP BY p.pool_id, p.low_threshold ORDER BY p.pool_id""";

    /**
     * Only what the gauges need, every minute on every replica: the unclaimed codes, counted through the partial index
     * of unclaimed codes (the claimed ones, which only grow, are not read).
     */
    private static final String AVAILABLE = """
            SELECT p.pool_id, p.low_threshold,
                   (SELECT count(*) FROM pool_code c WHERE c.pool_id = p.pool_id AND c.claimed_by IS NULL) AS available
            FROM code_pool p ORDER BY p.pool_id""";

    /**
     * Claims one code of the pool for each redemption, in their order, under the pool's lock; a redemption that
     * claimed one before gets the same. Returns the code of each redemption that got one: the others found the pool
     * empty (or unknown).
     */
    public Uni<Map<String, String>> claim(SqlConnection tx, String poolId, List<String> redemptionIds, Instant now) {
        Map<String, String> codes = new HashMap<>();
        return tx.preparedQuery(LOCK_POOL).execute(Tuple.of(poolId)).chain(pool -> {
            if (pool.rowCount() == 0) {
                return Uni.createFrom().item(codes);
            }
            return tx.preparedQuery(CLAIMED_BY).execute(Tuple.tuple().addArrayOfString(
                            redemptionIds.toArray(String[]::new)))
                    .invoke(rows -> rows.forEach(row -> codes.put(row.getString("claimed_by"), row.getString("code"))))
                    .chain(() -> {
                        String[] wanted = redemptionIds.stream().filter(id -> !codes.containsKey(id))
                                .toArray(String[]::new);
                        if (wanted.length == 0) {
                            return Uni.createFrom().item(codes);
                        }
                        return tx.preparedQuery(CLAIM).execute(Tuple.tuple().addString(poolId)
                                        .addArrayOfString(wanted).addInteger(wanted.length)
                                        .addOffsetDateTime(timestamp(now)))
                                .map(rows -> {
                                    rows.forEach(row -> codes.put(row.getString("claimed_by"),
                                            row.getString("code")));
                                    return codes;
                                });
                    });
        });
    }

    /**
     * Opens the pool if new (with {@code lowThreshold}, or {@code defaultThreshold}), sets its threshold when one is
     * given, locks it and adds the codes not in it yet. Returns how many were added.
     */
    public Uni<Integer> add(SqlConnection tx, String poolId, List<String> codes, Integer lowThreshold,
                            int defaultThreshold, Instant now) {
        return tx.preparedQuery(OPEN_POOL).execute(Tuple.of(poolId, lowThreshold != null ? lowThreshold
                        : defaultThreshold, timestamp(now)))
                .chain(() -> tx.preparedQuery(LOCK_POOL).execute(Tuple.of(poolId)))
                .chain(() -> lowThreshold == null ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(SET_THRESHOLD).execute(Tuple.of(poolId, lowThreshold)).replaceWithVoid())
                .chain(() -> codes.isEmpty() ? Uni.createFrom().item(0)
                        : tx.preparedQuery(ADD_CODES).execute(Tuple.tuple().addString(poolId)
                                .addArrayOfString(codes.toArray(String[]::new))).map(rows -> rows.rowCount()));
    }

    /** Every pool's figures, by pool id. */
    public Uni<List<PoolCounts>> counts(SqlClient client) {
        return client.preparedQuery(COUNTS).execute(Tuple.tuple().addString(null)).map(CodePoolStore::counts);
    }

    public Uni<Optional<PoolCounts>> counts(SqlClient client, String poolId) {
        return client.preparedQuery(COUNTS).execute(Tuple.of(poolId))
                .map(rows -> counts(rows).stream().findFirst());
    }

    /** Every pool's unclaimed codes and threshold, by pool id ({@code claimed} is not counted: -1). */
    public Uni<List<PoolCounts>> available(SqlClient client) {
        return client.preparedQuery(AVAILABLE).execute().map(rows -> {
            List<PoolCounts> levels = new ArrayList<>();
            for (Row row : rows) {
                levels.add(new PoolCounts(row.getString("pool_id"), row.getLong("available"), -1,
                        row.getInteger("low_threshold")));
            }
            return levels;
        });
    }

    private static List<PoolCounts> counts(Iterable<Row> rows) {
        List<PoolCounts> counts = new ArrayList<>();
        for (Row row : rows) {
            counts.add(new PoolCounts(row.getString("pool_id"), row.getLong("available"), row.getLong("claimed"),
                    row.getInteger("low_threshold")));
        }
        return counts;
    }
}
