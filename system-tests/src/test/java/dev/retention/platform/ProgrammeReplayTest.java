package dev.retention.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.local.LocalPlatform;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The programme as data on the packaged platform: a version published through programme-service's API applies at
 * each order's business time, and points-service rebuilt from an empty database (its consumer groups deleted, so it
 * reads every topic from the beginning) writes the identical ledger.
 */
class ProgrammeReplayTest {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static RunningPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new RunningPlatform(Path.of("..").toAbsolutePath().normalize(), "programme", List.of(),
                Map.of("programme-service", Map.of("PROGRAMME_ACTIVATION_DELAY", "2s")), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aDoublePointsWindowAppliesByBusinessTimeAndARebuildWritesTheIdenticalLedger() throws Exception {
        Instant now = Instant.now();
        Instant effectiveFrom = publishDoublePoints(now, now.plus(Duration.ofHours(1)));
        String dana = "dana-" + UUID.randomUUID().toString().substring(0, 8);
        List<EventEnvelope<?>> orders = new ArrayList<>();
        // Placed before the version took effect, inside the window's dates: processed after, it earns once.
        orders.add(TestEvents.orderPlaced(dana).line("tea-set", 1, "40.00").placedAt(now).build());
        // Inside the window, after the version took effect: twice.
        orders.add(TestEvents.orderPlaced(dana).line("tea-set", 1, "40.00")
                .placedAt(effectiveFrom.plusSeconds(60)).build());
        // After the window: once.
        orders.add(TestEvents.orderPlaced(dana).line("tea-set", 1, "40.00")
                .placedAt(now.plus(Duration.ofHours(2))).build());
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String customer = "shopper-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            others.add(customer);
            orders.add(TestEvents.orderPlaced(customer).line("mug", 1 + i % 3, "9.50")
                    .placedAt(effectiveFrom.plusSeconds(10 + i)).build());
            orders.add(TestEvents.orderPlaced(customer).line("kettle", 1, "39.90")
                    .placedAt(now.plus(Duration.ofHours(3))).build());
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), effectiveFrom).toMillis()) + 3000);
        try (KafkaTestClient kafka = new KafkaTestClient(platform.broker.bootstrapServers())) {
            kafka.publishAll(Topics.ORDERS, orders);
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> ledger().size() >= orders.size());
        Map<String, Map<String, Object>> first = ledger();
        assertThat(earnedByOrder(first, dana)).containsExactly(40L, 80L, 40L);
        assertThat(first.values().stream().filter(row -> String.valueOf(row.get("rules"))
                .contains("double-points-weekend")).count()).as("entries naming the rule")
                .isEqualTo(1 + others.size());

        rebuildPointsServiceFromTheBeginning();

        await().atMost(Duration.ofSeconds(120)).until(() -> ledger().size() >= first.size());
        assertThat(ledger()).isEqualTo(first);
    }

    /** Publishes the version in force plus a double-points rule for the window; returns its effectiveFrom. */
    private static Instant publishDoublePoints(Instant from, Instant until) throws Exception {
        JsonNode programme = await().atMost(Duration.ofSeconds(30)).until(() -> body(platform.call("programme-service",
                "GET", "/programmes/default", null, "marketer"), 200), node -> node.path("inForce").isObject());
        ObjectNode document = LocalPlatform.withDoublePointsWeekend(
                programme.path("inForce").path("document").deepCopy(), from, until);
        ObjectNode draft = JSON.createObjectNode().put("note", "double points");
        draft.set("document", document);
        String draftId = body(platform.call("programme-service", "POST", "/programmes/default/drafts",
                JSON.writeValueAsString(draft), "marketer"), 201).path("id").asText();
        assertThat(body(platform.call("programme-service", "POST", "/drafts/" + draftId + "/validation", null,
                "marketer"), 200).path("valid").asBoolean()).isTrue();
        JsonNode version = body(platform.call("programme-service", "POST", "/drafts/" + draftId + "/publication",
                "{\"reason\":\"double points\"}", "admin"), 201);
        assertThat(version.path("version").asInt()).isEqualTo(2);
        return Instant.parse(version.path("effectiveFrom").asText());
    }

    private static JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    /**
     * points-service stopped, its schema emptied, its consumer groups deleted (so it reads every topic from the
     * beginning, the programme's too), then started again.
     */
    private static void rebuildPointsServiceFromTheBeginning() throws Exception {
        platform.service("points-service").close();
        try (Connection connection = platform.connect("points-service");
             Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.broker.bootstrapServers()))) {
            admin.deleteConsumerGroups(List.of("points-service", "points-service-programme")).all()
                    .get(30, TimeUnit.SECONDS);
        }
        platform.service("points-service").start();
    }

    /** Every ledger row by entry id, without what only records when it was written (seq, recorded_at). */
    private static Map<String, Map<String, Object>> ledger() throws Exception {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Connection connection = platform.connect("points-service");
             Statement sql = connection.createStatement();
             ResultSet result = sql.executeQuery("SELECT * FROM points_ledger ORDER BY customer_id, seq")) {
            ResultSetMetaData columns = result.getMetaData();
            int position = 0;
            String customer = null;
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    String name = columns.getColumnName(i);
                    if (!name.equals("seq") && !name.equals("recorded_at")) {
                        row.put(name, result.getObject(i));
                    }
                }
                // A customer's entries in the order they were written: the same order on a rebuild.
                position = result.getString("customer_id").equals(customer) ? position + 1 : 0;
                customer = result.getString("customer_id");
                row.put("position", position);
                rows.put(result.getString("entry_id"), row);
            }
        } catch (java.sql.SQLException noTableYet) {
            return Map.of(); // while the rebuilt service migrates its empty schema
        }
        return rows;
    }

    private static List<Long> earnedByOrder(Map<String, Map<String, Object>> ledger, String customer) {
        return ledger.values().stream().filter(row -> customer.equals(row.get("customer_id")))
                .filter(row -> String.valueOf(row.get("kind")).startsWith("EARNED"))
                .map(row -> ((Number) row.get("points")).longValue()).toList();
    }
}
