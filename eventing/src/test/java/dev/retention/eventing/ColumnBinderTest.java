package dev.retention.eventing;

import dev.retention.testsupport.TestDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statements a binder builds, and generated rows written with them and read back from a real PostgreSQL. */
class ColumnBinderTest {

    record Item(String id, Boolean active, Integer count, Long total, BigDecimal price, LocalDate day, Instant at,
                String ref) {
    }

    private static final ColumnBinder<Item> ITEMS = ColumnBinder.<Item>builder()
            .text("id", Item::id).bool("active", Item::active).integer("count", Item::count)
            .bigint("total", Item::total).numeric("price", Item::price).date("day", Item::day)
            .timestamptz("at", Item::at)
            .uuid("ref", Item::ref)
            .build();

    @Test
    void theStatementsNameEveryColumnOnceInTheOrderOfTheParameters() {
        assertThat(ITEMS.names()).isEqualTo("id, active, count, total, price, day, at, ref");
        assertThat(ITEMS.namesWithout("count", "at")).isEqualTo("id, active, total, price, day, ref");
        assertThat(ITEMS.unnest()).isEqualTo(
                "unnest($1::text[], $2::boolean[], $3::int[], $4::bigint[], $5::numeric[], $6::date[], $7::timestamptz[], "
                        + "$8::uuid[])");
        assertThat(ITEMS.unnest(3)).startsWith("unnest($3::text[], $4::boolean[]").endsWith("$10::uuid[])");
        assertThat(ITEMS.insertInto("item")).isEqualTo("INSERT INTO item (" + ITEMS.names() + ") SELECT * FROM "
                + ITEMS.unnest());
        assertThat(ITEMS.updateByKey("item", "id")).isEqualTo("UPDATE item t SET active = u.active, count = u.count, "
                + "total = u.total, price = u.price, day = u.day, at = u.at, ref = u.ref FROM " + ITEMS.unnest()
                + " AS u(" + ITEMS.names() + ") WHERE t.id = u.id");
    }

    @Test
    void aColumnNamedTwiceIsRefusedWhenTheBinderIsBuilt() {
        assertThatThrownBy(() -> ColumnBinder.<Item>builder().text("id", Item::id).text("id", Item::id))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    }

    @Test
    void generatedRowsAreInsertedUpdatedAndReadBackAsTheyWere() {
        Random random = new Random(31);
        List<Item> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(item("item-" + i, random));
        }
        Vertx vertx = Vertx.vertx();
        try (TestDatabase database = TestDatabase.create("column_binder")) {
            Pool pool = PgBuilder.pool().connectingTo(database.reactiveUrl() + "?user=" + database.username()
                    + (database.password() == null ? "" : "&password=" + database.password())).using(vertx).build();
            pool.query("""
                    CREATE TABLE item (id text PRIMARY KEY, active boolean, count int, total bigint, price numeric,
                                       day date, at timestamptz, ref uuid)""").execute().await().atMost(Duration.ofSeconds(30));

            pool.preparedQuery(ITEMS.insertInto("item")).execute(ITEMS.arrays(rows)).await().atMost(Duration.ofSeconds(30));
            assertThat(readAll(pool)).containsExactlyInAnyOrderElementsOf(rows);

            List<Item> changed = rows.stream().map(row -> item(row.id(), random)).toList();
            pool.preparedQuery(ITEMS.updateByKey("item", "id")).execute(ITEMS.arrays(changed))
                    .await().atMost(Duration.ofSeconds(30));
            assertThat(readAll(pool)).containsExactlyInAnyOrderElementsOf(changed);

            // Parameters before the arrays: the binder numbers its own after them.
            Tuple parameters = ITEMS.addArrays(Tuple.of(true), changed);
            long active = pool.preparedQuery("SELECT count(*) FROM " + ITEMS.unnest(2) + " AS u(" + ITEMS.names()
                            + ") WHERE u.active = $1").execute(parameters).await().atMost(Duration.ofSeconds(30))
                    .iterator().next().getLong(0);
            assertThat(active).isEqualTo(changed.stream().filter(row -> Boolean.TRUE.equals(row.active())).count());
            pool.close().await().atMost(Duration.ofSeconds(30));
        } finally {
            vertx.close().await().atMost(Duration.ofSeconds(30));
        }
    }

    /** Any value of each type, null included; a time at microsecond precision, as PostgreSQL keeps it. */
    private static Item item(String id, Random random) {
        return new Item(id,
                random.nextInt(5) == 0 ? null : random.nextBoolean(),
                random.nextInt(5) == 0 ? null : random.nextInt(),
                random.nextInt(5) == 0 ? null : random.nextLong(),
                random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextLong(), random.nextInt(6)),
                random.nextInt(5) == 0 ? null : LocalDate.ofEpochDay(random.nextInt(40_000) - 10_000),
                random.nextInt(5) == 0 ? null : Instant.ofEpochSecond(random.nextInt(2_000_000_000),
                        random.nextInt(1_000_000) * 1_000L),
                random.nextInt(5) == 0 ? null : new UUID(random.nextLong(), random.nextLong()).toString());
    }

    private static List<Item> readAll(Pool pool) {
        List<Item> items = new ArrayList<>();
        for (Row row : pool.query("SELECT " + ITEMS.names() + " FROM item").execute().await()
                .atMost(Duration.ofSeconds(30))) {
            items.add(new Item(row.getString("id"), row.getBoolean("active"), row.getInteger("count"),
                    row.getLong("total"), row.getBigDecimal("price"), row.getLocalDate("day"),
                    SqlValues.instant(row, "at"), row.getUUID("ref") == null ? null : row.getUUID("ref").toString()));
        }
        return items;
    }
}
