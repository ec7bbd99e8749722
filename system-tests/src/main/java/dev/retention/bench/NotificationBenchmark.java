package dev.retention.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.Voucher;
import dev.retention.kafka.KafkaBroker;
import dev.retention.local.SmtpSink;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * notification-service throughput: N delay apologies (German and English, with a voucher) in on
 * {@code retention.triggers}, rendered, handed to an SMTP server in this process (a count-only sink, or GreenMail) and
 * recorded as
 * {@code SENT} on {@code retention.notifications}; next to the raw broker's produce rate of the same records.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.NotificationBenchmark} (options {@code --messages=20000
 * --mail-pool-size=10 --smtp=sink|greenmail --service-jvm-options=-XX:...,-XX:...}).
 */
public final class NotificationBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        Path root = Path.of(options.getOrDefault("root", "."));
        int messages = Integer.parseInt(options.getOrDefault("messages", "20000"));
        String mailPool = options.getOrDefault("mail-pool-size", "10");
        List<String> jvmOptions = new ArrayList<>(ServiceProcess.jvmOptions("256m"));
        jvmOptions.addAll(Benchmarks.serviceJvmOptions(options));
        // The sink measures the sender; --smtp=greenmail hands the mail to GreenMail, a full server that parses and
        // stores every message (and answers more slowly).
        boolean greenMail = options.getOrDefault("smtp", "sink").equals("greenmail");
        int smtpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        GreenMail fullServer = null;
        SmtpSink sink = null;
        if (greenMail) {
            fullServer = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            fullServer.start();
        } else {
            sink = new SmtpSink();
            smtpPort = sink.port();
        }
        try (KafkaBroker broker = KafkaBroker.builder().defaultPartitions(3).maxHeap("1g").build().start();
             TestDatabase database = TestDatabase.create("bench_notifications");
             KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers())) {
            client.createTopics(3, Topics.CUSTOMERS, Topics.RETENTION_TRIGGERS, Topics.RETENTION_NOTIFICATIONS,
                    "bench.raw");
            List<ProducerRecord<String, byte[]>> profiles = new ArrayList<>();
            List<ProducerRecord<String, byte[]>> triggers = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                String customer = "c-" + i;
                profiles.add(record(Topics.CUSTOMERS, customer, new CustomerRegistered(Instant.now(),
                        customer + "@example.com", "Kim", "Lee", i % 2 == 0 ? "de-DE" : "en-GB", "Europe/Berlin",
                        null, ChannelConsents.none(), null)));
                triggers.add(record(Topics.RETENTION_TRIGGERS, customer, new TriggerFired(UUID.randomUUID().toString(),
                        TriggerType.DELAY_APOLOGY, null, "shipment late", UUID.randomUUID().toString(), "o-" + i,
                        new Voucher("SORRY-" + String.format(Locale.ROOT, "%012d", i).replaceAll("(.{4})(?!$)", "$1-"),
                                Money.of("10.00", "EUR"), null, null, true, null,
                                Instant.now().plus(Duration.ofDays(30))), Map.of("firstTimeCustomer", "false"),
                        Instant.now())));
            }
            double rawProduce = Benchmarks.produce(broker, triggers.stream()
                    .map(r -> new ProducerRecord<>("bench.raw", r.key(), r.value())).toList());
            Benchmarks.log("raw broker: %,.0f records/s", rawProduce);
            try (ServiceProcess service = ServiceProcess.start(root, "notification-service", jvmOptions,
                    broker, database, Map.of(
                            "MAIL_HOST", "127.0.0.1", "MAIL_PORT", Integer.toString(smtpPort),
                            "MAIL_START_TLS", "DISABLED", "UNSUBSCRIBE_SECRET", "benchmark-secret-0123456789",
                            "MAIL_POOL_SIZE", mailPool,
                            // Measure throughput, not the clock: no quiet hours.
                            "RETENTION_NOTIFICATIONS_QUIET_HOURS_START", "00:00",
                            "RETENTION_NOTIFICATIONS_QUIET_HOURS_END", "00:00"))) {
                Benchmarks.produce(broker, profiles);
                Benchmarks.log("profiles published; sending %,d triggers", messages);
                long[] cpuBefore = {Benchmarks.cpuTicks(service.pid()), Benchmarks.postgresTicks(),
                        Benchmarks.cpuTicks(broker.pid()), Benchmarks.cpuTicks(ProcessHandle.current().pid())};
                long started = System.nanoTime();
                Benchmarks.produce(broker, triggers);
                long sent = awaitOutcomes(broker, messages, Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - started) / 1e9;
                long received = greenMail ? fullServer.getReceivedMessages().length : sink.received();
                String cpu = String.format(Locale.ROOT,
                        "- CPU seconds: service %.1f, PostgreSQL %.1f, broker %.1f, benchmark process (SMTP server and "
                                + "load generator) %.1f%n",
                        (Benchmarks.cpuTicks(service.pid()) - cpuBefore[0]) / 100.0,
                        (Benchmarks.postgresTicks() - cpuBefore[1]) / 100.0,
                        (Benchmarks.cpuTicks(broker.pid()) - cpuBefore[2]) / 100.0,
                        (Benchmarks.cpuTicks(ProcessHandle.current().pid()) - cpuBefore[3]) / 100.0);
                double rate = sent / seconds;
                Benchmarks.publish(root, "notification-benchmark.md", String.format(Locale.ROOT, """
                        ## notification-service benchmark (%s, %d cores)

                        %,d delay apologies (half German, half English, each with a voucher), from `trigger.fired`
                        in to `SENT` on `retention.notifications`, rendered (subject, text, HTML) and handed to a
                        real SMTP server; broker, PostgreSQL, the service and the SMTP server on this machine.

                        | measure | value | ratio to raw produce |
                        |---|---:|---:|
                        | raw broker produce (same records) | %,.0f records/s | 1.00 |
                        | messages rendered, sent over SMTP and recorded | %,.0f messages/s | %.3f |

                        - %,d SENT outcomes in %.1f s; the SMTP server (%s) received %,d mails; %s SMTP connections
                        - service: %s, peak RSS %,.1f MiB
                        """, Instant.now(), Runtime.getRuntime().availableProcessors(), messages, rawProduce, rate,
                        rate / rawProduce, sent, seconds, greenMail ? "GreenMail" : "count-only sink", received,
                        mailPool, String.join(" ", jvmOptions), Benchmarks.peakRssKiB(service.pid()) / 1024.0)
                        + cpu);
            }
        } finally {
            if (fullServer != null) {
                fullServer.stop();
            }
            if (sink != null) {
                sink.close();
            }
        }
        System.exit(0);
    }

    private static ProducerRecord<String, byte[]> record(String topic, String customer,
                                                         dev.retention.contracts.events.EventData data) {
        EventEnvelope<?> event = EventEnvelope.of(UUID.randomUUID().toString(), "/bench", Instant.now(), customer, data);
        return new ProducerRecord<>(topic, customer, EventEncoder.toStructuredJson(event));
    }

    /** Reads retention.notifications until {@code expected} outcomes; returns how many were SENT. */
    private static long awaitOutcomes(KafkaBroker broker, int expected, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RETENTION_NOTIFICATIONS).stream()
                    .map(p -> new TopicPartition(Topics.RETENTION_NOTIFICATIONS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long outcomes = 0;
            long sent = 0;
            long lastLog = System.nanoTime();
            while (outcomes < expected && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    outcomes++;
                    if (new String(record.value(), java.nio.charset.StandardCharsets.UTF_8).contains("\"SENT\"")) {
                        sent++;
                    }
                }
                if (System.nanoTime() - lastLog > 5_000_000_000L) {
                    Benchmarks.log("  %,d of %,d outcomes", outcomes, expected);
                    lastLog = System.nanoTime();
                }
            }
            if (outcomes < expected) {
                throw new IllegalStateException("only " + outcomes + " of " + expected + " outcomes within " + timeout);
            }
            return sent;
        }
    }
}
