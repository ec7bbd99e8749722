package dev.retention.bench;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * campaign-service at scale, as a packaged process against the real broker and PostgreSQL on this machine:
 * <ol>
 *   <li>Scans: 1,000,000 customers with birthdays and win-back timers and 1,000,000 open shipments; a slice of each
 *   is made due; reports the time the running service's jobs take to fire them and the rows PostgreSQL touched.</li>
 *   <li>Latency: {@code shipment.delayed} in to {@code trigger.fired} out on {@code retention.triggers}, p50/p99,
 *   under a background load of orders and dispatches, next to the raw broker's produce-to-consume latency measured
 *   in the same run at the same rate.</li>
 * </ol>
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.CampaignBenchmark} (options {@code --customers=1000000 --due=10000
 * --rate=2000 --delays=20 --seconds=60}; JVM options for the service, comma-separated:
 * {@code --service-jvm-options=-XX:StartFlightRecording=filename=campaigns.jfr}).
 */
public final class CampaignBenchmark {

    private static final String TABLE_STATS = """
            SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0), n_tup_upd,
                   n_tup_ins
            FROM pg_stat_user_tables WHERE relname IN ('campaign_customer', 'shipment_timer', 'campaign_order')
            ORDER BY relname""";

    private final Path root;
    private final int customers;
    private final int due;
    private final int rate;
    private final int delaysPerSecond;
    private final int seconds;
    private final List<String> serviceJvmOptions;

    private CampaignBenchmark(Map<String, String> options) {
        root = Path.of(options.getOrDefault("root", "."));
        customers = Integer.parseInt(options.getOrDefault("customers", "1000000"));
        due = Integer.parseInt(options.getOrDefault("due", "10000"));
        rate = Integer.parseInt(options.getOrDefault("rate", "2000"));
        delaysPerSecond = Integer.parseInt(options.getOrDefault("delays", "20"));
        seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        serviceJvmOptions = Benchmarks.serviceJvmOptions(options);
    }

