package dev.retention.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.Topics;
import dev.retention.local.LocalPlatform;
import dev.retention.testsupport.FaultyTcpProxy;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.PostgresCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database as an operator's goes through it, under a shop's load on the packaged services: a PostgreSQL cluster
 * of the test's own (TLS alone, each service verifying the server against its CA), reached through a proxy that can
 * make it slow and reset its connections.
 * <ol>
 *     <li>A fast and an immediate (crash) shutdown and restart under load, then a slow database (200 to 2,000 ms
 *     added to every exchange) ending in reset connections: memory stays bounded, no record is acknowledged before
 *     its transaction commits, the consumers pause rather than pile records up, the lag returns to 0, and the final
 *     state is exactly what the shop's events call for, with only the malformed records dead-lettered.</li>
 *     <li>The runbook's restore: the cluster is recovered from a base backup and its WAL archive to a moment in the
 *     middle of the load, the consumer groups are rewound, and the services' replay ends in the same exact state.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultTest {

    private static final int CUSTOMERS = Integer.getInteger("faults.customers", 600);
    /** Small batches for points-service, so that what a paused consumer may hold is well below the slow phase's load. */
    private static final int POINTS_POLL_RECORDS = 25;
    private static final int POINTS_CONSUMERS = 3;
    /** What a paused consumer may hold: its queue (two polls), a poll that overshoots it, the batch being applied. */
    private static final int HELD_AT_MOST = POINTS_CONSUMERS * POINTS_POLL_RECORDS * 4;
    private static final Set<String> ORDER_EVENTS = Set.of("order.placed", "order.cancelled", "order.returned");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresCluster cluster;
    private static FaultyTcpProxy proxy;
    private static RunningPlatform platform;
    private static ShopLoad load;
    private static ExactState exact;
    private static Path baseBackup;
    /** When the shop began to send what the restore will lose part of, and the moment it restores to. */
    private static Instant rewindTo;
    private static Instant restoreTo;
    private static boolean loadThrough;

    @BeforeAll
    static void startThePlatformOnItsOwnCluster() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        cluster = PostgresCluster.create(root.resolve("system-tests/target"), true);
        proxy = FaultyTcpProxy.start("127.0.0.1", cluster.port());
        Map<String, String> database = Map.of(
                "DB_PORT", Integer.toString(proxy.port()),
                "DB_SSL_MODE", "verify-full",
                "DB_SSL_ROOT_CERT", cluster.certificateAuthority().toString(),
                "DB_SSL_TRUST_ROOT_CERT", "true");
        Map<String, Map<String, String>> settings = new HashMap<>();
        for (String service : LocalPlatform.ALL_SERVICES) {
            settings.put(service, new HashMap<>(database));
        }
        settings.get("points-service").putAll(Map.of(
                "MP_MESSAGING_INCOMING_POINTS_EVENTS_MAX_POLL_RECORDS", Integer.toString(POINTS_POLL_RECORDS),
                "POINTS_CONSUMERS", Integer.toString(POINTS_CONSUMERS)));
        platform = new RunningPlatform(root, "dbfaults", List.of(), settings, null, cluster::createDatabase);
        baseBackup = cluster.baseBackup();
        load = new ShopLoad("d" + UUID.randomUUID().toString().substring(0, 6), CUSTOMERS);
        exact = new ExactState(platform, load, patience());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    void restartsAndASlowDatabaseUnderLoadLoseAndDoubleNothing() throws Exception {
        assertThat(servicesSessions()).as("every service's sessions are TLS").allSatisfy(
                (service, ssl) -> assertThat(ssl).as(service).isTrue());
        try (KafkaTestClient shop = new KafkaTestClient(platform.broker.bootstrapServers())) {
            // Profiles, with a fast shutdown (what an orchestrator's stop does) half way.
            List<ShopLoad.Record> profiles = load.phases.get(0);
            ExactState.send(shop, profiles.subList(0, profiles.size() / 2));
            cluster.restart(PostgresCluster.Shutdown.FAST, Duration.ofSeconds(3));
            ExactState.send(shop, profiles.subList(profiles.size() / 2, profiles.size()));
            platform.awaitQuiet(patience());

            // Orders, with a crash of the database half way: recovery from its WAL on start.
            List<ShopLoad.Record> orders = load.phases.get(1);
            ExactState.send(shop, orders.subList(0, orders.size() / 2));
            Thread.sleep(500);
            cluster.restart(PostgresCluster.Shutdown.IMMEDIATE, Duration.ofSeconds(3));
            ExactState.send(shop, orders.subList(orders.size() / 2, orders.size()));
            platform.awaitQuiet(patience());

            // What happened to the orders, on a database that has become slow and then resets every connection.
            List<ShopLoad.Record> news = load.phases.get(2);
            rewindTo = Instant.now();
            ExactState.send(shop, news.subList(0, news.size() / 3));
            Thread.sleep(2000);
            restoreTo = cluster.now();
            proxy.delay(Duration.ofMillis(200), Duration.ofMillis(2000));
            ExactState.send(shop, news.subList(news.size() / 3, news.size()));
            SlowPhase slow = watchWhileSlow(Duration.ofSeconds(40));
            proxy.resetConnections();
            Thread.sleep(3000);
            proxy.resetConnections();
            proxy.noDelay();
            platform.awaitQuiet(patience());
            System.out.printf("database fault test: %d customers, %d records; slow phase: %s; peak RSS %s%n",
                    CUSTOMERS, load.records(), slow, platform.peakRss());

            assertThat(slow.recordsOnAcknowledgedOffsetsNotCommitted).as("records whose offset points-service "
                    + "committed while its database had not committed them").isEmpty();
            assertThat(slow.mostBehind).as("records waiting at the broker for points-service while slow "
                    + "(else the bound below says nothing)").isGreaterThan(HELD_AT_MOST);
            assertThat(slow.mostInFlight).as("records points-service fetched and had not yet applied: a paused "
                    + "consumer holds at most its queue and the batch being applied").isLessThanOrEqualTo(HELD_AT_MOST);
            assertThat(slow.acknowledgedWhileSlow).as("order events acknowledged while the database was slow (else "
                    + "the check of their commits says nothing)").isPositive();
            assertThat(slow.fetched).as("points-service's Kafka consumer metrics were read").isPositive();
        }
        exact.awaitSentOutcomes(load.customers.stream().mapToLong(c -> c.triggers().size()).sum());
        for (String service : RunningPlatform.SERVICES) {
            assertThat(platform.service(service).peakRssMiB()).as("peak RSS of %s (-Xmx256m)", service)
                    .isLessThan(768);
        }
        loadThrough = true;
        exact.assertEverythingAsTheShopsEventsCallFor();
    }

    @Test
    @Order(2)
    void aRestoreToAPointInTimeAndTheReplayFromKafkaEndInTheSameState() throws Exception {
        assertThat(loadThrough).as("the first test got its load through (the restore replays it)").isTrue();
        long ledgerBefore = ledgerEntries();
        int mailsBefore = platform.mails().size();
        cluster.archiveCurrentWal();
        for (String service : LocalPlatform.ALL_SERVICES) {
            platform.service(service).close();
        }

        cluster.recoverTo(baseBackup, restoreTo);
        assertThat(ledgerEntries()).as("the restored ledger lacks what was applied after the restore's moment")
                .isLessThan(ledgerBefore);
        platform.rewindConsumerGroups(rewindTo);
        for (String service : LocalPlatform.ALL_SERVICES) {
            platform.service(service).start();
        }
        platform.awaitQuiet(patience());
        exact.awaitSentOutcomes(load.customers.stream().mapToLong(c -> c.triggers().size()).sum());

        assertThat(ledgerEntries()).isEqualTo(ledgerBefore);
        exact.assertEverythingAsTheShopsEventsCallFor();
        System.out.printf("restore test: recovered to %s, rewound to %s; %d mails sent again (the runbook says why)%n",
                restoreTo, rewindTo, platform.mails().size() - mailsBefore);
    }

    /** What the slow database did to points-service, sampled every second. */
    private record SlowPhase(long mostBehind, long mostInFlight, long fetched, int acknowledgedWhileSlow,
                             List<String> recordsOnAcknowledgedOffsetsNotCommitted, int samples) {
        @Override
        public String toString() {
            return "%d samples, at most %d records behind and %d in flight, %d order events acknowledged"
                    .formatted(samples, mostBehind, mostInFlight, acknowledgedWhileSlow);
        }
    }

    private static SlowPhase watchWhileSlow(Duration duration) throws Exception {
        Map<Integer, List<String>> orderEventIds = orderEventIdsByPartition();
        int firstAcknowledged = -1;
        int acknowledged = 0;
        long mostBehind = 0;
        long mostInFlight = 0;
        double fetched = 0;
        List<String> notCommitted = new ArrayList<>();
        int samples = 0;
        long end = System.nanoTime() + duration.toNanos();
        // A slow batch may take half a minute: go on until one was acknowledged, for at most three times as long.
        long latest = System.nanoTime() + 3 * duration.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.broker.bootstrapServers()))) {
            while (System.nanoTime() < end || (acknowledged <= firstAcknowledged && System.nanoTime() < latest)) {
                mostBehind = Math.max(mostBehind, platform.lag(admin, "points-service"));
                String metrics = platform.service("points-service").metrics();
                fetched = sumOf(metrics, "kafka_consumer_fetch_manager_records_consumed_total");
                double batched = sumOf(metrics, "retention_batch_records_sum");
                mostInFlight = Math.max(mostInFlight, Math.round(fetched - batched));
                // Offsets first, then the database: what the offsets acknowledge must already be there.
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("points-service")
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Set<String> applied = appliedOrderEvents();
                acknowledged = 0;
                for (var partition : orderEventIds.entrySet()) {
                    OffsetAndMetadata at = committed.get(new TopicPartition(Topics.ORDERS, partition.getKey()));
                    List<String> ids = partition.getValue();
                    for (int offset = 0; at != null && offset < Math.min(at.offset(), ids.size()); offset++) {
                        String id = ids.get(offset);
                        if (id != null) {
                            acknowledged++;
                            if (!applied.contains(id)) {
                                notCommitted.add(Topics.ORDERS + "-" + partition.getKey() + "@" + offset + " " + id);
                            }
                        }
                    }
                }
                firstAcknowledged = firstAcknowledged < 0 ? acknowledged : firstAcknowledged;
                samples++;
                Thread.sleep(1000);
            }
        }
        return new SlowPhase(mostBehind, mostInFlight, Math.round(fetched), acknowledged - firstAcknowledged,
                notCommitted, samples);
    }

    /**
     * Per partition of the orders topic, by offset, what points-service's database holds once it applied the record:
     * for an {@code order.placed} its order, placed (the inbox does not hold these), for another order event its id
     * in the inbox; null for a malformed record.
     */
    private static Map<Integer, List<String>> orderEventIdsByPartition() {
        Map<Integer, List<String>> ids = new TreeMap<>();
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            for (ConsumerRecord<String, byte[]> record : reader.readAll(Topics.ORDERS)) {
                List<String> partition = ids.computeIfAbsent(record.partition(), p -> new ArrayList<>());
                while (partition.size() < record.offset()) {
                    partition.add(null);
                }
                String id = null;
                try {
                    JsonNode event = JSON.readTree(record.value());
                    String type = event.path("type").asText();
                    if (type.equals("order.placed") && event.at("/data/orderId").isTextual()) {
                        id = "order " + event.at("/data/orderId").asText();
                    } else if (ORDER_EVENTS.contains(type) && event.hasNonNull("id")) {
                        id = "event " + event.get("id").asText();
                    }
                } catch (IOException malformed) {
                    // dead-lettered without an id
                }
                partition.add(id);
            }
        }
        return ids;
    }

    /** The placed orders and the ids in the inbox of points-service, as {@link #orderEventIdsByPartition} names them. */
    private static Set<String> appliedOrderEvents() throws Exception {
        Set<String> applied = new HashSet<>();
        try (Connection connection = platform.connect("points-service");
             var sql = connection.createStatement()) {
            try (ResultSet rows = sql.executeQuery("SELECT event_id FROM eventing_inbox")) {
                while (rows.next()) {
                    applied.add("event " + rows.getString(1));
                }
            }
            try (ResultSet rows = sql.executeQuery("SELECT order_id FROM points_order WHERE placed")) {
                while (rows.next()) {
                    applied.add("order " + rows.getString(1));
                }
            }
        }
        return applied;
    }

    /** Whether each service's own sessions on its database are encrypted (read on the server, not the client). */
    private static Map<String, Boolean> servicesSessions() throws Exception {
        Map<String, Boolean> ssl = new TreeMap<>();
        try (Connection connection = cluster.connect();
             ResultSet rows = connection.createStatement().executeQuery("""
                     SELECT a.datname, bool_and(s.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid
                     WHERE a.datname LIKE 'retention_dbfaults%' GROUP BY a.datname""")) {
            while (rows.next()) {
                ssl.put(rows.getString(1), rows.getBoolean(2));
            }
        }
        assertThat(ssl).as("sessions of the services' databases").hasSizeGreaterThanOrEqualTo(
                RunningPlatform.SERVICES.size());
        return ssl;
    }

    private static long ledgerEntries() throws Exception {
        try (Connection connection = platform.connect("points-service");
             ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM points_ledger")) {
            count.next();
            return count.getLong(1);
        }
    }

    /**
     * The sum of a metric's series. Kafka's clients report theirs per topic, a topic with a dot twice (its name and
     * the name with underscores): each client and topic is counted once.
     */
    private static double sumOf(String metrics, String name) {
        Map<String, Double> series = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labels = line.substring(name.length(), line.lastIndexOf(' ')).replace('.', '_');
                series.put(labels, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return series.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Duration patience() {
        return Duration.ofMinutes(4).plusSeconds(CUSTOMERS / 50);
    }
}
