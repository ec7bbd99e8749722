package dev.retention.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a {@link ShopLoad} leaves on a {@link RunningPlatform} that lost and doubled nothing: balances, spend, ledger
 * entries, vouchers, triggers, notifications, mails and dead letters exactly as the shop's events call for (computed
 * by {@code ShopLoad}, not by the services' code). Shared by the tests that break the platform in different ways.
 */
final class ExactState {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunningPlatform platform;
    private final ShopLoad load;
    private final Duration patience;

    ExactState(RunningPlatform platform, ShopLoad load, Duration patience) {
        this.platform = platform;
        this.load = load;
        this.patience = patience;
    }

    void assertEverythingAsTheShopsEventsCallFor() throws Exception {
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
    private String whatPointsServiceHolds(ShopLoad.Customer c) {
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
                    String type = event.path("type").asText();
                    if (type.equals("order.placed")) { // placed once by its order row, not claimed in the inbox
                        boolean placed = !rows(connection, "SELECT 1 FROM points_order WHERE order_id = ? AND placed",
                                event.at("/data/orderId").asText()).isEmpty();
                        text.append(' ').append(type).append(' ').append(id)
                                .append(placed ? " (order placed)" : " (order NOT placed)");
                        continue;
                    }
                    boolean claimed = !rows(connection, "SELECT 1 FROM eventing_inbox WHERE event_id = ?", id)
                            .isEmpty();
                    text.append(' ').append(type).append(' ').append(id)
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
    private Map<String, Long> expected(Function<ShopLoad.Customer, Long> count) {
        return load.customers.stream().filter(c -> count.apply(c) > 0)
                .collect(Collectors.toMap(ShopLoad.Customer::id, count, (a, b) -> a, TreeMap::new));
    }

    private Map<String, Long> countsByCustomer(String service, String sql) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = platform.connect(service);
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    Map<String, Long> outputRecordCounts() {
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            for (String topic : Topics.OUTPUT) {
                counts.put(topic, (long) RunningPlatform.distinctEvents(reader, topic).size());
            }
        }
        return counts;
    }

    void awaitSentOutcomes(long expected) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
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

    static void send(KafkaTestClient shop, List<ShopLoad.Record> records) {
        shop.sendAll(records.stream().map(r -> new ProducerRecord<>(r.topic(), r.key(), r.value())).toList());
    }
}
