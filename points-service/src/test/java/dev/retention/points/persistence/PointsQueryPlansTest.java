package dev.retention.points.persistence;

import dev.retention.points.domain.PointsRules;
import dev.retention.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch reads that look up a few hundred customers probe indexes, also on tables PostgreSQL has no statistics
 * for (a table autovacuum has not analysed yet, or a server without autovacuum): without statistics, a plain
 * {@code = ANY} or a join was planned as a scan of the whole table, on every batch.
 */
class PointsQueryPlansTest {

    private static final String KIT_SESSION_SETTING = "quarkus.datasource.reactive.additional-properties.";
    private static final int STORED_CUSTOMERS = 50_000;
    private static final int LOOKED_UP = 300;

    private static TestDatabase database;
    private static Connection connection;

    @BeforeAll
    static void fillTablesWithoutStatistics() throws Exception {
        database = TestDatabase.create("points_plans");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/eventing", "classpath:db/migration").outOfOrder(true).load().migrate();
        connection = database.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO customer_tier (customer_id, effective_at, tier)
                    SELECT 'c-' || n, timestamptz '2026-01-01' + n * interval '1 second', 'silver'
                    FROM generate_series(1, %d) n""".formatted(STORED_CUSTOMERS));
            statement.execute("""
                    INSERT INTO points_order (order_id, customer_id, placed, currency, merchandise_value, earned,
                                              placed_at)
                    SELECT 'o-' || n, 'c-' || (n %% %d + 1), true, 'EUR', 10, 10,
                           timestamptz '2026-01-01' + n * interval '1 second'
                    FROM generate_series(1, %d) n""".formatted(STORED_CUSTOMERS, 2 * STORED_CUSTOMERS));
            statement.execute("""
                    INSERT INTO points_ledger (entry_id, customer_id, kind, points, available_after, pending_after,
                                               debt_after, order_id, rule, cause_event_id, occurred_at)
                    SELECT 'e-' || n, 'c-' || (n %% %d + 1), 'EARNED', 10, 0, 10, 0, 'o-' || n, '%s', 'event-' || n,
                           timestamptz '2026-01-01' + n * interval '1 second'
                    FROM generate_series(1, %d) n"""
                    .formatted(STORED_CUSTOMERS, PointsRules.ORDER_EARNING,
                            2 * STORED_CUSTOMERS));
            for (String setting : kitSessionSettings()) {
                statement.execute(setting);
            }
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        connection.close();
        database.close();
    }

    @Test
    void tierHistoriesProbeTheTierTablePerCustomer() throws SQLException {
        String plan = explain(PointsStore.LOAD_TIERS, "text[]", customerArray());

        assertThat(plan).doesNotContain("Seq Scan on customer_tier").contains("customer_tier_pkey");
    }

    @Test
    void ordersPlacedSinceATierChangeProbeTheLedgerPerCustomer() throws SQLException {
        String since = "'{" + String.join(",", Collections.nCopies(LOOKED_UP, "2026-01-02T00:00:00Z")) + "}'";
        String plan = explain(PointsStore.ORDERS_PLACED_SINCE, "text[], timestamptz[]",
                customerArray() + ", " + since);

        assertThat(plan).doesNotContain("Seq Scan on points_ledger").doesNotContain("Seq Scan on points_order")
                .contains("points_ledger_by_customer");
    }

    /** The plan PostgreSQL makes for the statement with these arguments, as the services' connections plan it. */
    private static String explain(String sql, String parameterTypes, String arguments) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DEALLOCATE ALL");
            statement.execute("PREPARE checked(" + parameterTypes + ") AS " + sql);
            StringJoiner plan = new StringJoiner("\n");
            try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE checked(" + arguments + ")")) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
            return plan.toString();
        }
    }

    /** Every 150th stored customer, so that the keys are spread over the whole table. */
    private static String customerArray() {
        StringJoiner ids = new StringJoiner(",", "'{", "}'");
        IntStream.range(0, LOOKED_UP).forEach(i -> ids.add("c-" + (i * (STORED_CUSTOMERS / LOOKED_UP) + 1)));
        return ids.toString();
    }

    /** The session settings the eventing kit gives every service connection (its microprofile-config.properties). */
    private static List<String> kitSessionSettings() throws IOException {
        Properties kit = new Properties();
        URL defaults = Collections.list(PointsQueryPlansTest.class.getClassLoader()
                        .getResources("META-INF/microprofile-config.properties")).stream()
                .filter(url -> url.toString().contains("eventing")).findFirst().orElseThrow();
        try (InputStream in = defaults.openStream()) {
            kit.load(in);
        }
        List<String> settings = kit.stringPropertyNames().stream()
                .filter(key -> key.startsWith(KIT_SESSION_SETTING))
                .map(key -> "SET " + key.substring(KIT_SESSION_SETTING.length()) + " = " + kit.getProperty(key))
                .toList();
        assertThat(settings).isNotEmpty();
        return settings;
    }
}