    public static void main(String[] args) throws Exception {
        new CampaignBenchmark(Benchmarks.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().defaultPartitions(3).maxHeap("1g").build().start();
             TestDatabase database = TestDatabase.create("bench_campaigns");
             KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers())) {
            client.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                    Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS, "bench.raw");
            List<String> jvmOptions = new ArrayList<>(ServiceProcess.jvmOptions("256m"));
            jvmOptions.addAll(serviceJvmOptions);
            try (ServiceProcess service = ServiceProcess.start(root, "campaign-service", jvmOptions, broker,
                    database, Map.of("RETENTION_CAMPAIGNS_JOBS_EVERY", "1s"));
                 Connection connection = database.connect();
                 Statement sql = connection.createStatement()) {
                String scans = scans(sql);
                Benchmarks.log("raw broker: %,d records/s for %d s, produce to consume", rate + delaysPerSecond,
                        seconds);
                Latencies raw = rawLatency(broker);
                Benchmarks.log("campaign-service: %,d events/s background, %d shipment.delayed/s, for %d s", rate,
                        delaysPerSecond, seconds);
                String metricsBefore = service.metrics();
                long[] cpuBefore = {Benchmarks.cpuTicks(service.pid()), Benchmarks.postgresTicks(),
                        Benchmarks.cpuTicks(broker.pid()), Benchmarks.cpuTicks(ProcessHandle.current().pid())};
                Latencies apologies = serviceLatency(broker);
                String cpu = String.format(Locale.ROOT,
                        "- CPU seconds in the latency run: service %.1f, PostgreSQL %.1f, broker %.1f, load generator %.1f%n",
                        (Benchmarks.cpuTicks(service.pid()) - cpuBefore[0]) / 100.0,
                        (Benchmarks.postgresTicks() - cpuBefore[1]) / 100.0,
                        (Benchmarks.cpuTicks(broker.pid()) - cpuBefore[2]) / 100.0,
                        (Benchmarks.cpuTicks(ProcessHandle.current().pid()) - cpuBefore[3]) / 100.0);
                String metricsAfter = service.metrics();
                String rejects = String.format(Locale.ROOT, "- dead letters: %.0f, batches applied event by event: %.0f%n",
                        Benchmarks.sumOf(metricsAfter, "retention_dead_letters_total"),
                        Benchmarks.sumOf(metricsAfter, "retention_batch_fallbacks_total"));
                Benchmarks.publish(root, "campaign-benchmark.md",
                        scans + latencyReport(raw, apologies, jvmOptions, Benchmarks.peakRssKiB(service.pid()))
                                + Benchmarks.batchFigures(metricsBefore, metricsAfter) + rejects + cpu);
            }
        }
    }

    // ---- scans ----

    private String scans(Statement sql) throws Exception {
        Benchmarks.log("loading %,d customers and %,d open shipments; %,d of each kind will be due", customers,
                customers, due);
        long loading = System.nanoTime();
        // Everyone has a birthday timer, a win-back timer and an open shipment, all due later (up to a year ahead).
        sql.execute("""
                INSERT INTO campaign_customer (customer_id, profile_known, profile_event_id, time_zone, birth_date,
                       marketing_consent, tier, order_count, first_order_id, last_order_at, last_order_event_id,
                       lifetime_spend, birthday_offer_at, birthday_year, win_back_due_at)
                SELECT 'c-' || g, true, 'p-' || g, 'Europe/Berlin', date '1990-01-01' + (g %% 365),
                       true, 'bronze', 1, 'o-' || g, now() - interval '61 days', 'e-' || g, 50,
                       now() + interval '1 hour' + (g %% 365) * interval '1 day', 2027,
                       now() + interval '1 hour' + (g %% 180) * interval '1 day'
                FROM generate_series(1, %d) g""".formatted(customers));
        sql.execute("""
                INSERT INTO shipment_timer (shipment_id, order_id, customer_id, state, promised_date, due_at,
                       dispatch_event_id)
                SELECT 's-' || g, 'o-' || g, 'c-' || g, 'OPEN', current_date + (g %% 10),
                       now() + interval '1 hour' + (g %% 10) * interval '1 day', 'd-' || g
                FROM generate_series(1, %d) g""".formatted(customers));
        sql.execute("ANALYZE campaign_customer");
        sql.execute("ANALYZE shipment_timer");
        Benchmarks.log("loaded in %.1f s", (System.nanoTime() - loading) / 1e9);

        sql.execute("SELECT pg_stat_reset()");
        Thread.sleep(1000);
        long started = System.nanoTime();
        // The benchmark makes three disjoint slices due now (its own statements, by primary key).
        sql.execute("UPDATE campaign_customer SET birthday_offer_at = now() - interval '1 second' "
                + "WHERE customer_id IN (SELECT 'c-' || g FROM generate_series(1, " + due + ") g)");
        sql.execute("UPDATE campaign_customer SET win_back_due_at = now() - interval '1 second' "
                + "WHERE customer_id IN (SELECT 'c-' || g FROM generate_series(" + (due + 1) + ", " + 2 * due
                + ") g)");
        sql.execute("UPDATE shipment_timer SET due_at = now() - interval '1 second' "
                + "WHERE shipment_id IN (SELECT 's-' || g FROM generate_series(" + (2 * due + 1) + ", " + 3 * due
                + ") g)");
        long deadline = started + Duration.ofMinutes(10).toNanos();
        long logged = 0;
        while (logged < 3L * due && System.nanoTime() < deadline) {
            Thread.sleep(200);
            logged = count(sql, "SELECT count(*) FROM trigger_log");
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (logged < 3L * due) {
            throw new IllegalStateException("only " + logged + " of " + 3 * due + " triggers within 10 minutes");
        }
        Thread.sleep(1500); // let the last statistics arrive
        StringBuilder rows = new StringBuilder();
        try (ResultSet stats = sql.executeQuery(TABLE_STATS)) {
            while (stats.next()) {
                rows.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d |%n", stats.getString(1),
                        stats.getLong(2), stats.getLong(3), stats.getLong(4), stats.getLong(5), stats.getLong(6)));
            }
        }
        StringBuilder outcomes = new StringBuilder();
        try (ResultSet byType = sql.executeQuery("SELECT trigger_type, outcome, count(*) FROM trigger_log "
                + "GROUP BY 1, 2 ORDER BY 1, 2")) {
            while (byType.next()) {
                outcomes.append(String.format(Locale.ROOT, "| %s | %s | %,d |%n", byType.getString(1),
                        byType.getString(2), byType.getLong(3)));
            }
        }
        return String.format(Locale.ROOT, """
                ## campaign-service benchmark (%s, %d cores)

                ### Time-based triggers over %,d customers and %,d open shipments

                %,d birthdays, %,d win-back steps and %,d overdue shipments made due at once; the running
                service's jobs (every second, chunks of 500) fired all %,d in **%.1f s**.

                | trigger | outcome | count |
                |---|---|---:|
                %s
                Rows PostgreSQL touched while the jobs ran (pg_stat_user_tables; includes the benchmark's own three
                updates by primary key that made the slices due, %,d rows):

                | table | seq scans | rows read by seq scans | index scans | rows fetched by index | rows updated |
                |---|---:|---:|---:|---:|---:|
                %s
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), customers, customers, due, due, due,
                3 * due, elapsed, outcomes, 3 * due, rows);
    }

    // ---- latency ----

    /** Latencies in ms, sorted; {@code expected} samples were sent, those missing had not arrived in time. */
    private record Latencies(double[] millis, int expected) {
        double percentile(double p) {
            if (millis.length == 0) {
                return Double.NaN;
            }
            return millis[Math.min(millis.length - 1, (int) Math.ceil(p / 100 * millis.length) - 1)];
        }
    }

    private Latencies rawLatency(KafkaBroker broker) throws Exception {
        List<Double> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = consumer(broker, "bench.raw")) {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        samples.add((double) (System.currentTimeMillis() - record.timestamp()));
                    }
                }
            }
        });
        reader.start();
        Thread.sleep(2000); // the consumer is assigned and at the end
        try (KafkaProducer<String, byte[]> producer = Benchmarks.producer(broker)) {
            pace(rate + delaysPerSecond, second -> {
                String customer = "c-" + ThreadLocalRandom.current().nextInt(1, customers + 1);
                EventEnvelope<?> order = TestEvents.orderPlaced(customer).build();
                producer.send(new ProducerRecord<>("bench.raw", customer, EventEncoder.toStructuredJson(order)));
            });
        }
        Thread.sleep(2000);
        running.set(false);
        reader.join();
        return sorted(samples, samples.size());
    }

    private Latencies serviceLatency(KafkaBroker broker) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        EventDecoder decoder = new EventDecoder();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = consumer(broker, Topics.RETENTION_TRIGGERS)) {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        if (decoder.decode(Topics.RETENTION_TRIGGERS, record.key(), record.value(), Map.of())
                                instanceof DecodeResult.Decoded decoded
                                && decoded.event().data() instanceof TriggerFired fired
                                && fired.triggerType() == TriggerType.DELAY_APOLOGY) {
                            Long sent = sentAt.get(fired.sourceEventId());
                            if (sent != null) {
                                samples.add((double) (now - sent));
                            }
                        }
                    }
                }
            }
        });
        reader.start();
        Thread.sleep(2000);
        int perTick = Math.max(1, (rate + delaysPerSecond) / Math.max(1, delaysPerSecond));
        long[] sent = {0};
        String[] lastOrder = {"c-1"};
        try (KafkaProducer<String, byte[]> producer = Benchmarks.producer(broker)) {
            pace(rate + delaysPerSecond, second -> {
                long n = sent[0]++;
                if (n % perTick == 0) {
                    String customer = "late-" + n;
                    var delayed = TestEvents.shipmentDelayed(customer, "late-o-" + n, LocalDate.now().plusDays(2));
                    sentAt.put(delayed.id(), System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(Topics.SHIPMENTS, customer,
                            EventEncoder.toStructuredJson(delayed)));
                } else if (n % 2 == 0) {
                    String customer = "c-" + ThreadLocalRandom.current().nextInt(1, customers + 1);
                    lastOrder[0] = customer;
                    var order = TestEvents.orderPlaced(customer).orderId("b-" + n).build();
                    producer.send(new ProducerRecord<>(Topics.ORDERS, customer, EventEncoder.toStructuredJson(order)));
                } else {
                    // The dispatch of the order just placed, by the same customer.
                    String customer = lastOrder[0];
                    var dispatched = TestEvents.shipmentDispatched(customer, "b-" + (n - 1), LocalDate.now().plusDays(3));
                    producer.send(new ProducerRecord<>(Topics.SHIPMENTS, customer,
                            EventEncoder.toStructuredJson(dispatched)));
                }
            });
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (samples.size() < sentAt.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        running.set(false);
        reader.join();
        return sorted(samples, sentAt.size());
    }

    private interface Send {
        void next(long second) throws Exception;
    }

    /** Sends {@code perSecond} records a second, spread in 10 ms ticks, for the benchmark's duration. */
    private void pace(int perSecond, Send send) throws Exception {
        long started = System.nanoTime();
        long sent = 0;
        long total = (long) perSecond * seconds;
        while (sent < total) {
            long elapsedNanos = System.nanoTime() - started;
            long target = Math.min(total, elapsedNanos * perSecond / 1_000_000_000L);
            while (sent < target) {
                send.next(elapsedNanos / 1_000_000_000L);
                sent++;
            }
            Thread.sleep(10);
        }
    }

    private static Latencies sorted(List<Double> samples, int expected) {
        double[] values;
        synchronized (samples) {
            values = samples.stream().mapToDouble(Double::doubleValue).toArray();
        }
        java.util.Arrays.sort(values);
        return new Latencies(values, expected);
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before anything is sent
        return consumer;
    }

    private String latencyReport(Latencies raw, Latencies service, List<String> jvmOptions, long rssKiB) {
        return String.format(Locale.ROOT, """
                ### Latency under load

                %,d events/s for %d s: orders and dispatches of the 1,000,000 customers in the background, %d
                `shipment.delayed`/s of new customers among them. Latency from the send of `shipment.delayed` to the
                delay apology read from `retention.triggers`; raw: the same rate and records through one topic, send
                to read.

                | measure | samples | p50 | p99 | p99 ratio to raw |
                |---|---:|---:|---:|---:|
                | raw broker, produce to consume | %,d | %.0f ms | %.0f ms | 1.00 |
                | shipment.delayed in → trigger.fired out | %,d of %,d | %.0f ms | %.0f ms | %.1f |

                (A sample that had not arrived 60 s after the load stopped is missing from the count: the service did
                not keep up, and its percentiles understate the latency.)

                - campaign-service: %s, peak RSS %,.1f MiB
                """, rate + delaysPerSecond, seconds, delaysPerSecond, raw.millis().length, raw.percentile(50),
                raw.percentile(99), service.millis().length, service.expected(), service.percentile(50), service.percentile(99),
                service.percentile(99) / Math.max(1, raw.percentile(99)), String.join(" ", jvmOptions), rssKiB / 1024.0);
    }

    private static long count(Statement sql, String query) throws Exception {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
