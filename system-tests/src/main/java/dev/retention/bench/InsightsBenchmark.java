package dev.retention.bench;

import dev.retention.contracts.Topics;
import dev.retention.contracts.events.TriggerType;
import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.Tokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * insights-service at the scale of issue 35: a shop of 1,000,000 customers and 10,000,000 events
 * ({@link InsightsShop}). In one run: the raw broker's produce and consume rates with the shop's own records; the
 * packaged service's consumer rate over a backlog of the stream's steady part, as a ratio to them, and its CPU (and
 * PostgreSQL's) per event; which statements PostgreSQL was busy with meanwhile (sampled from pg_stat_activity); then
 * the p50/p99 latency of every API query, JSON and CSV.
 *
 * <p>Feeding the whole stream through the service takes longer than a benchmark run may (10 minutes on the project's
 * 2 cores), so the service consumes the stream from its first steady round on, on top of a database that already
 * holds what the rounds before leave per customer: the customer rows, their orders and order months, their exposures
 * and sent markers, and as many inbox ids as those events. Those rows are written by SQL with the generator's own
 * formulas ({@link #loadHistory}); the aggregates (cells, counters, months) are not, since their size does not grow
 * with the customers and the measured events add to them as they would.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.InsightsBenchmark} (options {@code --customers=1000000 --events=10000000
 * --raw-events=500000 --raw-passes=3 --warmup=100000 --seconds=360 --calls=200 --heap=384m}).
 */
public final class InsightsBenchmark {

    private static final String RANGE = "from=2025-12&to=2026-12";
    private static final List<String> QUERIES = List.of("uplift", "uplift?by=campaign", "retention", "cohorts",
            "points", "tiers");

    private final Path root;
    private final int customers;
    private final long events;
    private final int rawEvents;
    private final int rawPasses;
    private final int backlog;
    private final int warmup;
    private final int seconds;
    private final int calls;
    private final String heap;
    private final List<String> serviceJvmOptions;

    private InsightsBenchmark(Map<String, String> options) {
        this.root = Path.of(options.getOrDefault("root", "."));
        this.customers = Integer.parseInt(options.getOrDefault("customers", "1000000"));
        this.events = Long.parseLong(options.getOrDefault("events", "10000000"));
        this.rawEvents = Integer.parseInt(options.getOrDefault("raw-events", "500000"));
        this.rawPasses = Integer.parseInt(options.getOrDefault("raw-passes", "3"));
        // By default every event after the history: the whole stream is then in the database at the end.
        this.backlog = Integer.parseInt(options.getOrDefault("backlog", Integer.toString(Integer.MAX_VALUE)));
        this.warmup = Integer.parseInt(options.getOrDefault("warmup", "100000"));
        this.seconds = Integer.parseInt(options.getOrDefault("seconds", "360"));
        this.calls = Integer.parseInt(options.getOrDefault("calls", "200"));
        this.heap = options.getOrDefault("heap", "384m");
        this.serviceJvmOptions = Benchmarks.serviceJvmOptions(options);
    }

    public static void main(String[] args) throws Exception {
        new InsightsBenchmark(Benchmarks.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        InsightsShop shop = new InsightsShop(customers);
        int firstRound = shop.steadyRound();
        long history = shop.countBefore(firstRound);
        long toPublish = Math.min(backlog, events - history);
        Benchmarks.log("%,d customers, %,d rounds; the stream's first %,d events (rounds before %d) are loaded as "
                + "history, up to %,d more published", customers, shop.rounds, history, firstRound, toPublish);
        // Whole rounds, so that publishing goes on where they end; the raw broker gets their first records.
        List<ProducerRecord<String, byte[]>> firstRounds = new ArrayList<>(rawEvents + 10_000);
        int round = firstRound;
        while (firstRounds.size() < Math.min(rawEvents, toPublish) && round < shop.rounds) {
            shop.round(round++, firstRounds::add);
        }
        List<ProducerRecord<String, byte[]>> sample = firstRounds.subList(0,
                (int) Math.min(firstRounds.size(), Math.min(rawEvents, toPublish)));
        String load = loadAverage();

        try (KafkaBroker broker = KafkaBroker.builder().defaultPartitions(3).maxHeap("1g").build().start();
             TestDatabase database = TestDatabase.create("bench_insights");
             KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers())) {
            client.createTopics(3, Topics.ORDERS, Topics.RETENTION_TRIGGERS, Topics.RETENTION_NOTIFICATIONS,
                    Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_INSIGHTS, "bench.warmup",
                    "bench.raw");
            client.createTopics(1, Topics.RETENTION_PROGRAMME);

            Benchmarks.log("raw broker: producing and consuming the stream's first %,d records", sample.size());
            // Once unmeasured: the broker's JIT compilers are then done, as they are when the service's turn comes.
            Benchmarks.produce(broker, sample.stream()
                    .map(r -> new ProducerRecord<>("bench.warmup", r.key(), r.value())).toList());
            // A few seconds of each, several passes over the sample: one pass alone varied by half between runs.
            List<ProducerRecord<String, byte[]>> raw = new ArrayList<>(sample.size() * rawPasses);
            for (int pass = 0; pass < rawPasses; pass++) {
                sample.forEach(r -> raw.add(new ProducerRecord<>("bench.raw", r.key(), r.value())));
            }
            double rawProduce = Benchmarks.produce(broker, raw);
            double rawConsume = consume(broker, "bench.raw", raw.size());
            Benchmarks.log("raw broker: %,.0f produced/s, %,.0f consumed/s", rawProduce, rawConsume);

            List<String> jvmOptions = new ArrayList<>(ServiceProcess.jvmOptions(heap));
            jvmOptions.addAll(serviceJvmOptions);
            // The first start creates the schema (Flyway); the history goes in before any event does.
            ServiceProcess.start(root, "insights-service", jvmOptions, broker, database, Map.of()).close();
            double loadSeconds = loadHistory(database, shop, firstRound, history);

            Benchmarks.log("publishing up to %,d events from round %d on", toPublish, firstRound);
            long publishStarted = System.nanoTime();
            long published = publish(broker, shop, firstRounds, round, toPublish);
            double publishRate = published / ((System.nanoTime() - publishStarted) / 1e9);
            Benchmarks.log("published %,d at %,.0f events/s (generated and encoded on the way)", published,
                    publishRate);

            try (ServiceProcess service = ServiceProcess.start(root, "insights-service", jvmOptions, broker, database,
                    Map.of())) {
                Consumption consumption = measureConsumption(service, broker, database, published);
                Tokens tokens = Tokens.in(root.resolve("system-tests/target/bench-jwt"),
                        "http://localhost/retention-bench");
                boolean stillConsuming = consumption.consumed() < published;
                Map<String, double[]> latencies = apiLatencies(service, tokens.analyst());
                Map<String, Long> rows = rowCounts(database);
                // A rejected event costs a dead letter, not the measures' work: the rate would be of something else.
                rows.put("dead letters", (long) Benchmarks.sumOf(service.metrics(), "retention_dead_letters_total"));
                Benchmarks.publish(root, "insights-benchmark.md", report(shop, history, published, load,
                        loadSeconds, rawProduce, rawConsume, publishRate, consumption, stillConsuming, latencies,
                        rows, jvmOptions, service));
            }
        }
    }

    // ---- the history: what the stream's rounds before the first published one leave per customer ----

    /**
     * Writes by SQL, with {@link InsightsShop}'s formulas, the rows the events before {@code firstRound} would leave:
     * customers (tier; balances 0, so a customer's first points event in the run moves their whole balance into the
     * liability, at the same cost), orders, order months, exposures with their conversion and sent state, sent
     * markers, and {@code inboxIds} inbox rows. Returns the seconds it took.
     */
    static double loadHistory(TestDatabase database, InsightsShop shop, int firstRound, long inboxIds)
            throws Exception {
        long started = System.nanoTime();
        String at = String.format(Locale.ROOT, "timestamptz '%s' + ((i / %d + s * %d)::bigint * %d + i %% %d) * %d"
                + " / %d * interval '1 second'", InsightsShop.START, InsightsShop.BLOCK, shop.roundsPerStep,
                InsightsShop.BLOCK, InsightsShop.BLOCK, InsightsShop.YEAR.toSeconds(),
                (long) shop.rounds * InsightsShop.BLOCK);
        String done = "(i / %d + s * %d < %d)".formatted(InsightsShop.BLOCK, shop.roundsPerStep, firstRound);
        String hasOrder = """
                CASE s WHEN 0 THEN true WHEN 1 THEN i % 10 < 7
                       WHEN 3 THEN CASE WHEN (i * 31 + 2) % 20 = 0 THEN i % 10 < 5 ELSE i % 10 < 6 END
                       WHEN 4 THEN i % 2 = 0 WHEN 7 THEN i % 10 < 5 WHEN 8 THEN i % 10 < 3 ELSE i % 10 < 4 END""";
        String customers = "generate_series(0, " + (shop.customers - 1) + ") i";
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            Benchmarks.log("history: orders");
            sql.execute("""
                    INSERT INTO customer_order (order_id, customer_id, placed_at, revenue)
                    SELECT 'o-' || i || '-' || s, 'c-' || i, %s, 20 + (i * 7 + s * 13) %% 80
                    FROM %s CROSS JOIN unnest(ARRAY[%s]) s WHERE %s AND %s""".formatted(at, customers,
                    Arrays.toString(InsightsShop.ORDER_STEPS).replaceAll("[\\[\\] ]", ""), done, hasOrder));
            Benchmarks.log("history: order months");
            sql.execute("""
                    INSERT INTO customer_order_month (customer_id, month, orders)
                    SELECT customer_id, date_trunc('month', placed_at AT TIME ZONE 'UTC')::date, count(*)
                    FROM customer_order GROUP BY 1, 2""");
            Benchmarks.log("history: exposures");
            // The order of the step after a trigger falls within its conversion window; the one after that does not.
            sql.execute("""
                    INSERT INTO exposure (trigger_id, customer_id, trigger_type, campaign_id, held_out, exposed_at,
                                          converted, revenue, sent)
                    SELECT 't-' || i || '-' || s, 'c-' || i,
                           CASE WHEN s = 6 OR i %% 3 = 0 THEN '%1$s' WHEN i %% 3 = 1 THEN '%2$s' ELSE '%3$s' END,
                           CASE WHEN s = 2 AND i %% 3 = 2 THEN 'spring-' || i %% 4 ELSE '' END,
                           (i * 31 + s) %% 20 = 0, %4$s, converts, CASE WHEN converts THEN 20 + (i * 7 + (s + 1) * 13) %% 80 ELSE 0 END,
                           (i * 31 + s) %% 20 <> 0
                    FROM (SELECT i, s, (i / %5$d + (s + 1) * %6$d < %7$d)
                                       AND CASE WHEN s = 6 THEN i %% 10 < 5
                                                WHEN (i * 31 + 2) %% 20 = 0 THEN i %% 10 < 5 ELSE i %% 10 < 6 END AS converts
                          FROM %8$s CROSS JOIN unnest(ARRAY[2, 6]) s) x
                    WHERE %9$s AND (s = 2 OR i %% 4 = 0)""".formatted(TriggerType.WIN_BACK.wireName(),
                    TriggerType.BIRTHDAY_OFFER.wireName(), TriggerType.SEGMENT_OFFER.wireName(), at,
                    InsightsShop.BLOCK, shop.roundsPerStep, firstRound, customers, done));
            sql.execute("INSERT INTO trigger_sent (trigger_id) SELECT trigger_id FROM exposure WHERE sent");
            Benchmarks.log("history: customers and inbox");
            sql.execute("""
                    INSERT INTO insights_customer (customer_id, tier, available, pending)
                    SELECT 'c-' || i, CASE WHEN i %% 10 = 0 AND i / %1$d + 5 * %2$d < %3$d THEN 'silver'
                                           WHEN i %% 5 < 2 THEN 'bronze' END, 0, 0
                    FROM %4$s WHERE i / %1$d < %3$d""".formatted(InsightsShop.BLOCK, shop.roundsPerStep, firstRound,
                    customers));
            sql.execute("INSERT INTO eventing_inbox (event_id) SELECT 'h-' || g FROM generate_series(1, " + inboxIds
                    + ") g");
            sql.execute("ANALYZE");
        }
        double took = (System.nanoTime() - started) / 1e9;
        Benchmarks.log("history loaded in %.0f s", took);
        return took;
    }

    // ---- the broker ----

    /** Publishes the first rounds, then the next ones, up to {@code count} records; returns how many. */
    private static long publish(KafkaBroker broker, InsightsShop shop, List<ProducerRecord<String, byte[]>> sample,
                                  int nextRound, long count) {
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = Benchmarks.producer(broker)) {
            java.util.function.Consumer<ProducerRecord<String, byte[]>> send = record -> {
                if (sent.get() < count) {
                    sent.incrementAndGet();
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                        }
                    });
                }
            };
            sample.forEach(send);
            for (int round = nextRound; sent.get() < count && round < shop.rounds; round++) {
                shop.round(round, send);
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not acknowledged");
        }
        return sent.get();
    }

    /** Reads {@code expected} records from the beginning of the topic; records/s from first poll to last record. */
    private static double consume(KafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long started = System.nanoTime();
            long deadline = started + Duration.ofMinutes(3).toNanos();
            long count = 0;
            long lastAt = started;
            while (count < expected && System.nanoTime() < deadline) {
                int polled = consumer.poll(Duration.ofMillis(200)).count();
                if (polled > 0) {
                    count += polled;
                    lastAt = System.nanoTime();
                }
            }
            if (count < expected) {
                throw new IllegalStateException("only " + count + " of " + expected + " records on " + topic);
            }
            return count / ((lastAt - started) / 1e9);
        }
    }

    // ---- the service's consumer ----

    private record Consumption(long consumed, long measuredEvents, double seconds, double serviceCpu,
                               double postgresCpu, double brokerCpu, double compilerCpu, String batches,
                               Map<String, Integer> statements, int samples) {

        double rate() {
            return measuredEvents / seconds;
        }
    }

    /**
     * Follows the service's applied-records meter (the eventing kit's {@code retention.batch.records}) once a second:
     * the clock starts when {@code warmup} records are in (the JIT compilers' first minutes are not the service's
     * rate) and stops when the backlog is done or {@code seconds} have passed. Meanwhile a sampler notes, every 20 ms,
     * what the service's PostgreSQL connections are doing.
     */
    private Consumption measureConsumption(ServiceProcess service, KafkaBroker broker, TestDatabase database,
                                           long published) throws Exception {
        long started = System.nanoTime();
        long consumed = 0;
        while (consumed < Math.min(warmup, published)) {
            Thread.sleep(500);
            consumed = applied(service);
            if (System.nanoTime() - started > Duration.ofSeconds(seconds).toNanos()) {
                throw new IllegalStateException("only " + consumed + " events applied in the warm-up's " + seconds
                        + " s; health: " + service.health());
            }
        }
        Benchmarks.log("warmed up: %,d events applied in %.0f s; measuring", consumed,
                (System.nanoTime() - started) / 1e9);
        String metricsBefore = service.metrics();
        long from = consumed;
        long[] cpuBefore = {Benchmarks.cpuTicks(service.pid()), Benchmarks.postgresTicks(),
                Benchmarks.cpuTicks(broker.pid()), Benchmarks.compilerTicks(service.pid())};
        StatementSampler sampler = new StatementSampler(database);
        sampler.start();
        long measuring = System.nanoTime();
        long lastLog = measuring;
        while (consumed < published && System.nanoTime() - measuring < Duration.ofSeconds(seconds).toNanos()) {
            Thread.sleep(500);
            consumed = applied(service);
            if (System.nanoTime() - lastLog > 15_000_000_000L) {
                Benchmarks.log("  %,d of %,d applied", consumed, published);
                lastLog = System.nanoTime();
            }
        }
        double elapsed = (System.nanoTime() - measuring) / 1e9;
        sampler.stop();
        Consumption consumption = new Consumption(consumed, consumed - from, elapsed,
                (Benchmarks.cpuTicks(service.pid()) - cpuBefore[0]) / 100.0,
                (Benchmarks.postgresTicks() - cpuBefore[1]) / 100.0,
                (Benchmarks.cpuTicks(broker.pid()) - cpuBefore[2]) / 100.0,
                (Benchmarks.compilerTicks(service.pid()) - cpuBefore[3]) / 100.0,
                Benchmarks.batchFigures(metricsBefore, service.metrics()), sampler.counts(), sampler.samples());
        Benchmarks.log("consumer: %,.0f events/s over %,d events", consumption.rate(), consumption.measuredEvents());
        return consumption;
    }

    private static long applied(ServiceProcess service) throws Exception {
        return (long) Benchmarks.sumOf(service.metrics(), "retention_batch_records_sum");
    }

    /** What the service's connections are doing, by statement: a sampling profile of PostgreSQL's side. */
    private static final class StatementSampler {
        private final TestDatabase database;
        private final Map<String, Integer> counts = new HashMap<>();
        private volatile boolean running = true;
        private int samples;
        private Thread thread;

        StatementSampler(TestDatabase database) {
            this.database = database;
        }

        void start() {
            thread = new Thread(() -> {
                try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
                    while (running) {
                        try (ResultSet rows = sql.executeQuery("""
                                SELECT state, query FROM pg_stat_activity
                                WHERE datname = current_database() AND pid <> pg_backend_pid()
                                  AND backend_type = 'client backend'""")) {
                            synchronized (this) {
                                samples++;
                                while (rows.next()) {
                                    String state = rows.getString(1);
                                    if ("active".equals(state)) {
                                        counts.merge(shorten(rows.getString(2)), 1, Integer::sum);
                                    } else if ("idle in transaction".equals(state)) {
                                        counts.merge("(idle in transaction: the service between statements)", 1,
                                                Integer::sum);
                                    }
                                }
                            }
                        }
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    Benchmarks.log("statement sampler stopped: %s", e);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        synchronized Map<String, Integer> counts() {
            return new HashMap<>(counts);
        }

        synchronized int samples() {
            return samples;
        }

        private static String shorten(String query) {
            String line = query.replaceAll("\\s+", " ").trim();
            return line.length() > 110 ? line.substring(0, 110) + "…" : line;
        }
    }

    // ---- the API ----

    /** p50 and p99 in ms of each query, JSON and CSV, after 20 calls of each to warm up. */
    private Map<String, double[]> apiLatencies(ServiceProcess service, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, double[]> latencies = new LinkedHashMap<>();
        for (String format : List.of("json", "csv")) {
            for (String query : QUERIES) {
                String path = "/insights/" + query + (query.contains("?") ? "&" : "?") + RANGE + "&format=" + format;
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
                long[] nanos = new long[calls];
                for (int call = -20; call < calls; call++) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - started;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                                + response.body());
                    }
                    if (call >= 0) {
                        nanos[call] = took;
                    }
                }
                Arrays.sort(nanos);
                latencies.put(query + " (" + format + ")", new double[] {nanos[calls / 2] / 1e6,
                        nanos[(int) Math.ceil(calls * 0.99) - 1] / 1e6, nanos[calls - 1] / 1e6});
                Benchmarks.log("  %s: p50 %.1f ms, p99 %.1f ms", path, latencies.get(query + " (" + format + ")")[0],
                        latencies.get(query + " (" + format + ")")[1]);
            }
        }
        return latencies;
    }

    private static Map<String, Long> rowCounts(TestDatabase database) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            for (String table : List.of("insights_customer", "customer_order", "customer_order_month", "exposure",
                    "trigger_sent", "eventing_inbox", "uplift_cell", "redemption_cell", "retention_counter",
                    "points_month", "tier_month", "liability_by_tier")) {
                try (ResultSet result = sql.executeQuery("SELECT count(*) FROM " + table)) {
                    result.next();
                    rows.put(table, result.getLong(1));
                }
            }
        }
        return rows;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    // ---- the report ----

    private String report(InsightsShop shop, long history, long published, String loadBefore, double loadSeconds,
                          double rawProduce, double rawConsume, double publishRate, Consumption consumption,
                          boolean stillConsuming, Map<String, double[]> latencies, Map<String, Long> rows,
                          List<String> jvmOptions, ServiceProcess service) throws Exception {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
                ## insights-service benchmark (%s, %d cores)

                A shop of %,d customers and %,d events (`InsightsShop`: orders 39 %%, points 30 %%, triggers fired or held
                out 12 %%, notification outcomes 12 %%, tier changes 5 %%, vouchers redeemed 2 %%). The first %,d events
                (rounds before %d of %d) are loaded by SQL as the rows they leave per customer; the next %,d are published
                to the five topics and consumed by the packaged service from a backlog. Broker, PostgreSQL and the service
                on this machine; load average before the run: %s; after: %s.

                | measure | value | ratio to raw produce | ratio to raw consume |
                |---|---:|---:|---:|
                | raw broker produce (the stream's first %,d records %d times, the load generators' producer) | %,.0f events/s | 1.00 | |
                | raw broker consume (same records) | %,.0f events/s | %.2f | 1.00 |
                | insights-service consumer (events applied and committed, after %,d to warm up) | %,.0f events/s | %.3f | %.3f |

                - consumer measured over %,d events in %.1f s; %,d of the %,d published applied when the clock stopped%s
                - CPU per event: service %.0f µs (of which JIT compilers %.0f µs), PostgreSQL %.0f µs, broker %.0f µs
                  (CPU seconds while measuring: service %.1f, PostgreSQL %.1f, broker %.1f, over %.1f s of wall time)
                %s- publishing the backlog: %,.0f events/s (generated and encoded on the way); history loaded in %.0f s
                - service JVM: %s; peak RSS %,.0f MiB

                What PostgreSQL's connections of the service were doing while measuring (%,d samples 20 ms apart; a
                sample counts each connection once; the rest of the time they were idle, waiting for the service):

                | statement (first 110 characters) | samples | share of samples |
                |---|---:|---:|
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), shop.customers, history + published,
                history,
                shop.steadyRound(), shop.rounds, published, loadBefore, loadAverage(), rawEvents(published), rawPasses,
                rawProduce, rawConsume, rawConsume / rawProduce, warmup, consumption.rate(),
                consumption.rate() / rawProduce, consumption.rate() / rawConsume, consumption.measuredEvents(),
                consumption.seconds(), consumption.consumed(), published,
                stillConsuming ? " (the clock stopped first: the API latencies below were measured while the "
                        + "consumer went on)" : "",
                perEvent(consumption.serviceCpu(), consumption), perEvent(consumption.compilerCpu(), consumption),
                perEvent(consumption.postgresCpu(), consumption), perEvent(consumption.brokerCpu(), consumption),
                consumption.serviceCpu(), consumption.postgresCpu(), consumption.brokerCpu(), consumption.seconds(),
                consumption.batches(), publishRate, loadSeconds, String.join(" ", jvmOptions), service.peakRssMiB(),
                consumption.samples()));
        consumption.statements().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> report.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f %% |%n",
                        e.getKey().replace("|", "\\|"), e.getValue(), 100.0 * e.getValue() / consumption.samples())));
        report.append(String.format(Locale.ROOT, """

                API, %d calls of each query after 20 to warm up, one at a time, range %s, as role analyst:

                | query | p50 | p99 | max |
                |---|---:|---:|---:|
                """, calls, RANGE));
        latencies.forEach((query, ms) -> report.append(String.format(Locale.ROOT,
                "| `/insights/%s` | %.1f ms | %.1f ms | %.1f ms |%n", query, ms[0], ms[1], ms[2])));
        report.append("\nRows at the end, and the service's dead letters: ");
        report.append(String.join(", ", rows.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).toList()));
        return report.append('\n').toString();
    }

    private long rawEvents(long published) {
        return Math.min(rawEvents, published);
    }

    private static double perEvent(double cpuSeconds, Consumption consumption) {
        return cpuSeconds * 1e6 / consumption.measuredEvents();
    }
}
