package dev.retention.points;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.Topics;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.GeneratedRequests;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The points API's bodies generated from its own OpenAPI document: what the description admits is answered 2xx or
 * with a code it documents, never as malformed; each single fault is a 400 problem+json naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PointsApiGeneratedBodiesTest {

    /** Per operation: as many valid bodies, and as many with one fault. */
    static final int BODIES = 250;

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.CUSTOMERS, Topics.LOYALTY_POINTS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void redemptionBodies() {
        String customer = registered();
        for (int i = 0; i < 3; i++) {
            Api.admin().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("points", 10_000, "reason", "balance to redeem from"))
                    .post("/customers/{id}/points/adjustments", customer).then().statusCode(201);
        }
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/customers/{customerId}/points/redemptions");

        Map<Integer, Integer> answered = api.check(operation, BODIES,
                n -> {
                    if (n % 8 == 7) {
                        // Past the window of redemption attempts (10 a customer): bodies, not the limit, are tested.
                        clock.advance(Duration.ofHours(1));
                    }
                    return Api.storefront(customer).header("Idempotency-Key", UUID.randomUUID().toString());
                },
                n -> "/customers/" + customer + "/points/redemptions", PointsApiGeneratedBodiesTest::withinReach);

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered.keySet()).as("some redemption went through").anyMatch(status -> status == 201);
    }

    @Test
    void adjustmentBodies() {
        String customer = registered();
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/customers/{customerId}/points/adjustments");

        Map<Integer, Integer> answered = api.check(operation, BODIES,
                n -> Api.admin().header("Idempotency-Key", UUID.randomUUID().toString()),
                n -> "/customers/" + customer + "/points/adjustments", body -> body);

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered.keySet()).as("some adjustment went through").anyMatch(status -> status == 201);
    }

    /**
     * This class's programme has no catalogue (the baseline): every body the description admits gets through to the
     * catalogue and finds no such reward, none is refused as malformed.
     */
    @Test
    void rewardRedemptionBodies() {
        String customer = registered();
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/customers/{customerId}/rewards/{rewardId}/redemptions");

        Map<Integer, Integer> answered = api.check(operation, BODIES,
                n -> {
                    if (n % 8 == 7) {
                        clock.advance(Duration.ofHours(1)); // past the window of redemption attempts
                    }
                    return Api.storefront(customer).header("Idempotency-Key", UUID.randomUUID().toString());
                },
                n -> "/customers/" + customer + "/rewards/voucher-10/redemptions",
                // With a currency, so that each body has a field to put a fault in (an empty body has none).
                body -> body.has("currency") ? body : ((ObjectNode) body.deepCopy()).put("currency", "EUR"));

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered.keySet()).as("every admitted body reaches the catalogue").containsExactly(404);
    }

    @Test
    void simulationBodies() {
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/programme-simulations");

        Map<Integer, Integer> answered = api.check(operation, BODIES, n -> Api.admin(),
                n -> "/programme-simulations", body -> body);

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered.keySet()).as("every admitted body is answered as documented")
                .allMatch(status -> status == 200 || status == 400 || status == 422);
    }

    @Test
    void everyOperationWithABodyIsGenerated() {
        assertThat(GeneratedRequests.ofRunningService().operationsWithJsonBodies()).map(Object::toString)
                .containsExactlyInAnyOrder("POST /customers/{customerId}/points/redemptions",
                        "POST /customers/{customerId}/points/adjustments", "POST /programme-simulations",
                        "POST /customers/{customerId}/rewards/{rewardId}/redemptions");
    }

    /**
     * Every other body kept to a few redemption units and without an order value (still a body the description admits),
     * so that redemptions go through as well as being refused.
     */
    private static JsonNode withinReach(JsonNode body) {
        if (ThreadLocalRandom.current().nextBoolean()) {
            return body;
        }
        ObjectNode small = (ObjectNode) body.deepCopy();
        small.remove("orderValue");
        return small.put("points", 100 * (1 + body.get("points").asLong() % 3)); // whole redemption units
    }

    private static String registered() {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Api.admin().get("/customers/{id}/points", customer).statusCode() == 200);
        return customer;
    }
}
