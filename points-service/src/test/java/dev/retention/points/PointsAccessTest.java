package dev.retention.points;

import dev.retention.contracts.Topics;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every endpoint of the points API with every role, the forbidden cases included. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PointsAccessTest {

    private static KafkaTestClient kafka;
    private static String customer;
    private static String otherCustomer;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.CUSTOMERS, Topics.LOYALTY_POINTS);
    }

    /** Once, but after Quarkus pointed REST Assured at the service (it does so before each test). */
    @BeforeEach
    void customers() {
        if (customer == null) {
            customer = registered();
            otherCustomer = registered();
        }
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** The four calls, each for {@link #customer}. */
    private static final Map<String, Function<RequestSpecification, Response>> CALLS = Map.of(
            "balance", spec -> spec.get("/customers/{id}/points", customer),
            "ledger", spec -> spec.get("/customers/{id}/points/ledger", customer),
            "redemption", spec -> spec.contentType("application/json").header("Idempotency-Key", key())
                    .body(Map.of("points", 100)).post("/customers/{id}/points/redemptions", customer),
            "adjustment", spec -> spec.contentType("application/json").header("Idempotency-Key", key())
                    .body(Map.of("points", 10, "reason", "goodwill")).post("/customers/{id}/points/adjustments", customer));

    @Test
    void withoutAValidTokenEveryCallIs401() {
        CALLS.forEach((name, call) -> Api.invalidCredentials().forEach(spec ->
                Api.assertUnauthenticated(call.apply(spec.get()))));
    }

    @Test
    void theStorefrontReadsAndRedeemsForItsOwnCustomerOnly() {
        assertAllowed(CALLS.get("balance").apply(Api.storefront(customer)));
        assertAllowed(CALLS.get("ledger").apply(Api.storefront(customer)));
        assertThat(CALLS.get("redemption").apply(Api.storefront(customer)).statusCode()).isEqualTo(201);
        assertProblem(CALLS.get("adjustment").apply(Api.storefront(customer)), 403, "FORBIDDEN");

        for (String call : List.of("balance", "ledger", "redemption")) {
            assertProblem(CALLS.get(call).apply(Api.storefront(otherCustomer)), 403, "NOT_YOUR_CUSTOMER");
        }
        assertProblem(CALLS.get("adjustment").apply(Api.storefront(otherCustomer)), 403, "FORBIDDEN");
    }

    @Test
    void supportReadsAnyCustomerAndAdjustsWithinItsLimitButDoesNotRedeem() {
        assertAllowed(CALLS.get("balance").apply(Api.support()));
        assertAllowed(CALLS.get("ledger").apply(Api.support()));
        assertProblem(CALLS.get("redemption").apply(Api.support()), 403, "FORBIDDEN");
        assertThat(CALLS.get("adjustment").apply(Api.support()).statusCode()).isEqualTo(201);

        Response aboveLimit = Api.support().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 501, "reason", "big goodwill")).post("/customers/{id}/points/adjustments", customer);
        assertProblem(aboveLimit, 403, "ABOVE_SUPPORT_LIMIT");
    }

    @Test
    void adminAdjustsBeyondTheSupportLimitButDoesNotRedeem() {
        assertAllowed(CALLS.get("balance").apply(Api.admin()));
        assertAllowed(CALLS.get("ledger").apply(Api.admin()));
        assertProblem(CALLS.get("redemption").apply(Api.admin()), 403, "FORBIDDEN");
        Response large = Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 501, "reason", "migration")).post("/customers/{id}/points/adjustments", otherCustomer);
        assertThat(large.statusCode()).as(large.asString()).isEqualTo(201);
    }

    @Test
    void theAnalystSeesNoCustomersPoints() {
        CALLS.forEach((name, call) -> assertProblem(call.apply(Api.analyst()), 403, "FORBIDDEN"));
    }

    private static void assertAllowed(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("code")).isEqualTo(code);
    }

    /** Registered: 100 points of sign-up bonus. */
    private static String registered() {
        String id = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(id, null));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Api.admin().get("/customers/{id}/points", id).statusCode() == 200);
        return id;
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
