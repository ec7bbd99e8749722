package dev.retention.tiers.application;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job's use case called directly with a moved clock, against the real database; what it writes to the outbox
 * is read back from the real broker. The scheduled job may run the same work in between: the outcome is the same.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ReevaluateDueTiersTest {

    private static KafkaTestClient kafka;

    @Inject
    ReevaluateDueTiers reevaluateDue;
    @Inject
    ApplyOrderEvents applyOrderEvents;
    @Inject
    MovableClock clock;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.LOYALTY_TIER_CHANGES);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aCustomerUnderTheThresholdIsWarnedWhenDueThenDowngradedAndOthersAreLeftAlone() {
        String falling = newCustomer();
        String steady = newCustomer();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(falling).line("sku", 1, "700.00").build();
        apply(order, TestEvents.orderPlaced(steady).line("sku", 1, "600.00").build());
        apply(TestEvents.orderReturned(falling, order.data().orderId(), "300.00", "EUR"));

        clock.advance(Duration.ofDays(17)); // past the warning (30 days' grace, 14 days' notice), before the downgrade
        reevaluateDue.reevaluateAll().await().atMost(Duration.ofSeconds(30));

        assertThat(status(falling).getString("tier")).isEqualTo("silver");
        assertThat(status(falling).getOffsetDateTime("risk_notified_for")).isNotNull();
        // Only the job's events: the orders' events went back to this test, not through the kit's outbox.
        await().atMost(Duration.ofSeconds(30)).until(() -> published(falling).size() == 1);
        assertThat(published(falling).get(0).data()).isInstanceOfSatisfying(TierDowngradeAtRisk.class,
                risk -> assertThat(risk.shortfall().amount()).isEqualByComparingTo("100.00"));

        clock.advance(Duration.ofDays(14));
        reevaluateDue.reevaluateAll().await().atMost(Duration.ofSeconds(30));

        assertThat(status(falling).getString("tier")).isEqualTo("bronze");
        assertThat(history(falling)).containsExactly("INITIAL", "DOWN");
        await().atMost(Duration.ofSeconds(30)).until(() -> published(falling).size() == 2);
        assertThat(published(falling).get(1).data()).isInstanceOfSatisfying(TierChanged.class,
                changed -> assertThat(changed.direction()).isEqualTo(TierChanged.Direction.DOWN));
        assertThat(status(steady).getString("tier")).isEqualTo("silver");
        assertThat(history(steady)).containsExactly("INITIAL");
    }

    @Test
    void aRunGoesOnChunkAfterChunkUntilNoCustomerIsDue() {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // the tests' chunk is 3 customers: two full chunks and one more
            String customer = newCustomer();
            EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).line("sku", 1, "700.00").build();
            apply(order);
            apply(TestEvents.orderReturned(customer, order.data().orderId(), "300.00", "EUR"));
            customers.add(customer);
        }

        clock.advance(Duration.ofDays(17));
        reevaluateDue.reevaluateAll().await().atMost(Duration.ofSeconds(30));

        assertThat(customers).allSatisfy(customer ->
                assertThat(status(customer).getOffsetDateTime("risk_notified_for")).isNotNull());
    }

    private void apply(EventEnvelope<?>... events) {
        pool.withTransaction(tx -> applyOrderEvents.apply(tx, List.of(events))).await().atMost(Duration.ofSeconds(30));
    }

    private Row status(String customer) {
        return pool.preparedQuery("SELECT tier, risk_notified_for, next_evaluation_at FROM tier_status "
                + "WHERE customer_id = $1").execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(30))
                .iterator().next();
    }

    private List<String> history(String customer) {
        List<String> directions = new ArrayList<>();
        pool.preparedQuery("SELECT direction FROM tier_history WHERE customer_id = $1 ORDER BY seq")
                .execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> directions.add(row.getString("direction")));
        return directions;
    }

    private static List<EventEnvelope<?>> published(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.LOYALTY_TIER_CHANGES).stream().filter(r -> customer.equals(r.key()))
                .<EventEnvelope<?>>map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.LOYALTY_TIER_CHANGES,
                        r.key(), r.value(), Map.of())).event())
                .toList();
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
