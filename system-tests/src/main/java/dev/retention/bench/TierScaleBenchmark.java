package dev.retention.bench;

import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of tier-service's re-evaluation job follows the customers that are due, not all customers: with
 * 1,000,000 customers of whom 10,000 have their oldest qualifying spend leaving the window now, it reports the time
 * the running service takes to re-evaluate them and the rows PostgreSQL read and wrote in its tables meanwhile.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.TierScaleBenchmark} (options {@code --customers=1000000 --due=10000}).
 */
public final class TierScaleBenchmark {

    private static final String TABLE_STATS = """
            SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0), n_tup_upd, n_tup_ins
            FROM pg_stat_user_tables WHERE relname IN ('tier_status', 'tier_order') ORDER BY relname""";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        Path root = Path.of(options.getOrDefault("root", "."));
        int customers = Integer.parseInt(options.getOrDefault("customers", "1000000"));
        int due = Integer.parseInt(options.getOrDefault("due", "10000"));
        try (KafkaBroker broker = KafkaBroker.builder().build().start();
             TestDatabase database = TestDatabase.create("bench_tiers");
             ServiceProcess service = ServiceProcess.start(root, "tier-service", ServiceProcess.jvmOptions("256m"), broker,
                     database, Map.of("RETENTION_TIERS_JOBS_EVERY", "1s"));
             Connection connection = database.connect();
             Statement sql = connection.createStatement()) {
            Benchmarks.log("tier-service ready; loading %,d customers, %,d of them due", customers, due);
            load(sql, customers, due);
            sql.execute("SELECT pg_stat_reset()");
            long started = System.nanoTime();
            // Make exactly the due rows due now; this update is the benchmark's, not the job's (the report says so).
            sql.execute("UPDATE tier_status SET next_evaluation_at = now() - interval '1 second' "
                    + "WHERE customer_id IN (SELECT 'c-' || g FROM generate_series(1, " + due + ") g)");
            long deadline = started + Duration.ofMinutes(10).toNanos();
            long updated = 0;
            while (updated < 2L * due && System.nanoTime() < deadline) {
                Thread.sleep(200);
                updated = statValue(sql, "tier_status", 6);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(1500); // let the last statistics arrive
            Benchmarks.publish(root, "tier-scale-benchmark.md", report(sql, customers, due, seconds, due));
        }
        System.exit(0);
    }

    private static void load(Statement sql, int customers, int due) throws Exception {
        long started = System.nanoTime();
        // Every customer silver on one order; the due ones placed it a year and a day ago, so it leaves the window.
        sql.execute("""
                INSERT INTO tier_order (order_id, customer_id, placed, placed_at, value)
                SELECT 'o-' || g, 'c-' || g, true,
                       CASE WHEN g <= %1$d THEN now() - interval '366 days' ELSE now() - (g %% 300) * interval '1 day' END,
                       600
                FROM generate_series(1, %2$d) g""".formatted(due, customers));
        sql.execute("""
                INSERT INTO tier_status (customer_id, tier, since, qualifying_spend, next_evaluation_at)
                SELECT 'c-' || g, 'silver', now() - interval '400 days', 600,
                       CASE WHEN g <= %1$d THEN now() + interval '1 hour' ELSE now() + (65 + g %% 300) * interval '1 day' END
                FROM generate_series(1, %2$d) g""".formatted(due, customers));
        sql.execute("ANALYZE tier_status");
        sql.execute("ANALYZE tier_order");
        Benchmarks.log("loaded in %.1f s", (System.nanoTime() - started) / 1e9);
    }

    private static String report(Statement sql, int customers, int due, double seconds, long benchmarkUpdates)
            throws Exception {
        StringBuilder rows = new StringBuilder();
        try (ResultSet stats = sql.executeQuery(TABLE_STATS)) {
            while (stats.next()) {
                long updates = stats.getLong(6) - (stats.getString(1).equals("tier_status") ? benchmarkUpdates : 0);
                rows.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d |%n", stats.getString(1),
                        stats.getLong(2), stats.getLong(3), stats.getLong(4), stats.getLong(5), updates));
            }
        }
        long belowThreshold;
        try (ResultSet count = sql.executeQuery("SELECT count(*) FROM tier_status WHERE below_since IS NOT NULL")) {
            count.next();
            belowThreshold = count.getLong(1);
        }
        return String.format(Locale.ROOT, """
                ## tier-service re-evaluation at scale (%s, %d cores)

                %,d customers, %,d of them due (their only order leaves the 365-day window now). The running
                service's job re-evaluated them in **%.1f s**; %,d customers are now in their grace period.

                Rows PostgreSQL touched in the tier tables while the job ran (pg_stat_user_tables; the benchmark's
                own single seq scan of tier_status to mark the due rows is included):

                | table | seq scans | rows read by seq scans | index scans | rows fetched by index | rows updated by the job |
                |---|---:|---:|---:|---:|---:|
                %s""", Instant.now(), Runtime.getRuntime().availableProcessors(), customers, due, seconds,
                belowThreshold, rows);
    }

    private static long statValue(Statement sql, String table, int column) throws Exception {
        try (ResultSet stats = sql.executeQuery(TABLE_STATS)) {
            while (stats.next()) {
                if (stats.getString(1).equals(table)) {
                    return stats.getLong(column);
                }
            }
        }
        return 0;
    }
}
