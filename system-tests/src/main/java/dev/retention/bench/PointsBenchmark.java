package dev.retention.bench;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end throughput of points-service: {@code order.placed} events in on {@code orders}, ledger committed,
 * {@code points.changed} out on {@code loyalty.points}, for N events over M customers, next to the raw broker's
 * produce and consume rates measured in the same run with the same records. Everything runs on this machine: the
 * broker and the service as their own processes, PostgreSQL as it is.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests}
 * (options: {@code -Dbenchmark.args="--events=200000 --customers=100000 --heap=256m --statements=true"}, the last
 * for PostgreSQL's statements per order from {@code pg_stat_statements} on a cluster of the benchmark's own; JVM options for the
 * service, comma-separated: {@code --service-jvm-options=-XX:StartFlightRecording=filename=points.jfr}).
 */
public final class PointsBenchmark {

    private static final Pattern HEAP_USED = Pattern.compile("jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+]+)");

    private final Path root;
    private final int events;
    private final int customers;
    private final int warmup;
    private final String heap;
    private final List<String> serviceJvmOptions;
    /** Whether to profile PostgreSQL's statements (on a cluster of the benchmark's own, with pg_stat_statements). */
    private final boolean statements;

    private PointsBenchmark(Map<String, String> options) {
        this.root = Path.of(options.getOrDefault("root", "."));
        this.events = Integer.parseInt(options.getOrDefault("events", "200000"));
        this.customers = Integer.parseInt(options.getOrDefault("customers", "100000"));
        // After 100,000 orders the C2 compiler still took a fifth of the machine while measuring; after 300,000, a
        // tenth. A service runs for days: measure it compiled.
        this.warmup = Integer.parseInt(options.getOrDefault("warmup", "300000"));
        this.heap = options.getOrDefault("heap", "256m");
        this.serviceJvmOptions = Benchmarks.serviceJvmOptions(options);
        this.statements = Boolean.parseBoolean(options.getOrDefault("statements", "false"));
    }

