package dev.retention.campaigns;

import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Voucher redemption (atomic under concurrency) and segment campaigns through the API. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class VoucherAndCampaignApiTest {

    private static KafkaTestClient kafka;

    @Inject
    CampaignJobs jobs;
    @Inject
    MovableClock clock;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

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
    void manyParallelRedemptionsOfOneVoucherSucceedExactlyOnce() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        String code = apologyVoucher(customer);
        int attempts = 9; // the tenth is the retry below; more would meet the attempt limit (10 a minute)
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> results = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                String order = "ord-" + i;
                Callable<Response> redeem = () -> {
                    start.await();
                    return redeem(code, customer, order, "20.00");
                };
                results.add(pool.submit(redeem));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> result : results) {
                statuses.add(result.get().statusCode());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(attempts - 1);
        } finally {
            pool.shutdownNow();
        }
        var voucher = Api.admin().get("/customers/{id}/vouchers", customer).jsonPath();
        assertThat(voucher.getString("[0].status")).isEqualTo("REDEEMED");
        String winner = voucher.getString("[0].redeemedOrderId");
        // The checkout retrying its own redemption gets the same answer, not an error.
        assertThat(redeem(code, customer, winner, "20.00").statusCode()).isEqualTo(200);
    }

    @Test
    void redemptionsAgainstTheTermsAreRefusedWithProblemDetails() {
        String customer = "c-" + UUID.randomUUID();
        String code = apologyVoucher(customer);

        Response otherCustomer = redeem(code, "c-someone-else", "o-1", "20.00");
        assertThat(otherCustomer.statusCode()).isEqualTo(404);
        assertThat(otherCustomer.contentType()).startsWith("application/problem+json");
        assertThat(redeem("NOPE-AAAA-BBBB-CCCC", customer, "o-1", "20.00").statusCode()).isEqualTo(404);
        Response wrongCurrency = Api.storefront(customer).contentType(ContentType.JSON)
                .body(Map.of("customerId", customer, "orderId", "o-1",
                        "orderValue", Map.of("amount", "20.00", "currency", "USD")))
                .post("/vouchers/{code}/redemptions", code);
        assertThat(wrongCurrency.statusCode()).isEqualTo(422);
        assertThat(wrongCurrency.jsonPath().getString("code")).isEqualTo("CURRENCY_MISMATCH");
        Response missing = Api.storefront(customer).contentType(ContentType.JSON).body(Map.of("customerId", customer))
                .post("/vouchers/{code}/redemptions", code);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.jsonPath().getList("violations.field")).contains("orderId", "orderValue");
        assertThat(Api.admin().get("/customers/{id}/vouchers", customer).jsonPath().getString("[0].status"))
                .isEqualTo("ACTIVE");
    }

    @Test
    void guessingCodesRunsIntoTheAttemptLimitsPerCustomerAndPerCode() {
        String customer = "c-" + UUID.randomUUID();
        String code = apologyVoucher(customer);
        String another = apologyVoucher("c-" + UUID.randomUUID());
        clock.ensureLeftOfWindow(Duration.ofMinutes(1), Duration.ofSeconds(20));
        try {
            for (int i = 0; i < 10; i++) {
                assertThat(redeem("GUESS-" + i + "-" + UUID.randomUUID().toString().substring(0, 8), customer, "o-1",
                        "20.00").statusCode()).isEqualTo(404);
            }
            // The right code now answers 429 too: the customer is out of attempts, whatever the code.
            Response blocked = redeem(code, customer, "o-1", "20.00");
            assertThat(blocked.statusCode()).isEqualTo(429);
            assertThat(blocked.contentType()).startsWith("application/problem+json");
            assertThat(blocked.jsonPath().getString("code")).isEqualTo("TOO_MANY_ATTEMPTS");
            assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);

            // One code tried under many customer ids: limited per code as well.
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                statuses.add(redeem(another, "c-made-up-" + i, "o-1", "20.00").statusCode());
            }
            assertThat(statuses.subList(0, 10)).containsOnly(404);
            assertThat(statuses.get(10)).isEqualTo(429);
            assertThat(Api.admin().get("/customers/{id}/vouchers", customer).jsonPath().getString("[0].status"))
                    .isEqualTo("ACTIVE");
        } finally {
            clock.reset();
        }
    }

    @Test
    void aSegmentCampaignOffersItsSegmentOnceWithinTheBudget() {
        List<String> gold = List.of(goldCustomer("gold"), goldCustomer("gold"), goldCustomer("gold"));
        String silver = goldCustomer("silver");
        String[] everyone = {gold.get(0), gold.get(1), gold.get(2), silver};
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT count(*) FROM campaign_customer "
                        + "WHERE customer_id = ANY($1) AND tier IS NOT NULL AND profile_known")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(everyone)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0) == 4);
        Instant now = Instant.now();
        Response created = Api.admin().contentType(ContentType.JSON).body(Map.of(
                "campaignId", "gold-weekend-" + UUID.randomUUID().toString().substring(0, 8),
                "name", "Gold weekend",
                "startsAt", now.minusSeconds(3600).toString(), "endsAt", now.plus(Duration.ofDays(3)).toString(),
                "segment", Map.of("tiers", List.of("gold")),
                "offer", Map.of("percentOff", 50, "minimumOrderValue", Map.of("amount", "30.00", "currency", "EUR"),
                        "validFor", "P14D"),
                "maxVouchers", 2)).post("/campaigns");
        assertThat(created.statusCode()).isEqualTo(201);
        String campaignId = created.jsonPath().getString("campaignId");

        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));
        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> segmentOffers(gold).size() == 2);
        List<TriggerFired> offers = segmentOffers(gold);
        assertThat(offers).allSatisfy(offer -> {
            assertThat(offer.campaignId()).isEqualTo(campaignId);
            assertThat(offer.voucher().percentOff()).isEqualByComparingTo("50");
            assertThat(offer.voucher().minimumOrderValue()).isEqualTo(Money.of("30.00", "EUR"));
            assertThat(offer.voucher().expiresAt()).isBefore(now.plus(Duration.ofDays(3)).plusSeconds(1));
        });
        assertThat(segmentOffers(List.of(silver))).isEmpty();
        List<String> outcomes = new ArrayList<>();
        gold.forEach(c -> outcomes.addAll(Api.admin().get("/customers/{id}/triggers", c).jsonPath()
                .getList("outcome")));
        assertThat(outcomes).containsExactlyInAnyOrder("FIRED", "FIRED", "OVER_BUDGET");
        var campaign = Api.admin().get("/campaigns/{id}", campaignId).then().statusCode(200).extract().jsonPath();
        assertThat(campaign.getInt("issued")).isEqualTo(2);
        assertThat(campaign.getString("status")).isEqualTo("COMPLETED");
    }

    @Test
    void theFrequencyCapHoldsAcrossCampaigns() {
        String tier = "cap-" + UUID.randomUUID().toString().substring(0, 8);
        String customer = goldCustomer(tier);
        // Tier and profile (with the consent) come on different topics: wait for both, or the offers find no consent.
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                        "SELECT count(*) FROM campaign_customer WHERE customer_id = $1 AND tier = $2 AND profile_known")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(customer, tier)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0) == 1);
        Instant now = Instant.now();
        for (int i = 0; i < 4; i++) {
            assertThat(Api.admin().contentType(ContentType.JSON).body(Map.of("name", "offer " + i,
                    "startsAt", now.minusSeconds(60).toString(), "endsAt", now.plus(Duration.ofDays(1)).toString(),
                    "segment", Map.of("tiers", List.of(tier)),
                    "offer", Map.of("freeGiftSku", "tote-bag", "validFor", "P7D"))).post("/campaigns").statusCode())
                    .isEqualTo(201);
        }

        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));

        // The default cap: 3 marketing triggers per customer in 7 days.
        assertThat(Api.admin().get("/customers/{id}/triggers", customer).jsonPath().getList("outcome"))
                .containsExactlyInAnyOrder("FIRED", "FIRED", "FIRED", "CAPPED");
        await().atMost(Duration.ofSeconds(30)).until(() -> segmentOffers(List.of(customer)).size() == 3);
        assertThat(segmentOffers(List.of(customer))).allSatisfy(offer ->
                assertThat(offer.voucher().freeGiftSku()).isEqualTo("tote-bag"));
    }

    @Test
    void invalidCampaignsAreRefusedWithTheirReason() {
        Instant now = Instant.now();
        Map<String, Object> twoBenefits = Map.of("name", "x", "startsAt", now.toString(),
                "endsAt", now.plusSeconds(60).toString(), "segment", Map.of(),
                "offer", Map.of("percentOff", 10, "value", Map.of("amount", "5.00", "currency", "EUR"),
                        "validFor", "P7D"));
        Response both = Api.admin().contentType(ContentType.JSON).body(twoBenefits).post("/campaigns");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.jsonPath().getList("violations.field")).containsExactly("offer");
        assertThat(both.jsonPath().getString("violations[0].problem"))
                .contains("exactly one of value, percentOff and freeGiftSku");

        Response backwards = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "x",
                "startsAt", now.toString(), "endsAt", now.minusSeconds(60).toString(), "segment", Map.of(),
                "offer", Map.of("freeGiftSku", "tote-bag", "validFor", "P7D"))).post("/campaigns");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(backwards.jsonPath().getList("violations.field")).containsExactly("endsAt");
        assertThat(backwards.jsonPath().getString("violations[0].problem")).contains("must be after startsAt");

        Response badMoney = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "x",
                "startsAt", now.toString(), "endsAt", now.plusSeconds(60).toString(), "segment", Map.of(),
                "offer", Map.of("value", Map.of("amount", "5.001", "currency", "EUR"), "validFor", "P7D")))
                .post("/campaigns");
        assertThat(badMoney.statusCode()).isEqualTo(400);
        assertThat(badMoney.contentType()).startsWith("application/problem+json");
        assertThat(badMoney.jsonPath().getList("violations.field")).containsExactly("offer.value.amount");

        assertThat(Api.admin().get("/campaigns/{id}", "no-such-campaign").statusCode()).isEqualTo(404);
        assertThat(Api.admin().get("/campaigns?limit=0").statusCode()).isEqualTo(400);
        // A parameter that is not of its type is malformed, named; JAX-RS alone answered 404 "HTTP 404 Not Found".
        for (String limit : List.of("abc", "1.5", "")) {
            Response unreadable = Api.admin().get("/campaigns?limit=" + limit);
            if (!limit.isEmpty()) {
                assertProblem(unreadable, 400, "MALFORMED_REQUEST");
                assertThat(unreadable.jsonPath().getList("violations.field")).containsExactly("limit");
            } else {
                assertThat(unreadable.statusCode()).isEqualTo(200); // empty: the default, as JAX-RS reads it
            }
        }
    }

    @Test
    void bodiesOfTheWrongJsonTypeAreMalformedWithTheFieldNamed() {
        String customer = "c-" + UUID.randomUUID();
        String code = apologyVoucher(customer);
        Map<String, String> wrongTypes = new java.util.LinkedHashMap<>();
        wrongTypes.put("{\"customerId\": \"%s\", \"orderId\": \"o-1\", \"orderValue\": \"45 EUR\"}",
                "orderValue");
        wrongTypes.put("{\"customerId\": \"%s\", \"orderId\": \"o-1\", "
                + "\"orderValue\": {\"amount\": \"45 EUR\", \"currency\": \"EUR\"}}", "orderValue.amount");
        wrongTypes.put("{\"customerId\": \"%s\", \"orderId\": \"o-1\", "
                + "\"orderValue\": {\"amount\": true, \"currency\": \"EUR\"}}", "orderValue.amount");
        wrongTypes.put("{\"customerId\": \"%s\", \"orderId\": [\"o-1\"], "
                + "\"orderValue\": {\"amount\": \"20.00\", \"currency\": \"EUR\"}}", "orderId");
        wrongTypes.forEach((body, field) -> {
            Response refused = Api.storefront(customer).contentType(ContentType.JSON)
                    .body(String.format(body, customer)).post("/vouchers/{code}/redemptions", code);
            assertProblem(refused, 400, "MALFORMED_REQUEST");
            assertThat(refused.jsonPath().getList("violations.field")).as(body).containsExactly(field);
        });
        Response noAmount = Api.storefront(customer).contentType(ContentType.JSON)
                .body("{\"customerId\": \"" + customer + "\", \"orderId\": \"o-1\", "
                        + "\"orderValue\": {\"currency\": \"EUR\"}}").post("/vouchers/{code}/redemptions", code);
        assertProblem(noAmount, 400, "INVALID_REQUEST");
        assertThat(noAmount.jsonPath().getList("violations.field")).containsExactly("orderValue.amount");
        Response syntax = Api.storefront(customer).contentType(ContentType.JSON).body("{\"customerId\": ")
                .post("/vouchers/{code}/redemptions", code);
        assertProblem(syntax, 400, "MALFORMED_REQUEST");
        assertThat(syntax.jsonPath().getInt("line")).isEqualTo(1);
        assertThat(Api.admin().get("/customers/{id}/vouchers", customer).jsonPath().getString("[0].status"))
                .isEqualTo("ACTIVE");

        Instant now = Instant.now();
        String campaign = "{\"name\": \"x\", \"startsAt\": \"" + now + "\", \"endsAt\": \""
                + now.plusSeconds(60) + "\", \"segment\": %s, \"offer\": %s, \"maxVouchers\": %s}";
        String offer = "{\"freeGiftSku\": \"tote-bag\", \"validFor\": \"P7D\"}";
        Map<String, String> wrongCampaigns = new java.util.LinkedHashMap<>();
        wrongCampaigns.put(String.format(campaign, "{}", offer, "\"lots\""), "maxVouchers");
        wrongCampaigns.put(String.format(campaign, "{}", offer, "10.5"), "maxVouchers");
        wrongCampaigns.put(String.format(campaign, "{}", offer, "true"), "maxVouchers");
        wrongCampaigns.put(String.format(campaign, "{\"tiers\": \"gold\"}", offer, "10"), "segment.tiers");
        wrongCampaigns.put(String.format(campaign, "{\"tiers\": [\"gold\", 7]}", offer, "10"), "segment.tiers[1]");
        wrongCampaigns.put(String.format(campaign, "{\"minDaysInactive\": \"30\"}", offer, "10"),
                "segment.minDaysInactive");
        wrongCampaigns.put(String.format(campaign, "{}", "{\"freeGiftSku\": \"tote-bag\", \"validFor\": "
                + "\"a week\"}", "10"), "offer.validFor");
        wrongCampaigns.put(String.format(campaign, "{}", "{\"freeGiftSku\": \"tote-bag\", \"validFor\": "
                + "\"P7D\", \"freeShipping\": \"yes\"}", "10"), "offer.freeShipping");
        wrongCampaigns.put(String.format(campaign, "{}", "{\"value\": {\"amount\": \"5 EUR\", \"currency\": "
                + "\"EUR\"}, \"validFor\": \"P7D\"}", "10"), "offer.value.amount");
        wrongCampaigns.forEach((body, field) -> {
            Response refused = Api.admin().contentType(ContentType.JSON).body(body).post("/campaigns");
            assertProblem(refused, 400, "MALFORMED_REQUEST");
            assertThat(refused.jsonPath().getList("violations.field")).as(body).containsExactly(field);
        });
        Response noAmountInOffer = Api.admin().contentType(ContentType.JSON).body(String.format(campaign, "{}",
                "{\"value\": {\"currency\": \"EUR\"}, \"validFor\": \"P7D\"}", "10")).post("/campaigns");
        assertProblem(noAmountInOffer, 400, "INVALID_REQUEST");
        assertThat(noAmountInOffer.jsonPath().getList("violations.field")).containsExactly("offer.value.amount");
        assertProblem(Api.admin().contentType(ContentType.JSON).body("[" + String.format(campaign, "{}", offer, "10")
                + "]").post("/campaigns"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void theApiDescriptionGivesMoneyAsTheEventContractsDo() throws Exception {
        var openapi = io.restassured.RestAssured.given().accept(ContentType.JSON).get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        com.fasterxml.jackson.databind.JsonNode common = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Money.class.getResource("/schemas/common.json"));

        Map<String, Object> money = openapi.getMap("components.schemas.Money");
        assertThat(openapi.getList("components.schemas.Money.required")).containsExactlyInAnyOrder("amount",
                "currency");
        assertThat(openapi.getString("components.schemas.Money.properties.amount.type")).isEqualTo("string");
        assertThat(openapi.getString("components.schemas.Money.properties.amount.pattern"))
                .isEqualTo(common.at("/$defs/amount/pattern").asText());
        assertThat(openapi.getString("components.schemas.Money.properties.currency.type")).isEqualTo("string");
        assertThat(openapi.getList("components.schemas.Money.properties.currency.enum"))
                .hasSize(common.at("/$defs/currency/enum").size()).contains("EUR", "JPY");
        assertThat(money).containsKey("description");
        // And the wire says the same: an amount is a decimal string.
        String customer = "c-" + UUID.randomUUID();
        apologyVoucher(customer);
        assertThat(Api.admin().get("/customers/{id}/vouchers", customer).jsonPath().getString("[0].value.amount"))
                .matches(common.at("/$defs/amount/pattern").asText());
    }

    // ---- helpers ----

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("code")).isEqualTo(code);
        assertThat(response.jsonPath().getString("detail")).isNotBlank();
    }

    private static Response redeem(String code, String customer, String order, String amount) {
        return Api.storefront(customer).contentType(ContentType.JSON)
                .body(Map.of("customerId", customer, "orderId", order,
                        "orderValue", Map.of("amount", amount, "currency", "EUR")))
                .post("/vouchers/{code}/redemptions", code);
    }

    private static String apologyVoucher(String customer) {
        return apologyVoucher(kafka, customer);
    }

    /** The delay-apology voucher a late parcel gets the customer: its code. */
    static String apologyVoucher(KafkaTestClient kafka, String customer) {
        String order = "ord-" + UUID.randomUUID();
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(order).build());
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelayed(customer, order, LocalDate.now().plusDays(2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !Api.admin().get("/customers/{id}/vouchers", customer)
                .jsonPath().getList("code").isEmpty());
        return Api.admin().get("/customers/{id}/vouchers", customer).jsonPath().getString("[0].code");
    }

    private static String goldCustomer(String tier) {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged(null, tier,
                TierChanged.Direction.INITIAL, "spend", Money.of("2000.00", "EUR"), Instant.now())));
        return customer;
    }

    private static List<TriggerFired> segmentOffers(List<String> customers) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customers.contains(r.key()))
                .map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(),
                        Map.of())).event().data())
                .filter(TriggerFired.class::isInstance).map(TriggerFired.class::cast) // not trigger.held-out etc.
                .filter(t -> t.triggerType() == TriggerType.SEGMENT_OFFER)
                .toList();
    }
}
