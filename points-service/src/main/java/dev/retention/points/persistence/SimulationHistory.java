package dev.retention.points.persistence;

import dev.retention.points.domain.EarningSimulation.StoredBonus;
import dev.retention.points.domain.EarningSimulation.StoredOrder;
import dev.retention.points.domain.PointsRules;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.util.function.Consumer;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.timestamp;

/**
 * The history a simulation runs over, read once through a cursor in a read-only transaction: each customer's placed
 * orders in {@code placedAt} order, then their bonus entries. Rows are handed over a chunk at a time on a worker
 * thread, so a long simulation holds neither the event loop nor more than a few chunks in memory.
 */
public final class SimulationHistory {

    /** Rows per round trip: large enough that the round trips cost little next to the rules. */
    static final int CHUNK = 5_000;

    /**
     * $1 the first order time (the cap periods' warm-up), $2 the period's start, $3 its end, $4 the bonuses' rules.
     * One sort of both parts by customer: no index is needed (and none is written on the hot path for it).
     */
    static final String HISTORY = """
            SELECT customer_id, 0 AS kind, placed_at AS at, order_id, currency, merchandise_value, earning_tier, earned,
                   earning_facts, NULL::text AS rule, 0::bigint AS points
            FROM points_order WHERE placed AND placed_at >= $1 AND placed_at < $3
            UNION ALL
            SELECT customer_id, 1, occurred_at, NULL, NULL, NULL, NULL, NULL, NULL, rule, points
            FROM points_ledger WHERE rule = ANY($4::text[]) AND occurred_at >= $2 AND occurred_at < $3
            ORDER BY customer_id, kind, at, order_id""";

    /**
     * Reads the orders placed in {@code [firstOrder, to)} and the bonuses written in {@code [from, to)}, within the
     * caller's transaction {@code tx}, which it makes read-only.
     */
    public Uni<Void> read(SqlConnection tx, Instant firstOrder, Instant from, Instant to, Consumer<StoredOrder> orders,
                          Consumer<StoredBonus> bonuses) {
        Tuple arguments = Tuple.tuple().addOffsetDateTime(timestamp(firstOrder)).addOffsetDateTime(timestamp(from))
                .addOffsetDateTime(timestamp(to)).addArrayOfString(PointsRules.BONUSES.toArray(String[]::new));
        return tx.query("SET TRANSACTION READ ONLY").execute()
                // The sort of a million rows stays in memory instead of spilling to disk.
                .chain(() -> tx.query("SET LOCAL work_mem = '128MB'").execute())
                .chain(() -> tx.prepare(HISTORY))
                .chain(statement -> readAll(statement.cursor(arguments), orders, bonuses)
                        .eventually(statement::close));
    }

    private static Uni<Void> readAll(Cursor cursor, Consumer<StoredOrder> orders, Consumer<StoredBonus> bonuses) {
        // One chunk at a time: the next is read only once the worker has handled this one, so a database faster than
        // the rules never piles a million rows up in memory (emitOn alone requests without bound).
        return Multi.createBy().repeating().uni(() -> cursor.read(CHUNK)).whilst(rows -> cursor.hasMore())
                .onItem().transformToUniAndConcatenate(rows -> Uni.createFrom().item(rows)
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .invoke(chunk -> handOver(chunk, orders, bonuses)))
                .onItem().ignoreAsUni()
                .eventually(cursor::close);
    }

    private static void handOver(RowSet<Row> rows, Consumer<StoredOrder> orders, Consumer<StoredBonus> bonuses) {
        for (Row row : rows) {
            if (row.getInteger("kind") == 0) {
                orders.accept(new StoredOrder(row.getString("customer_id"), row.getString("order_id"),
                        instant(row, "at"), row.getString("currency"), row.getBigDecimal("merchandise_value"),
                        row.getString("earning_tier"), row.getLong("earned"),
                        OrderFactsJson.read(row.getString("earning_facts"))));
            } else {
                bonuses.accept(new StoredBonus(row.getString("customer_id"), row.getString("rule"),
                        instant(row, "at"), row.getLong("points")));
            }
        }
    }
}
