package dev.retention.points;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.Caps;
import dev.retention.contracts.programme.ProgrammeDocument.Conditions;
import dev.retention.contracts.programme.ProgrammeDocument.Earning;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Effect;
import dev.retention.contracts.programme.ProgrammeDocument.EffectType;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;
import dev.retention.contracts.programme.ProgrammeDocument.Window;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.points.application.ApplyPointsEvents;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The programme as data on the real broker and database: a version published on {@code retention.programme} with a
 * double-points window applies to orders by the time they were placed, whenever they are processed, and replaying the
 * same topics into a fresh database rebuilds the identical ledger.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeFlowTest {

    /** Far enough ahead that no other test's orders (placed now) fall under the version. */
    static final Instant EFFECTIVE_FROM = Instant.parse("2031-01-01T00:00:00Z");
    static final Window DOUBLE_POINTS_WINDOW = new Window(Instant.parse("2030-12-01T00:00:00Z"),
            Instant.parse("2031-01-05T00:00:00Z"));

    private static KafkaTestClient kafka;

    @Inject
    ProgrammeVersions versions;
    @Inject
    ApplyPointsEvents applyPointsEvents;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_TIER_CHANGES, Topics.LOYALTY_POINTS, Topics.RETENTION_TRIGGERS,
                Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aDoublePointsWindowDoublesOrdersPlacedInItUnderItsVersionAndAReplayRebuildsTheSameLedger() {
        publishVersionOnce();
        String customer = "c-" + UUID.randomUUID();

        List<EventEnvelope<?>> orders = List.of(
                // In the window and under the version: twice.
                TestEvents.orderPlaced(customer).orderId("in-" + customer)
                        .placedAt(Instant.parse("2031-01-03T12:00:00Z")).line("sku", 1, "40.00").build(),
                // Under the version, after the window: once.
                TestEvents.orderPlaced(customer).orderId("after-" + customer)
                        .placedAt(Instant.parse("2031-01-10T12:00:00Z")).line("sku", 1, "30.00").build(),
                // In the window's dates but placed before effectiveFrom, processed after the version was published:
                // the baseline in force then earns once.
                TestEvents.orderPlaced(customer).orderId("before-" + customer)
                        .placedAt(Instant.parse("2030-12-31T23:00:00Z")).line("sku", 1, "20.00").build());
        orders.forEach(order -> kafka.publish(Topics.ORDERS, order));

        JsonPath ledger = awaitLedger(customer, 3);
        assertThat(earningOf(ledger, "in-" + customer)).isEqualTo(80);
        assertThat(earningOf(ledger, "after-" + customer)).isEqualTo(30);
        assertThat(earningOf(ledger, "before-" + customer)).isEqualTo(20);
        assertThat(ledger.getList("entries.find { it.orderId == 'in-" + customer + "' }.rules.ruleId"))
                .containsExactly("order.base", "double-points");
        assertThat(ledger.getList("entries.find { it.orderId == 'in-" + customer + "' }.rules.points"))
                .containsExactly(40, 40);

        List<List<Object>> live = ledgerRows(pool, customer);
        assertThat(live).hasSize(3);
        assertThat(replayIntoAFreshDatabase(customer)).isEqualTo(live);
    }

    @Test
    void aPerCustomerCapCountsThePointsOfEarlierBatchesInTheSameMonth() {
        publishVersionOnce();
        String customer = "c-" + UUID.randomUUID();

        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId("app-1-" + customer).channel("app")
                .placedAt(Instant.parse("2031-02-03T12:00:00Z")).line("sku", 1, "10.00").build());
        awaitLedger(customer, 1);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId("app-2-" + customer).channel("app")
                .placedAt(Instant.parse("2031-02-20T12:00:00Z")).line("sku", 1, "10.00").build());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId("app-3-" + customer).channel("app")
                .placedAt(Instant.parse("2031-03-01T12:00:00Z")).line("sku", 1, "10.00").build());

        JsonPath ledger = awaitLedger(customer, 3);
        assertThat(earningOf(ledger, "app-1-" + customer)).isEqualTo(20); // 10 + the app bonus of 10
        assertThat(earningOf(ledger, "app-2-" + customer)).isEqualTo(15); // 10 + the 5 left of February's 15
        assertThat(earningOf(ledger, "app-3-" + customer)).isEqualTo(20); // March starts again
        assertThat(capUsed(customer, "2031-02-01")).isEqualTo(15);
    }

    private long capUsed(String customer, String periodStart) {
        return pool.preparedQuery("SELECT points FROM points_rule_usage WHERE customer_id = $1 AND rule_id = 'app-bonus'"
                        + " AND period = 'MONTH' AND period_start = $2")
                .executeAndAwait(Tuple.of(customer, LocalDate.parse(periodStart))).iterator().next().getLong(0);
    }

    private static volatile boolean published;

    /** Version 1: the initial programme plus a double-points window and an app bonus capped per customer and month. */
    private void publishVersionOnce() {
        if (!published) {
            publishVersion();
            published = true;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.inForceAt(EFFECTIVE_FROM).isPresent());
    }

    private void publishVersion() {
        ProgrammeDocument initial = ProgrammeJson.initial();
        EarningRule doublePoints = new EarningRule("double-points", "Double points weekend",
                new Conditions(null, null, null, null, null, null, DOUBLE_POINTS_WINDOW, null, null),
                new Effect(EffectType.MULTIPLIER, new BigDecimal("2")), null);
        EarningRule appBonus = new EarningRule("app-bonus", "App orders", new Conditions(List.of("app"), null, null,
                null, null, null, null, null, null), new Effect(EffectType.FIXED_PER_ORDER, BigDecimal.TEN),
                new Caps(null, 15L, CapPeriod.MONTH));
        ProgrammeDocument document = new ProgrammeDocument(initial.timeZone(), initial.reportingCurrency(),
                initial.currencies(), initial.tiers(), new Earning(Stacking.SUM, List.of(doublePoints, appBonus)),
                initial.bonuses(), initial.redemption(), initial.pending(), initial.expiry(), initial.triggers(),
                initial.guards());
        ProgrammeVersion version = new ProgrammeVersion(1, EFFECTIVE_FROM, Instant.now(), "test-admin",
                "double points weekend", null, document);
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test",
                Instant.now(), "default", new ProgrammePublished("default", List.of(version))));
    }

    /**
     * Reads the topics from the beginning as a new consumer would (no committed offsets), takes the customer's
     * records, and applies them with the service's own handler to a fresh database migrated from scratch.
     */
    private List<List<Object>> replayIntoAFreshDatabase(String customer) {
        EventDecoder decoder = new EventDecoder();
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (String topic : List.of(Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS)) {
            kafka.readAll(topic).stream().filter(r -> customer.equals(r.key()))
                    .map(r -> decoder.decode(topic, r.key(), r.value(), Map.of()))
                    .filter(DecodeResult.Decoded.class::isInstance)
                    .map(result -> ((DecodeResult.Decoded) result).event())
                    .filter(event -> applyPointsEvents.eventTypes().contains(event.type()))
                    .forEach(events::add);
        }
        try (TestDatabase fresh = TestDatabase.create("retention_points_replay")) {
            Flyway.configure().dataSource(fresh.jdbcUrl(), fresh.username(), fresh.password())
                    .locations("db/eventing", "db/migration").load().migrate();
            Pool replay = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(fresh.reactiveUrl())
                    .setUser(fresh.username()).setPassword(fresh.password())).using(vertx).build();
            try {
                replay.withTransaction(tx -> applyPointsEvents.apply(tx, events)).await().atMost(Duration.ofSeconds(30));
                return ledgerRows(replay, customer);
            } finally {
                replay.closeAndAwait();
            }
        }
    }

    /** The customer's ledger in order, every column but the database's own sequence and write time. */
    private static List<List<Object>> ledgerRows(SqlClient client, String customer) {
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : client.preparedQuery("""
                        SELECT entry_id, kind, points, available_after, pending_after, debt_after, order_id, rule,
                               cause_event_id, occurred_at::text, note, rules
                        FROM points_ledger WHERE customer_id = $1 ORDER BY seq""")
                .executeAndAwait(Tuple.of(customer))) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(row.getValue(i));
            }
            rows.add(values);
        }
        return rows;
    }

    private static long earningOf(JsonPath ledger, String orderId) {
        return ledger.getLong("entries.find { it.orderId == '" + orderId + "' && it.rule == 'order.earning' }.points");
    }

    private static JsonPath awaitLedger(String customer, int entries) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = Api.admin().get("/customers/{id}/points/ledger", customer);
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = response.jsonPath();
            return last[0].getList("entries").size() >= entries;
        });
        return last[0];
    }
}
