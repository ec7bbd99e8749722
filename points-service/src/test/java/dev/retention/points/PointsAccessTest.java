package dev.retention.points;

import dev.retention.contracts.Topics;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
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
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of the points and rewards API with every role, the forbidden cases included. A reward redemption
 * names a reward no catalogue has: 404 REWARD_NOT_FOUND shows the call got past authorization (RewardsFlowTest
 * redeems real rewards, on the customer's behalf too).
 */
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

    /** Every call, each for {@link #customer}. */
    private static final Map<String, Function<RequestSpecification, Response>> CALLS = Map.of(
            "balance", spec -> spec.get("/customers/{id}/points", customer),
            "ledger", spec -> spec.get("/customers/{id}/points/ledger", customer),
            "redemption", spec -> spec.contentType("application/json").header("Idempotency-Key", key())
                    .body(Map.of("points", 100)).post("/customers/{id}/points/redemptions", customer),
            "adjustment", spec -> spec.contentType("application/json").header("Idempotency-Key", key())
                    .body(Map.of("points", 10, "reason", "goodwill")).post("/customers/{id}/points/adjustments", customer),
            "rewards", spec -> spec.get("/customers/{id}/rewards", customer),
            "rewardRedemption", spec -> redeemUnknownReward(spec, customer),
            "rewardRedemptions", spec -> spec.get("/customers/{id}/reward-redemptions", customer));

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
        assertAllowed(CALLS.get("rewards").apply(Api.storefront(customer)));
        assertAllowed(CALLS.get("rewardRedemptions").apply(Api.storefront(customer)));
        assertProblem(CALLS.get("rewardRedemption").apply(Api.storefront(customer)), 404, "REWARD_NOT_FOUND");

        for (String call : List.of("balance", "ledger", "redemption", "rewards", "rewardRedemption",
                "rewardRedemptions")) {
            assertProblem(CALLS.get(call).apply(Api.storefront(otherCustomer)), 403, "NOT_YOUR_CUSTOMER");
        }
        assertProblem(CALLS.get("adjustment").apply(Api.storefront(otherCustomer)), 403, "FORBIDDEN");
    }

    @Test
    void supportReadsAnyCustomerAdjustsWithinItsLimitAndRedeemsRewardsButNotPoints() {
        assertAllowed(CALLS.get("balance").apply(Api.support()));
        assertAllowed(CALLS.get("ledger").apply(Api.support()));
        assertProblem(CALLS.get("redemption").apply(Api.support()), 403, "FORBIDDEN");
        assertThat(CALLS.get("adjustment").apply(Api.support()).statusCode()).isEqualTo(201);
        assertAllowed(CALLS.get("rewards").apply(Api.support()));
        assertAllowed(CALLS.get("rewardRedemptions").apply(Api.support()));
        // On any customer's behalf: past authorization, to the catalogue (which has no such reward).
        assertProblem(CALLS.get("rewardRedemption").apply(Api.support()), 404, "REWARD_NOT_FOUND");
        assertProblem(redeemUnknownReward(Api.support(), otherCustomer), 404, "REWARD_NOT_FOUND");

        Response aboveLimit = Api.support().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 501, "reason", "big goodwill")).post("/customers/{id}/points/adjustments", customer);
        assertProblem(aboveLimit, 403, "ABOVE_SUPPORT_LIMIT");
    }

    @Test
    void adminAdjustsBeyondTheSupportLimitAndRedeemsRewardsButNotPoints() {
        assertAllowed(CALLS.get("balance").apply(Api.admin()));
        assertAllowed(CALLS.get("ledger").apply(Api.admin()));
        assertProblem(CALLS.get("redemption").apply(Api.admin()), 403, "FORBIDDEN");
        Response large = Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 501, "reason", "migration")).post("/customers/{id}/points/adjustments", otherCustomer);
        assertThat(large.statusCode()).as(large.asString()).isEqualTo(201);
        assertAllowed(CALLS.get("rewards").apply(Api.admin()));
        assertAllowed(CALLS.get("rewardRedemptions").apply(Api.admin()));
        assertProblem(CALLS.get("rewardRedemption").apply(Api.admin()), 404, "REWARD_NOT_FOUND");
        assertProblem(redeemUnknownReward(Api.admin(), otherCustomer), 404, "REWARD_NOT_FOUND");
    }

    @Test
    void theAnalystAndTheMarketerNeitherSeeNorRedeemForAnyCustomer() {
        for (var role : List.<Supplier<RequestSpecification>>of(Api::analyst, PointsAccessTest::marketer)) {
            CALLS.forEach((name, call) -> assertProblem(call.apply(role.get()), 403, "FORBIDDEN"));
        }
    }

    private static Response redeemUnknownReward(RequestSpecification spec, String customerId) {
        return spec.header("Idempotency-Key", key()).post("/customers/{id}/rewards/{reward}/redemptions",
                customerId, "no-such-reward");
    }

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
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
