package dev.retention.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.testsupport.KafkaTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarantees of ARCHITECTURE.md on the running platform: the four packaged services as separate processes, a
 * shop's load with 10 % duplicated and 1 % malformed records, and while it flows every database goes away for a
 * while, every service is killed with SIGKILL and restarted, the broker is restarted, and second instances of
 * campaign-, points- and notification-service join and leave their consumer groups. Afterwards balances, spend, triggers, vouchers, mails and dead letters
 * are exactly what the shop's events call for (computed by {@link ShopLoad}, not by the services' code); then every
 * consumer group is reset to the beginning and the replay changes nothing.
 *
 * <p>{@code -Dfaults.customers=N} scales the load (default 1,000 customers, about 3,900 records; 28,000 customers
 * make about 110,000).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {

    private static final int CUSTOMERS = Integer.getInteger("faults.customers", 1000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningPlatform platform;
    private static ShopLoad load;
    /** Whether the first test got the whole load through: the replay's expectations assume it did. */
    private static boolean loadThrough;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = new RunningPlatform(Path.of("..").toAbsolutePath().normalize());
        load = new ShopLoad("f" + UUID.randomUUID().toString().substring(0, 6), CUSTOMERS);
    }

    @AfterAll
    static void stopThePlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void killedServicesARestartedBrokerALostDatabaseAndRebalancesLoseAndDoubleNothing() throws Exception {
        long started = System.nanoTime();
        try (KafkaTestClient shop = new KafkaTestClient(platform.broker.bootstrapServers())) {
            // Profiles first, as a shop's sign-up precedes orders. Meanwhile every database goes away for 5 s.
            List<ShopLoad.Record> profiles = load.phases.get(0);
            send(shop, profiles.subList(0, profiles.size() / 2));
            platform.databaseOutage(Duration.ofSeconds(5));
            send(shop, profiles.subList(profiles.size() / 2, profiles.size()));
            platform.awaitQuiet(patience());

            // Orders: points- and tier-service killed half way; a second campaign-service joins its group.
            List<ShopLoad.Record> orders = load.phases.get(1);
            send(shop, orders.subList(0, orders.size() / 2));
            platform.service("points-service").kill();
            platform.service("tier-service").kill();
            try (var campaignReplica = platform.replica("campaign-service")) {
                send(shop, orders.subList(orders.size() / 2, orders.size()));
                platform.service("points-service").start();
                platform.service("tier-service").start();
                platform.awaitQuiet(patience());

                // What happened to the orders: second points- and notification-services join; campaign- and
                // notification-service killed, the broker restarted; the second instances leave their groups
                // (SIGTERM) while the first campaign- and notification-service are down.
                List<ShopLoad.Record> news = load.phases.get(2);
                try (var pointsReplica = platform.replica("points-service");
                     var notificationReplica = platform.replica("notification-service")) {
                    send(shop, news.subList(0, news.size() / 2));
                    platform.service("campaign-service").kill();
                    platform.service("notification-service").kill();
                    platform.broker.restart();
                    send(shop, news.subList(news.size() / 2, news.size() * 3 / 4));
                    campaignReplica.close();
                    pointsReplica.close();
                    notificationReplica.close();
                }
                send(shop, news.subList(news.size() * 3 / 4, news.size()));
                platform.service("campaign-service").start();
                platform.service("notification-service").start();
                platform.awaitQuiet(patience());
            }
        }
        awaitSentOutcomes(load.customers.stream().mapToLong(c -> c.triggers().size()).sum());
        loadThrough = true;
        Map<String, String> rss = new TreeMap<>();
        for (String service : RunningPlatform.SERVICES) {
            rss.put(service, String.format("%.0f MiB", platform.service(service).peakRssMiB()));
        }
        System.out.printf("fault test: %d customers, %d records (%s malformed) through a database outage, kill -9 of "
                        + "every service, a broker restart and second replicas in %d s; %d mails; peak RSS (-Xmx256m) "
                        + "since the last restart %s%n", CUSTOMERS, load.records(), load.malformed,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), platform.mails().size(), rss);

        assertEverythingAsTheShopsEventsCallFor();
    }

    @Test
    @Order(2)
    void replayingEveryTopicFromTheBeginningChangesNothing() throws Exception {
        assertThat(loadThrough).as("the fault test got its load through (else the replay has nothing to compare)")
                .isTrue();
        Map<String, Long> outputBefore = outputRecordCounts();
        int mailsBefore = platform.mails().size();
        for (String service : RunningPlatform.SERVICES) {
            platform.service(service).close();
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.broker.bootstrapServers()))) {
            for (Map.Entry<String, List<String>> group : RunningPlatform.CONSUMED.entrySet()) {
                Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(group.getValue()).allTopicNames()
                        .get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()));
                Map<TopicPartition, OffsetAndMetadata> beginning = admin.listOffsets(partitions).all()
                        .get(10, TimeUnit.SECONDS).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
                admin.alterConsumerGroupOffsets(group.getKey(), beginning).all().get(10, TimeUnit.SECONDS);
            }
        }
        for (String service : RunningPlatform.SERVICES) {
            platform.service(service).start();
        }
        platform.awaitQuiet(patience());
        Thread.sleep(5000); // the dispatcher's next runs

        assertThat(outputRecordCounts()).as("records on the output topics").isEqualTo(outputBefore);
        assertThat(platform.mails()).hasSize(mailsBefore);
        assertEverythingAsTheShopsEventsCallFor();
    }

    private void assertEverythingAsTheShopsEventsCallFor() throws Exception {
        for (ShopLoad.Customer c : load.customers) {
            JsonNode balance = JSON.readTree(platform.api("points-service", "/customers/" + c.id() + "/points"));
            assertThat(List.of(balance.get("available").asLong(), balance.get("pending").asLong()))
                    .as(() -> "points of " + c + whatPointsServiceHolds(c)).containsExactly(c.available(), c.pending());
            JsonNode tier = JSON.readTree(platform.api("tier-service", "/customers/" + c.id() + "/tier"));
            assertThat(new BigDecimal(tier.at("/qualifyingSpend/amount").asText())).as("spend of %s", c)
                    .isEqualByComparingTo(c.qualifyingSpend());
            assertThat(tier.get("tier").asText()).isEqualTo("bronze");
        }
        assertThat(countsByCustomer("points-service", "SELECT customer_id, count(*) FROM points_ledger GROUP BY 1"))
                .as("ledger entries").isEqualTo(expected(c -> (long) c.ledgerEntries()));
        assertThat(countsByCustomer("campaign-service", "SELECT customer_id, count(*) FROM voucher GROUP BY 1"))
                .as("vouchers").isEqualTo(expected(c -> (long) c.vouchers()));

        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            // Output events: a relay retried after a crash may publish an event again, under the same id.
            Map<String, Long> entries = RunningPlatform.distinctEvents(reader, Topics.LOYALTY_POINTS).values().stream()
                    .filter(e -> e.data() instanceof PointsChanged)
                    .collect(Collectors.groupingBy(EventEnvelope::subject, TreeMap::new, Collectors.counting()));
            assertThat(entries).as("points.changed per customer").isEqualTo(expected(c -> (long) c.ledgerEntries()));

            Map<String, Map<String, Integer>> triggers = new TreeMap<>();
            Set<String> triggerIds = new HashSet<>();
            for (EventEnvelope<?> event : RunningPlatform.distinctEvents(reader, Topics.RETENTION_TRIGGERS).values()) {
                if (!(event.data() instanceof TriggerFired fired)) {
                    continue; // a held-out trigger or a voucher's use: not a trigger that acted
                }
                assertThat(triggerIds.add(fired.triggerId())).as("trigger %s published once", fired.triggerId())
                        .isTrue();
                triggers.computeIfAbsent(event.subject(), k -> new TreeMap<>())
                        .merge(fired.triggerType().wireName(), 1, Integer::sum);
            }
            assertThat(triggers).isEqualTo(load.customers.stream().collect(Collectors.toMap(ShopLoad.Customer::id,
                    ShopLoad.Customer::triggers, (a, b) -> a, TreeMap::new)));

            Map<String, Long> sent = RunningPlatform.distinctEvents(reader, Topics.RETENTION_NOTIFICATIONS).values().stream()
                    .map(e -> (NotificationOutcome) e.data())
                    .filter(o -> o.outcome() == NotificationOutcome.Outcome.SENT)
                    .collect(Collectors.groupingBy(NotificationOutcome::notificationId, Collectors.counting()));
            long expectedMails = load.customers.stream().mapToLong(c -> c.triggers().size()).sum();
            assertThat(sent).as("one SENT outcome per notification").hasSize((int) expectedMails)
                    .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));

            Map<String, Long> mailsPerCustomer = platform.mails().stream()
                    .collect(Collectors.groupingBy(RunningPlatform.Mail::messageId, Collectors.toSet())).values()
                    .stream().map(m -> m.iterator().next().to().replace("@example.com", ""))
                    .collect(Collectors.groupingBy(to -> to, TreeMap::new, Collectors.counting()));
            assertThat(mailsPerCustomer).as("distinct mails (by Message-ID) per customer")
                    .isEqualTo(expected(c -> (long) c.triggers().size()));

            // A dead letter relayed again after a crash is the same record's: count source records.
            Map<String, Integer> deadLetters = new TreeMap<>();
            for (String topic : load.expectedDeadLetters().keySet()) {
                deadLetters.put(topic, (int) reader.readAll(topic).stream().map(r -> header(r,
                        "retention.dlq.source-partition") + "/" + header(r, "retention.dlq.source-offset"))
                        .distinct().count());
            }
            assertThat(deadLetters).as("dead letters").isEqualTo(load.expectedDeadLetters());
        }
    }

    /**
     * For a failure's message: the customer's ledger and orders in points-service, which of the shop's events for
     * them its inbox holds, and its dead letters keyed by them. CI shows a failure's message, not the services' logs.
     */
    private static String whatPointsServiceHolds(ShopLoad.Customer c) {
        StringBuilder text = new StringBuilder();
        try (Connection connection = platform.connect("points-service")) {
            text.append("\n  ledger: ").append(rows(connection, "SELECT kind, rule, points, order_id, cause_event_id "
                    + "FROM points_ledger WHERE customer_id = ? ORDER BY occurred_at, entry_id", c.id()));
            text.append("\n  orders: ").append(rows(connection, "SELECT order_id, placed, earned, reversed, cancelled "
                    + "FROM points_order WHERE customer_id = ? ORDER BY order_id", c.id()));
            text.append("\n  shop events:");
            for (List<ShopLoad.Record> phase : load.phases) {
                for (ShopLoad.Record record : phase) {
                    if (!record.key().equals(c.id())) {
                        continue;
                    }
                    JsonNode event;
                    try {
                        event = JSON.readTree(record.value());
                    } catch (IOException malformed) {
                        continue; // one of the malformed records: its dead letters are counted elsewhere
                    }
                    String id = event.path("id").asText();
                    boolean claimed = !rows(connection, "SELECT 1 FROM eventing_inbox WHERE event_id = ?", id)
                            .isEmpty();
                    text.append(' ').append(event.path("type").asText()).append(' ').append(id)
                            .append(claimed ? " (in the inbox)" : " (NOT in the inbox)");
                }
            }
        } catch (Exception e) {
            text.append("\n  (could not read points-service's database: ").append(e).append(')');
        }
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            for (String topic : RunningPlatform.CONSUMED.get("points-service")) {
                for (ConsumerRecord<String, byte[]> letter : reader.readAll(Topics.deadLetterTopic(topic,
                        "points-service"))) {
                    if (c.id().equals(letter.key())) {
                        text.append("\n  dead letter ").append(header(letter, "retention.dlq.source-partition"))
                                .append('/').append(header(letter, "retention.dlq.source-offset")).append(": ")
                                .append(header(letter, "retention.dlq.reason")).append(' ')
                                .append(header(letter, "retention.dlq.detail"));
                    }
                }
            }
        }
        return text.toString();
    }

    private static List<String> rows(Connection connection, String sql, String parameter) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(String.join(" ", row));
                }
            }
        }
        return rows;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Expected per-customer counts, leaving out customers with none (a count query has no row for them). */
    private static Map<String, Long> expected(Function<ShopLoad.Customer, Long> count) {
        return load.customers.stream().filter(c -> count.apply(c) > 0)
                .collect(Collectors.toMap(ShopLoad.Customer::id, count, (a, b) -> a, TreeMap::new));
    }

    private static Map<String, Long> countsByCustomer(String service, String sql) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = platform.connect(service);
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    private static Map<String, Long> outputRecordCounts() {
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            for (String topic : Topics.OUTPUT) {
                counts.put(topic, (long) RunningPlatform.distinctEvents(reader, topic).size());
            }
        }
        return counts;
    }

    private static void awaitSentOutcomes(long expected) throws Exception {
        long deadline = System.nanoTime() + patience().toNanos();
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            while (true) {
                long sent = RunningPlatform.distinctEvents(reader, Topics.RETENTION_NOTIFICATIONS).values().stream()
                        .filter(e -> ((NotificationOutcome) e.data()).outcome() == NotificationOutcome.Outcome.SENT)
                        .count();
                if (sent >= expected) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + sent + " of " + expected + " notifications sent");
                }
                Thread.sleep(1000);
            }
        }
    }

    /** How long to wait for the platform to catch up: three minutes, and more for a larger load. */
    private static Duration patience() {
        return Duration.ofMinutes(3).plusSeconds(CUSTOMERS / 50);
    }

    private static void send(KafkaTestClient shop, List<ShopLoad.Record> records) {
        shop.sendAll(records.stream().map(r -> new ProducerRecord<>(r.topic(), r.key(), r.value())).toList());
    }
}
