package dev.retention.campaigns;

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

/**
 * The campaign API's bodies generated from its own OpenAPI document: what the description admits is answered 2xx or
 * with a code it documents, never as malformed; each single fault is a 400 problem+json naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CampaignApiGeneratedBodiesTest {

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
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void campaignBodies() {
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/campaigns");

        Map<Integer, Integer> answered = api.check(operation, BODIES, n -> Api.admin(), n -> "/campaigns",
                body -> body);

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered.keySet()).as("some campaign was created").anyMatch(status -> status == 201);
    }

    @Test
    void segmentSizeBodies() {
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/segment-sizes");

        Map<Integer, Integer> answered = api.check(operation, BODIES, n -> Api.admin(), n -> "/segment-sizes",
                body -> body);

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered.keySet()).as("some segment was sized").anyMatch(status -> status == 200);
    }

    @Test
    void voucherRedemptionBodies() {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/vouchers/{code}/redemptions");

        // The storefront redeems for the customer its token names: the body names that customer.
        Map<Integer, Integer> answered = api.check(operation, BODIES, n -> {
                    if (n % 4 == 3) {
                        // Past the window of redemption attempts: bodies, not the limit, are tested.
                        clock.advance(Duration.ofHours(1));
                    }
                    return Api.storefront(customer);
                },
                n -> "/vouchers/" + code + "/redemptions",
                body -> {
                    ObjectNode mine = ((ObjectNode) body.deepCopy()).put("customerId", customer);
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        // Now and then an order the voucher's terms admit: redeemed once, then taken (409).
                        mine.putObject("orderValue").put("amount", "100.00").put("currency", "EUR");
                    }
                    return mine;
                });

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered).containsKeys(200, 409);
    }

    @Test
    void voucherValidationBodies() {
        String customer = "c-" + UUID.randomUUID();
        String code = VoucherAndCampaignApiTest.apologyVoucher(kafka, customer);
        GeneratedRequests api = GeneratedRequests.ofRunningService();
        var operation = api.operation("POST", "/vouchers/{code}/validations");

        Map<Integer, Integer> answered = api.check(operation, BODIES, n -> {
                    if (n % 4 == 3) {
                        clock.advance(Duration.ofHours(1)); // past the attempt window: bodies are tested here
                    }
                    return Api.storefront(customer);
                },
                n -> "/vouchers/" + code + "/validations",
                body -> {
                    ObjectNode mine = ((ObjectNode) body.deepCopy()).put("customerId", customer);
                    if (mine.path("shippingTotal").isObject() && mine.path("orderValue").has("currency")) {
                        // The shipping in the order's currency (another is refused, naming shippingTotal.currency).
                        ((ObjectNode) mine.get("shippingTotal")).put("currency",
                                mine.path("orderValue").path("currency").asText());
                    }
                    return mine;
                });

        System.out.println(operation + ": " + BODIES + " valid bodies answered " + answered + ", " + BODIES
                + " faulty ones 400");
        assertThat(answered).containsKey(200);
    }

    /**
     * But the programme simulation: its body carries a programme document in the contracts' JSON (decimals as
     * strings), checked against the programme's own JSON Schema and answered 422 with every path under
     * {@code draft}; CampaignSimulationTest proves its answers and refusals.
     */
    @Test
    void everyOperationWithABodyIsGenerated() {
        assertThat(GeneratedRequests.ofRunningService().operationsWithJsonBodies()).map(Object::toString)
                .containsExactlyInAnyOrder("POST /campaigns", "POST /segment-sizes", "POST /vouchers/{code}/redemptions",
                        "POST /vouchers/{code}/validations", "POST /programme-simulations");
    }
}
