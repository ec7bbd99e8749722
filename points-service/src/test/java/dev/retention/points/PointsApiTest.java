package dev.retention.points;

import dev.retention.contracts.Topics;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The points API: reads, idempotent writes, hurdles and every error as problem+json. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PointsApiTest {

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    Pool database;

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
    void redemptionIsIdempotentOnTheClientKey() {
        String customer = customerWith(500);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("points", 200, "orderId", "o-" + key,
                "orderValue", Map.of("amount", "45.00", "currency", "EUR"));

        Response first = redeem(customer, key, body);
        Response retry = redeem(customer, key, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.jsonPath().getString("entryId")).isEqualTo(first.jsonPath().getString("entryId"));
        assertThat(first.jsonPath().getLong("available")).isEqualTo(300);
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(300);
    }

    @Test
    void sameKeyWithAnotherRequestIsAConflict() {
        String customer = customerWith(500);
        String key = UUID.randomUUID().toString();
        redeem(customer, key, Map.of("points", 100)).then().statusCode(201);

        Response reused = redeem(customer, key, Map.of("points", 200));

        assertProblem(reused, 409, "IDEMPOTENCY_KEY_REUSED");
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(400);
    }

    @Test
    void hurdlesAreEnforcedWithAStableCode() {
        String customer = customerWith(150);

        assertProblem(redeem(customer, key(), Map.of("points", 150)), 422, "WHOLE_UNITS");
        assertProblem(redeem(customer, key(), Map.of("points", 200)), 422, "INSUFFICIENT_POINTS");
        assertProblem(redeem(customer, key(), Map.of("points", 100, "orderId", "o-1",
                "orderValue", Map.of("amount", "9.99", "currency", "EUR"))), 422, "BELOW_MINIMUM_ORDER_VALUE");
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(150);
    }

    @Test
    void redemptionAttemptsPerCustomerAreLimitedRefusedOnesIncluded() {
        String customer = customerWith(100);
        String other = customerWith(100);
        clock.ensureLeftOfWindow(Duration.ofMinutes(1), Duration.ofSeconds(20));
        try {
            for (int i = 0; i < 10; i++) {
                assertProblem(redeem(customer, key(), Map.of("points", 200)), 422, "INSUFFICIENT_POINTS");
            }
            Response blocked = redeem(customer, key(), Map.of("points", 100));

            assertProblem(blocked, 429, "TOO_MANY_ATTEMPTS");
            assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(100);
            redeem(other, key(), Map.of("points", 100)).then().statusCode(201);

            clock.advance(Duration.ofMinutes(1));
            redeem(customer, key(), Map.of("points", 100)).then().statusCode(201);
        } finally {
            clock.reset();
        }
    }

    @Test
    void invalidRequestsAreRejectedWithTheFieldsNamed() {
        String customer = customerWith(100);

        Response negative = redeem(customer, key(), Map.of("points", -5));
        assertProblem(negative, 400, "INVALID_REQUEST");
        assertThat(negative.jsonPath().getList("violations.field")).contains("points");

        Response absurd = redeem(customer, key(), Map.of("points", 5_000_000_000L));
        assertProblem(absurd, 400, "INVALID_REQUEST");

        Response floatMoney = redeem(customer, key(), Map.of("points", 100,
                "orderValue", Map.of("amount", "ten", "currency", "EUR")));
        assertThat(floatMoney.jsonPath().getList("violations.field")).contains("orderValue.amount");

        assertProblem(redeem(customer, key(), Map.of("points", 100,
                "orderValue", Map.of("amount", "20.00", "currency", "XYZ"))), 400, "INVALID_REQUEST");

        Response noKey = Api.storefront(customer).contentType("application/json").body(Map.of("points", 100))
                .post("/customers/{id}/points/redemptions", customer);
        assertProblem(noKey, 400, "INVALID_REQUEST");
        assertThat(noKey.jsonPath().getList("violations.field")).contains("Idempotency-Key");

        Response malformed = Api.storefront(customer).contentType("application/json").header("Idempotency-Key", key())
                .body("{\"points\": ").post("/customers/{id}/points/redemptions", customer);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
    }

    @Test
    void bodiesOfTheWrongJsonTypeAreMalformedWithTheFieldNamedAndNothingIsRedeemed() {
        String customer = customerWith(500);
        Map<String, String> wrongTypes = new java.util.LinkedHashMap<>();
        wrongTypes.put("{\"points\": \"lots\"}", "points");
        wrongTypes.put("{\"points\": true}", "points");
        wrongTypes.put("{\"points\": \"200\"}", "points");
        wrongTypes.put("{\"points\": 100.5}", "points");
        wrongTypes.put("{\"points\": 1e2}", "points");
        wrongTypes.put("{\"points\": 100000000000000000000}", "points");
        wrongTypes.put("{\"points\": {\"value\": 100}}", "points");
        wrongTypes.put("{\"points\": 100, \"orderId\": 17}", "orderId");
        wrongTypes.put("{\"points\": 100, \"orderId\": \"o-1\", \"orderValue\": \"45 EUR\"}", "orderValue");
        wrongTypes.put("{\"points\": 100, \"orderId\": \"o-1\", \"orderValue\": {\"amount\": 45.00, "
                + "\"currency\": \"EUR\"}}", "orderValue.amount");
        wrongTypes.forEach((body, field) -> {
            Response refused = redeemRaw(customer, body);
            assertProblem(refused, 400, "MALFORMED_REQUEST");
            assertThat(refused.jsonPath().getList("violations.field")).as(body).containsExactly(field);
        });

        Response array = redeemRaw(customer, "[{\"points\": 100}]");
        assertProblem(array, 400, "MALFORMED_REQUEST");
        assertThat(array.jsonPath().getString("detail")).contains("JSON object");
        assertProblem(redeemRaw(customer, "{\"points\": 100} {\"points\": 100}"), 400, "MALFORMED_REQUEST");

        Response syntax = redeemRaw(customer, "{\"points\": 100,\n  \"orderId\": \"o-1\",\n}");
        assertProblem(syntax, 400, "MALFORMED_REQUEST");
        assertThat(syntax.jsonPath().getInt("line")).isEqualTo(3);
        assertThat(syntax.jsonPath().getInt("column")).isEqualTo(1);
        assertThat(syntax.jsonPath().getString("detail")).contains("line 3, column 1").doesNotContain("Source");

        Response noAmount = redeemRaw(customer, "{\"points\": 100, \"orderId\": \"o-1\", "
                + "\"orderValue\": {\"currency\": \"EUR\"}}");
        assertProblem(noAmount, 400, "INVALID_REQUEST");
        assertThat(noAmount.jsonPath().getList("violations.field")).containsExactly("orderValue.amount");

        Response adjustment = Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body("{\"points\": \"lots\", \"reason\": \"typo\"}")
                .post("/customers/{id}/points/adjustments", customer);
        assertProblem(adjustment, 400, "MALFORMED_REQUEST");
        assertThat(adjustment.jsonPath().getList("violations.field")).containsExactly("points");
        assertProblem(Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body("{\"points\": 10.5, \"reason\": \"typo\"}")
                .post("/customers/{id}/points/adjustments", customer), 400, "MALFORMED_REQUEST");

        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(500);
    }

    @Test
    void adjustmentsAreBoundedByTheConfiguredLimitAsTheApiDescriptionSays() {
        String customer = customerWith(100);
        for (String points : List.of("10001", "-10001", "-9223372036854775808", "9223372036854775807", "0")) {
            Response refused = Api.admin().contentType("application/json").header("Idempotency-Key", key())
                    .body("{\"points\": " + points + ", \"reason\": \"bounds\"}")
                    .post("/customers/{id}/points/adjustments", customer);
            assertProblem(refused, 400, "INVALID_REQUEST");
            assertThat(refused.jsonPath().getList("violations.field")).as(points).containsExactly("points");
            assertThat(refused.jsonPath().getString("violations[0].problem")).contains("10000");
        }
        // Support's own limit comes after the range: the smallest long is no way around it.
        assertProblem(Api.support().contentType("application/json").header("Idempotency-Key", key())
                .body("{\"points\": -9223372036854775808, \"reason\": \"overflow\"}")
                .post("/customers/{id}/points/adjustments", customer), 400, "INVALID_REQUEST");
        Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 10_000, "reason", "the most an adjustment may be"))
                .post("/customers/{id}/points/adjustments", customer).then().statusCode(201);

        var points = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("components.schemas.AdjustmentBody.properties.points");
        assertThat(((Number) points.get("minimum")).longValue()).isEqualTo(-10_000);
        assertThat(((Number) points.get("maximum")).longValue()).isEqualTo(10_000);
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(10_100);
    }

    @Test
    void unknownCustomerIsNotFound() {
        String stranger = "c-" + UUID.randomUUID();

        assertProblem(Api.admin().get("/customers/{id}/points", stranger), 404, "CUSTOMER_NOT_FOUND");
        assertProblem(Api.admin().get("/customers/{id}/points/ledger", stranger), 404, "CUSTOMER_NOT_FOUND");
        assertProblem(redeem(stranger, key(), Map.of("points", 100)), 404, "CUSTOMER_NOT_FOUND");
    }

    @Test
    void adjustmentsAreAuditedInTheLedgerAndBounded() {
        String customer = customerWith(100);
        Api.support().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 25, "reason", "parcel damaged"))
                .post("/customers/{id}/points/adjustments", customer).then().statusCode(201);

        assertProblem(Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", -1000, "reason", "too much"))
                .post("/customers/{id}/points/adjustments", customer), 422, "INSUFFICIENT_POINTS");
        assertProblem(Api.admin().contentType("application/json").header("Idempotency-Key", key())
                .body(Map.of("points", 10, "reason", " "))
                .post("/customers/{id}/points/adjustments", customer), 400, "INVALID_REQUEST");

        var ledger = Api.admin().get("/customers/{id}/points/ledger", customer).then().statusCode(200).extract()
                .jsonPath();
        assertThat(ledger.getString("entries[0].rule")).isEqualTo("manual.adjustment");
        assertThat(ledger.getString("entries[0].note")).isEqualTo("parcel damaged");
        assertThat(database.preparedQuery("SELECT actor FROM points_ledger WHERE customer_id = $1 AND rule = "
                + "'manual.adjustment' AND note = 'parcel damaged'").executeAndAwait(Tuple.of(customer)).iterator().next()
                .getString(0)).as("the token's subject is the actor").isEqualTo("support-1");
        assertThat(ledger.getLong("entries[0].availableAfter")).isEqualTo(125);
    }

    @Test
    void ledgerPagesNewestFirst() {
        String customer = customerWith(100);
        for (int i = 1; i <= 5; i++) {
            Api.admin().contentType("application/json").header("Idempotency-Key", key())
                    .body(Map.of("points", i, "reason", "entry " + i))
                    .post("/customers/{id}/points/adjustments", customer).then().statusCode(201);
        }

        var first = Api.admin().get("/customers/{id}/points/ledger?limit=4", customer).jsonPath();
        var second = Api.admin().get("/customers/{id}/points/ledger?limit=4&before=" + first.getLong("nextBefore"),
                customer).jsonPath();

        assertThat(first.getList("entries.note")).containsExactly("entry 5", "entry 4", "entry 3", "entry 2");
        assertThat(second.getList("entries.note")).containsExactly("entry 1", null);
        assertThat(second.getString("nextBefore")).isNull();
        assertProblem(Api.admin().get("/customers/{id}/points/ledger?limit=1000", customer), 400, "INVALID_REQUEST");
    }

    @Test
    void parallelRedemptionsNeverOverdraw() throws Exception {
        String customer = customerWith(500);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                requests.add(() -> redeem(customer, key(), Map.of("points", 100)).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(requests)) {
                statuses.add(status.get());
            }

            assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 422).hasSize(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isZero();
    }

    @Test
    void openApiDescribesEveryEndpointAndItsErrors() {
        var openapi = RestAssured.get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();

        assertThat(openapi.getMap("paths")).containsKeys("/customers/{customerId}/points",
                "/customers/{customerId}/points/ledger", "/customers/{customerId}/points/redemptions",
                "/customers/{customerId}/points/adjustments");
        assertThat(openapi.getMap("paths.'/customers/{customerId}/points/redemptions'.post.responses"))
                .containsKeys("201", "200", "400", "404", "409", "422");
    }

    /** Registered (100 points of sign-up bonus), then adjusted to {@code points}. */
    private static String customerWith(long points) {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Api.admin().get("/customers/{id}/points", customer).statusCode() == 200);
        if (points != 100) {
            Api.admin().contentType("application/json").header("Idempotency-Key", key())
                    .body(Map.of("points", points - 100, "reason", "test balance"))
                    .post("/customers/{id}/points/adjustments", customer).then().statusCode(201);
        }
        return customer;
    }

    private static Response redeem(String customer, String key, Map<String, Object> body) {
        return Api.storefront(customer).contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/customers/{id}/points/redemptions", customer);
    }

    private static Response redeemRaw(String customer, String json) {
        return Api.storefront(customer).contentType("application/json").header("Idempotency-Key", key()).body(json)
                .post("/customers/{id}/points/redemptions", customer);
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("code")).isEqualTo(code);
        assertThat(response.jsonPath().getString("detail")).isNotBlank();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
