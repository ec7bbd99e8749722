package dev.retention.bench;

import dev.retention.testsupport.PostgresCluster;
import dev.retention.testsupport.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;

/**
 * Where PostgreSQL's time goes in a benchmark: a cluster of the benchmark's own with {@code pg_stat_statements},
 * reset after the warm-up, and a table of the statements that took most of the time, per event measured.
 */
final class StatementProfile implements AutoCloseable {

    private final PostgresCluster cluster;

    private StatementProfile(PostgresCluster cluster) {
        this.cluster = cluster;
    }

    static StatementProfile start(Path root) {
        return new StatementProfile(PostgresCluster.create(root.resolve("system-tests/target"), false, List.of(
                "shared_preload_libraries = 'pg_stat_statements'", "pg_stat_statements.track = 'all'",
                "shared_buffers = 128MB")));
    }

    TestDatabase createDatabase(String prefix) throws Exception {
        TestDatabase database = cluster.createDatabase(prefix);
        try (Connection connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("CREATE EXTENSION pg_stat_statements");
        }
        return database;
    }

    /** Forgets what the whole cluster counted so far (the warm-up's statements), through any of its databases. */
    void resetAll(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The statements on the database by total time, with their time per event ({@code events} measured). */
    String report(TestDatabase database, long events) throws Exception {
        return report(database, events, "### PostgreSQL statements while measuring");
    }

    /** As {@link #report(TestDatabase, long)}, under a heading of the caller's. */
    String report(TestDatabase database, long events, String heading) throws Exception {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """

                %s (pg_stat_statements, %,d events)

                | statement | calls | rows | total ms | µs per event | mean ms |
                |---|---:|---:|---:|---:|---:|
                """, heading, events));
        double total = 0;
        try (Connection connection = database.connect();
             ResultSet rows = connection.createStatement().executeQuery("""
                     SELECT regexp_replace(query, '\\s+', ' ', 'g'), calls, rows, total_exec_time
                     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                     WHERE d.datname = current_database() ORDER BY total_exec_time DESC""")) {
            int shown = 0;
            while (rows.next()) {
                double milliseconds = rows.getDouble(4);
                total += milliseconds;
                if (shown++ < 15) {
                    String query = rows.getString(1);
                    table.append(String.format(Locale.ROOT, "| `%s` | %,d | %,d | %,.0f | %.1f | %.3f |%n",
                            query.length() > 110 ? query.substring(0, 110) + "…" : query, rows.getLong(2),
                            rows.getLong(3), milliseconds, milliseconds * 1000 / events,
                            milliseconds / Math.max(1, rows.getLong(2))));
                }
            }
        }
        return table.append(String.format(Locale.ROOT, "| all statements | | | %,.0f | %.1f | |%n", total,
                total * 1000 / events)).toString();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