    public static void main(String[] args) throws Exception {
        new PointsBenchmark(Benchmarks.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Benchmarks.log("generating %,d order.placed events over %,d customers", events, customers);
        List<ProducerRecord<String, byte[]>> orders = generate("c-", events);
        List<ProducerRecord<String, byte[]>> warmupOrders = generate("warmup-", warmup);

        try (KafkaBroker broker = KafkaBroker.builder().defaultPartitions(3).maxHeap("1g").build().start();
             StatementProfile profile = statements ? StatementProfile.start(root) : null;
             TestDatabase database = statements ? profile.createDatabase("bench_points")
                     : TestDatabase.create("bench_points");
             KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers())) {
            client.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                    Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS, Topics.LOYALTY_POINTS, "bench.raw");

            Benchmarks.log("raw broker: producing the same %,d records", events);
            double rawProduce = Benchmarks.produce(broker, retarget(orders, "bench.raw"));
            double rawConsume = consume(broker, "bench.raw", events, Duration.ofMinutes(5)).rate();
            Benchmarks.log("raw broker: %,.0f produced/s, %,.0f consumed/s", rawProduce, rawConsume);

            List<String> jvmOptions = new ArrayList<>(ServiceProcess.jvmOptions(heap));
            jvmOptions.addAll(serviceJvmOptions);
            try (ServiceProcess service = ServiceProcess.start(root, "points-service", jvmOptions, broker, database,
                    Map.of())) {
                HeapSampler sampler = new HeapSampler(service);
                sampler.start();
                if (warmup > 0) {
                    // A service runs for days: measure it warmed up (JIT-compiled), not while it compiles.
                    Benchmarks.log("points-service ready; warming up with %,d orders of other customers", warmup);
                    Benchmarks.produce(broker, warmupOrders);
                    consume(broker, Topics.LOYALTY_POINTS, warmup, Duration.ofMinutes(15));
                }
                if (profile != null) {
                    profile.resetAll(database);
                }
                String batchesBefore = service.metrics();
                long[] cpuBefore = {Benchmarks.cpuTicks(service.pid()), Benchmarks.cpuTicks(broker.pid()), Benchmarks.postgresTicks(),
                        Benchmarks.cpuTicks(ProcessHandle.current().pid())};
                Benchmarks.log("producing %,d orders", events);
                Thread producer = new Thread(() -> Benchmarks.produce(broker, orders));
                long started = System.nanoTime();
                producer.start();
                Consumed out = consume(broker, Topics.LOYALTY_POINTS, warmup + events, Duration.ofMinutes(15), warmup);
                producer.join();
                double seconds = (out.lastAt() - started) / 1e9;
                double endToEnd = out.count() / seconds;
                sampler.stop();
                String batches = Benchmarks.batchFigures(batchesBefore, service.metrics());
                String cpu = String.format(Locale.ROOT,
                        "- CPU seconds while measuring: service %.1f, PostgreSQL %.1f, broker %.1f, load generator %.1f%n",
                        (Benchmarks.cpuTicks(service.pid()) - cpuBefore[0]) / 100.0, (Benchmarks.postgresTicks() - cpuBefore[2]) / 100.0,
                        (Benchmarks.cpuTicks(broker.pid()) - cpuBefore[1]) / 100.0,
                        (Benchmarks.cpuTicks(ProcessHandle.current().pid()) - cpuBefore[3]) / 100.0);
                long ledger = count(database, "SELECT count(*) FROM points_ledger");
                long peakRss = Benchmarks.peakRssKiB(service.pid());
                Benchmarks.publish(root, "points-benchmark.md", report(rawProduce, rawConsume, endToEnd,
                        out.count(), seconds, ledger, jvmOptions, sampler.maxHeapBytes(), peakRss) + batches + cpu
                        + heapOnlyUpdates(database) + (profile == null ? "" : profile.report(database, events)));
            }
        }
    }

    private String report(double rawProduce, double rawConsume, double endToEnd, long received, double seconds,
                          long ledger, List<String> jvmOptions, long maxHeap, long peakRssKiB) {
        return String.format(Locale.ROOT, """
                ## points-service benchmark (%s, %d cores)

                %,d `order.placed` events over %,d customers, after a warm-up of %,d; broker, PostgreSQL and the
                service on this machine.

                | measure | value | ratio to raw produce |
                |---|---:|---:|
                | raw broker produce (same records, same producer settings) | %,.0f events/s | 1.00 |
                | raw broker consume | %,.0f events/s | %.2f |
                | points-service end to end (orders in → ledger committed → loyalty.points out) | %,.0f events/s | %.2f |

                - events out on loyalty.points: %,d in %.1f s; ledger rows: %,d
                - service JVM: %s; highest used heap sampled %,.1f MiB; peak RSS %,.1f MiB
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), events, customers, warmup, rawProduce,
                rawConsume, rawConsume / rawProduce, endToEnd, endToEnd / rawProduce, received, seconds, ledger,
                String.join(" ", jvmOptions), maxHeap / 1048576.0, peakRssKiB / 1024.0);
    }

    private List<ProducerRecord<String, byte[]>> generate(String customerPrefix, int count) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String customer = customerPrefix + (i % customers);
            EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku-" + (i % 97), 1 + i % 3,
                    (10 + i % 90) + ".99").build();
            records.add(new ProducerRecord<>(Topics.ORDERS, customer, EventEncoder.toStructuredJson(order)));
        }
        return records;
    }

    private static List<ProducerRecord<String, byte[]>> retarget(List<ProducerRecord<String, byte[]>> records,
                                                                 String topic) {
        return records.stream().map(r -> new ProducerRecord<>(topic, r.key(), r.value())).toList();
    }


    private record Consumed(long count, long lastAt, double rate) {
    }

    /** Reads {@code expected} records from the beginning of the topic; rate is from first poll to last record. */
    private static Consumed consume(KafkaBroker broker, String topic, int expected, Duration timeout) {
        return consume(broker, topic, expected, timeout, 0);
    }

    /** As above; the clock and the count start after the first {@code skip} records (already there). */
    private static Consumed consume(KafkaBroker broker, String topic, int expected, Duration timeout, int skip) {
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
            long deadline = started + timeout.toNanos();
            long count = -skip;
            expected -= skip;
            long lastAt = started;
            long lastLog = started;
            while (count < expected && System.nanoTime() < deadline) {
                int polled = consumer.poll(Duration.ofMillis(200)).count();
                if (polled > 0) {
                    count += polled;
                    lastAt = System.nanoTime();
                }
                if (System.nanoTime() - lastLog > 5_000_000_000L) {
                    Benchmarks.log("  %s: %,d of %,d", topic, count, expected);
                    lastLog = System.nanoTime();
                }
            }
            if (count < expected) {
                throw new IllegalStateException("only " + count + " of " + expected + " records on " + topic
                        + " within " + timeout);
            }
            return new Consumed(count, lastAt, count / ((lastAt - started) / 1e9));
        }
    }

    /** Samples the service's used heap once a second from its Prometheus endpoint. */
    private static final class HeapSampler {
        private final ServiceProcess service;
        private final AtomicLong max = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        HeapSampler(ServiceProcess service) {
            this.service = service;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        String body = service.metrics();
                        Matcher matcher = HEAP_USED.matcher(body);
                        long used = 0;
                        while (matcher.find()) {
                            used += (long) Double.parseDouble(matcher.group(1));
                        }
                        max.accumulateAndGet(used, Math::max);
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        // the service is busy; try again
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        long maxHeapBytes() {
            return max.get();
        }
    }


    /**
     * How many account updates (warm-up included) stayed on their page without new index entries, from PostgreSQL's
     * statistics (reported by the service's connections within seconds, so a few may be missing).
     */
    private static String heapOnlyUpdates(TestDatabase database) throws Exception {
        Thread.sleep(2000);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'points_account'""")) {
            rows.next();
            return String.format(Locale.ROOT,
                    "- account updates that were heap-only (no new index entries): %,d of %,d%n",
                    rows.getLong(2), rows.getLong(1));
        }
    }

    private static long count(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
