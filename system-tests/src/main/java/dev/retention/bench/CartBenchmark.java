package dev.retention.bench;

import dev.retention.contracts.Topics;
import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cart reminders at scale, as a packaged campaign-service against the real broker and PostgreSQL on this machine:
 * {@code --carts} open carts (each of its own customer, with items, due within the next two days), of which
 * {@code --due} are made due at once; reports the time the running service's job takes to decide them all and the
 * rows PostgreSQL touched (pg_stat_user_tables), to show that the job's cost follows the due carts, not the open ones.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.CartBenchmark} (options {@code --carts=1000000 --due=10000}).
 */
public final class CartBenchmark {

    private static final String TABLE_STATS = """
            SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0), n_tup_upd,
                   n_tup_ins
            FROM pg_stat_user_tables WHERE relname IN ('campaign_cart', 'campaign_customer', 'trigger_log')
            ORDER BY relname""";
    private static final String LINES =
            "[{\"sku\":\"sku-red-shoe\",\"quantity\":1,\"unitPrice\":{\"amount\":\"79.90\",\"currency\":\"EUR\"}},"
                    + "{\"sku\":\"sku-socks\",\"quantity\":3,\"unitPrice\":{\"amount\":\"4.50\",\"currency\":\"EUR\"}}]";

    private final Path root;
    private final int carts;
    private final int due;
    private final List<String> serviceJvmOptions;

    private CartBenchmark(Map<String, String> options) {
        root = Path.of(options.getOrDefault("root", "."));
        carts = Integer.parseInt(options.getOrDefault("carts", "1000000"));
        due = Integer.parseInt(options.getOrDefault("due", "10000"));
        serviceJvmOptions = Benchmarks.serviceJvmOptions(options);
    }

    public static void main(String[] args) throws Exception {
        new CartBenchmark(Benchmarks.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().defaultPartitions(3).maxHeap("1g").build().start();
             TestDatabase database = TestDatabase.create("bench_carts");
             KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers())) {
            client.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS, Topics.CARTS,
                    Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS);
            List<String> jvmOptions = new ArrayList<>(ServiceProcess.jvmOptions("256m"));
            jvmOptions.addAll(serviceJvmOptions);
            try (ServiceProcess service = ServiceProcess.start(root, "campaign-service", jvmOptions, broker,
                    database, Map.of("RETENTION_CAMPAIGNS_JOBS_EVERY", "1s"));
                 Connection connection = database.connect();
                 Statement sql = connection.createStatement()) {
                Benchmarks.publish(root, "cart-benchmark.md", scan(sql));
            }
        }
    }

    private String scan(Statement sql) throws Exception {
        Benchmarks.log("loading %,d customers with an open cart each; %,d carts will be due", carts, due);
        long loading = System.nanoTime();
        sql.execute("""
                INSERT INTO campaign_customer (customer_id, profile_known, profile_event_id, time_zone,
                       marketing_consent, tier)
                SELECT 'c-' || g, true, 'p-' || g, 'Europe/Berlin', true, 'bronze'
                FROM generate_series(1, %d) g""".formatted(carts));
        // Every cart was changed lately and is due within the next two days: open, with items, none due yet.
        sql.execute("""
                INSERT INTO campaign_cart (cart_id, customer_id, state, lines, updated_at, last_activity_at, due_at,
                       step, update_event_id)
                SELECT 'cart-' || g, 'c-' || g, 'OPEN', '%s', now() - interval '1 hour', now() - interval '1 hour',
                       now() + interval '1 hour' + (g %% 48) * interval '1 hour', 0, 'u-' || g
                FROM generate_series(1, %d) g""".formatted(LINES, carts));
        sql.execute("ANALYZE campaign_customer");
        sql.execute("ANALYZE campaign_cart");
        Benchmarks.log("loaded in %.1f s", (System.nanoTime() - loading) / 1e9);

        sql.execute("SELECT pg_stat_reset()");
        Thread.sleep(1000);
        long started = System.nanoTime();
        // The benchmark makes a slice due now (its own statement, by primary key).
        sql.execute("UPDATE campaign_cart SET due_at = now() - interval '1 second' "
                + "WHERE cart_id IN (SELECT 'cart-' || g FROM generate_series(1, " + due + ") g)");
        long deadline = started + Duration.ofMinutes(5).toNanos();
        long logged = 0;
        while (logged < due && System.nanoTime() < deadline) {
            Thread.sleep(200);
            logged = count(sql, "SELECT count(*) FROM trigger_log WHERE trigger_type = 'cart-reminder'");
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (logged < due) {
            throw new IllegalStateException("only " + logged + " of " + due + " cart reminders within 5 minutes");
        }
        Thread.sleep(1500); // let the last statistics arrive
        long stillDue = count(sql, "SELECT count(*) FROM campaign_cart WHERE due_at <= now()");
        StringBuilder rows = new StringBuilder();
        try (ResultSet stats = sql.executeQuery(TABLE_STATS)) {
            while (stats.next()) {
                rows.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %,d |%n",
                        stats.getString(1), stats.getLong(2), stats.getLong(3), stats.getLong(4), stats.getLong(5),
                        stats.getLong(6), stats.getLong(7)));
            }
        }
        StringBuilder outcomes = new StringBuilder();
        try (ResultSet byOutcome = sql.executeQuery("SELECT dedupe_key LIKE '%:1', outcome, count(*) FROM trigger_log "
                + "WHERE trigger_type = 'cart-reminder' GROUP BY 1, 2 ORDER BY 1 DESC, 2")) {
            while (byOutcome.next()) {
                outcomes.append(String.format(Locale.ROOT, "| %s | %s | %,d |%n",
                        byOutcome.getBoolean(1) ? "1" : "2", byOutcome.getString(2), byOutcome.getLong(3)));
            }
        }
        return String.format(Locale.ROOT, """
                ## Cart reminder benchmark (%s, %d cores)

                %,d open carts (one per customer, with items), %,d of them made due at once; the running
                campaign-service's job (every second, chunks of 500) decided all %,d in **%.1f s**
                (%,.0f carts/s); carts still due afterwards: %,d.

                | step | outcome | count |
                |---|---|---:|
                %s
                Rows PostgreSQL touched while the job ran (pg_stat_user_tables; includes the benchmark's own update by
                primary key that made the slice due, %,d rows):

                | table | seq scans | rows read by seq scans | index scans | rows fetched by index | rows updated | rows inserted |
                |---|---:|---:|---:|---:|---:|---:|
                %s
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), carts, due, due, elapsed,
                due / elapsed, stillDue, outcomes, due, rows);
    }

    private static long count(Statement sql, String query) throws Exception {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
