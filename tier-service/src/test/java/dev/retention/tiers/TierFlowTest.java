package dev.retention.tiers;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.eventing.DeadLetters;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.tiers.application.ReevaluateDueTiers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Orders in, tiers and loyalty.tier-changes out, on the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class TierFlowTest {

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    ReevaluateDueTiers reevaluateDue;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.LOYALTY_TIER_CHANGES);
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
    void spendingUpgradesAtOnceAndPublishesEachChange() {
        String customer = newCustomer();
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "600.00").build());
        awaitTier(customer, "silver");

        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "1000.00").build());

        JsonPath tier = awaitTier(customer, "gold");
        assertThat(tier.getString("qualifyingSpend.amount")).isEqualTo("1600.00");
        assertThat(tier.getString("nextTier")).isNull();
        List<TierChanged> changes = awaitChanges(customer, 2).stream().map(e -> (TierChanged) e.data()).toList();
        assertThat(changes).extracting(TierChanged::direction)
                .containsExactly(TierChanged.Direction.INITIAL, TierChanged.Direction.UP);
        assertThat(changes).extracting(TierChanged::toTier).containsExactly("silver", "gold");
        var history = Api.admin().get("/customers/{id}/tier/history", customer).jsonPath();
        assertThat(history.getList("entries.toTier")).containsExactly("gold", "silver");
    }

    @Test
    void aReturnStartsTheGracePeriodThenAWarningThenTheDowngrade() {
        String customer = newCustomer();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).line("sku", 1, "700.00").build();
        kafka.publish(Topics.ORDERS, order);
        awaitTier(customer, "silver");
        kafka.publish(Topics.ORDERS, TestEvents.orderReturned(customer, order.data().orderId(), "300.00", "EUR"));
        await().atMost(Duration.ofSeconds(30)).until(() -> tier(customer).getString("downgradeOn") != null);
        assertThat(tier(customer).getString("tier")).isEqualTo("silver");

        clock.advance(Duration.ofDays(17));
        reevaluateDue.reevaluateAll().await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> published(customer).stream()
                .anyMatch(e -> e.data() instanceof TierDowngradeAtRisk));

        clock.advance(Duration.ofDays(14));
        reevaluateDue.reevaluateAll().await().atMost(Duration.ofSeconds(30));

        assertThat(tier(customer).getString("tier")).isEqualTo("bronze");
        List<EventEnvelope<?>> events = awaitChanges(customer, 3);
        assertThat(events).extracting(e -> e.data().getClass().getSimpleName())
                .containsExactly("TierChanged", "TierDowngradeAtRisk", "TierChanged");
        TierDowngradeAtRisk risk = (TierDowngradeAtRisk) events.get(1).data();
        assertThat(risk.shortfall().amount()).isEqualByComparingTo("100.00");
    }

    @Test
    void duplicatedOrdersCountOnceAndOtherCurrenciesAreConverted() {
        String customer = newCustomer();
        EventEnvelope<OrderPlaced> dollars = TestEvents.orderPlaced(customer).currency("USD").line("sku", 1, "500.00")
                .build();
        kafka.publish(Topics.ORDERS, dollars);
        kafka.publish(Topics.ORDERS, dollars);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(dollars.data().orderId())
                .line("sku", 1, "500.00").currency("USD").build());

        JsonPath tier = awaitTier(customer, "bronze");
        assertThat(tier.getString("qualifyingSpend.amount")).isEqualTo("460.00");
        assertThat(tier.getString("amountToNextTier.amount")).isEqualTo("40.00");
        assertThat(awaitChanges(customer, 1)).hasSize(1);
    }

    @Test
    void anOrderInACurrencyWithoutRateIsDeadLettered() {
        String customer = newCustomer();
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).currency("JPY").line("sku", 1, "90000")
                .shipping("0").build());

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(customer).size() == 1);
        ConsumerRecord<String, byte[]> deadLetter = deadLetters(customer).get(0);
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetters.DETAIL).value(), StandardCharsets.UTF_8))
                .contains("no exchange rate for JPY");
    }

    @Test
    void tierDefinitionsAndErrors() {
        var tiers = Api.analyst().get("/tiers").then().statusCode(200).extract().jsonPath();
        assertThat(tiers.getList("name")).containsExactly("bronze", "silver", "gold");
        assertThat(tiers.getString("[1].threshold.amount")).isEqualTo("500.00");

        var missing = Api.admin().get("/customers/{id}/tier", newCustomer());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(Api.admin().get("/customers/x/tier/history?limit=0").statusCode()).isEqualTo(400);
    }

    private static JsonPath tier(String customer) {
        return Api.admin().get("/customers/{id}/tier", customer).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitTier(String customer, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = Api.admin().get("/customers/{id}/tier", customer);
            return response.statusCode() == 200 && expected.equals(response.jsonPath().getString("tier"));
        });
        return tier(customer);
    }

    private static List<EventEnvelope<?>> published(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.LOYALTY_TIER_CHANGES).stream().filter(r -> customer.equals(r.key()))
                .<EventEnvelope<?>>map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.LOYALTY_TIER_CHANGES,
                        r.key(), r.value(), Map.of())).event())
                .toList();
    }

    private static List<EventEnvelope<?>> awaitChanges(String customer, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> published(customer).size() >= expected);
        return published(customer);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(String customer) {
        String topic = Topics.deadLetterTopic(Topics.ORDERS, "tier-service");
        kafka.createTopics(3, topic);
        return kafka.readAll(topic).stream().filter(r -> customer.equals(r.key())).toList();
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
