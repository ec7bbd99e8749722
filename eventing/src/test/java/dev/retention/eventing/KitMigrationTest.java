package dev.retention.eventing;

import dev.retention.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit's migrations on a database where a service's own migrations ran already, as on every upgrade: the kit's
 * versions 0.2 and 0.3 sort below them and are applied all the same, and leave what pods of the previous version use
 * as it was, so that they keep working during a rolling upgrade.
 */
class KitMigrationTest {

    @Test
    void theKitsLaterVersionsAreAppliedAfterAServiceMigrationAndKeepThePreviousOutbox() throws Exception {
        try (TestDatabase database = TestDatabase.create("kit_migration")) {
            // The kit at 0.1, then the service's V1: a database as the previous version of the platform left it.
            flyway(database, "0.1", "db/eventing").migrate();
            Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                    .locations("db/migration").ignoreMigrationPatterns("*:missing").load().migrate();
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("""
                        INSERT INTO eventing_inbox (event_id) VALUES ('e-1');
                        INSERT INTO eventing_outbox (message_id, topic, message_key, payload)
                        VALUES ('m-1', 'loyalty.points', 'c-1', 'first'),
                               ('m-2', 'loyalty.points', 'c-1', 'second')""");
            }

            assertThat(flyway(database, "latest", "db/eventing", "db/migration").migrate().migrationsExecuted)
                    .isEqualTo(3);

            assertThat(single(database, "SELECT string_agg(message_id, ',' ORDER BY seq) FROM eventing_outbox"))
                    .as("the previous version's outbox keeps its records for the relay").isEqualTo("m-1,m-2");
            assertThat(single(database, "SELECT count(*) FROM eventing_outbox_batch")).isEqualTo("0");
            assertThat(single(database, "SELECT event_id FROM eventing_inbox")).isEqualTo("e-1");
            // 0.4: no programme versions until the service reads retention.programme; the baseline applies.
            assertThat(single(database, "SELECT count(*) FROM eventing_programme")).isEqualTo("0");
            assertThat(single(database, """
                    SELECT collation_name FROM information_schema.columns
                    WHERE table_name = 'eventing_inbox' AND column_name = 'event_id'""")).isEqualTo("C");
            assertThat(single(database, """
                    SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam
                    WHERE c.relname = 'eventing_inbox_applied_at'""")).isEqualTo("brin");
            // 0.3: LZ4 where the server has it; otherwise the payloads stay uncompressed, as 0.2 stored them.
            boolean lz4 = single(database, """
                    SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'""")
                    .equals("t");
            assertThat(single(database, """
                    SELECT attcompression::text || attstorage::text FROM pg_attribute
                    WHERE attrelid = 'eventing_outbox_batch'::regclass AND attname = 'payloads'"""))
                    .isEqualTo(lz4 ? "lx" : "e");
        }
    }

    private static Flyway flyway(TestDatabase database, String target, String... locations) {
        return Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations(locations).target(target).outOfOrder(true).load();
    }

    private static String single(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
