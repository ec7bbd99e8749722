package dev.retention.points;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.CustomerLimit;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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

/**
 * The rewards saga's points-service side on the real broker and database: a programme version with a catalogue is
 * published on the programme topic; redemptions go through the API, campaign-service's outcomes are produced to
 * {@code retention.triggers} by the test, and what points-service publishes is read from {@code loyalty.points}.
 */
@QuarkusTest
@TestProfile(RewardsFlowTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class RewardsFlowTest {

    /** The broker is shared by the test JVM: a programme of this class's own keeps its versions from the others. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "rewards-flow-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    static final Offer TEN_EUR = new Offer(Map.of("EUR", new BigDecimal("10.00")), null, null, false,
            Map.of("EUR", new BigDecimal("30.00")), Duration.ofDays(30));
    static final Reward MONTHLY_VOUCHER = new Reward("voucher-10", "10 EUR off", "once a month", 300, null, null,
            new CustomerLimit(1, CapPeriod.MONTH), null, TEN_EUR, null);
    static final Reward SCARCE = new Reward("scarce", "Limited edition", "ten of them", 100, null, 10L, null, null,
            new Offer(Map.of(), null, "SKU-LIMITED", false, Map.of(), Duration.ofDays(30)), null);
    static final Reward REFUNDABLE = new Reward("refundable", "Partner ticket", "once ever", 200, null, 5L,
            new CustomerLimit(1, null), null, null,
            new ProgrammeDocument.PartnerReward("tickets", "Show the code at the door", Duration.ofDays(60)));
    static final Reward GOLD_GIFT = new Reward("gold-gift", "Beauty set", "for gold members", 100, null, null, null,
            "gold", new Offer(Map.of(), null, "SKU-SET", false, Map.of(), Duration.ofDays(30)), null);

    private static KafkaTestClient kafka;
    private static volatile boolean published;

    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_TIER_CHANGES, Topics.LOYALTY_POINTS, Topics.RETENTION_TRIGGERS);
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** Version 1: the initial programme with a catalogue, in force since a day ago. */
    @BeforeEach
    void publishCatalogueOnce() {
        if (!published) {
            ProgrammeDocument document = ProgrammeJson.initial()
                    .withRewards(List.of(MONTHLY_VOUCHER, SCARCE, REFUNDABLE, GOLD_GIFT));
            ProgrammeVersion version = new ProgrammeVersion(1, Instant.now().minus(Duration.ofDays(1)), Instant.now(),
                    "test-admin", "rewards", null, document);
            kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test",
                    Instant.now(), OwnProgramme.PROGRAMME,
                    new ProgrammePublished(OwnProgramme.PROGRAMME, List.of(version))));
            published = true;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.inForceAt(Instant.now()).isPresent());
    }

    @Test
    void aRetriedRedemptionDebitsOnceAndPublishesTheDebitAndTheRequestOnce() {
        String customer = customerWith(500);

        Response first = redeem(customer, "voucher-10", "key-1", "{\"currency\":\"EUR\"}");
        Response retried = redeem(customer, "voucher-10", "key-1", "{\"currency\":\"EUR\"}");
        Response otherBody = redeem(customer, "voucher-10", "key-1", "{\"currency\":\"USD\"}");

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        assertThat(first.jsonPath().getString("status")).isEqualTo("REQUESTED");
        assertThat(first.jsonPath().getLong("points")).isEqualTo(300);
        assertThat(first.jsonPath().getLong("availableAfter")).isEqualTo(200);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.asString()).isEqualTo(first.asString());
        Api.assertRefused(otherBody, 409, "IDEMPOTENCY_KEY_REUSED");
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(200);

        String redemptionId = first.jsonPath().getString("redemptionId");
        List<EventEnvelope<?>> out = awaitPublished(customer, 3); // the adjustment, the debit, the request
        List<PointsChanged> debits = out.stream().map(EventEnvelope::data).filter(PointsChanged.class::isInstance)
                .map(PointsChanged.class::cast).filter(c -> "reward".equals(c.rule())).toList();
        List<RewardRedemptionRequested> requests = out.stream().map(EventEnvelope::data)
                .filter(RewardRedemptionRequested.class::isInstance).map(RewardRedemptionRequested.class::cast)
                .toList();
        assertThat(debits).singleElement().satisfies(debit -> {
            assertThat(debit.kind()).isEqualTo(PointsChanged.Kind.REDEEMED);
            assertThat(debit.points()).isEqualTo(-300);
        });
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.redemptionId()).isEqualTo(redemptionId);
            assertThat(request.entryId()).isEqualTo(debits.get(0).entryId());
            assertThat(request.points()).isEqualTo(300);
            assertThat(request.programmeVersion()).isEqualTo(1);
            assertThat(request.currency()).isEqualTo("EUR");
            assertThat(request.reward()).isEqualTo(MONTHLY_VOUCHER);
        });

        // The limit: once a month.
        Response again = redeem(customer, "voucher-10", "key-2", null);
        Api.assertRefused(again, 409, "REWARD_REFUSED");
        assertThat(again.jsonPath().getString("reason")).isEqualTo("LIMIT");
        JsonPath catalogue = rewards(customer);
        assertThat(catalogue.getBoolean("find { it.id == 'voucher-10' }.eligible")).isFalse();
        assertThat(catalogue.getList("find { it.id == 'voucher-10' }.reasons.code")).containsExactly("LIMIT", "POINTS");
        assertThat(catalogue.getList("find { it.id == 'voucher-10' }.reasons.detail"))
                .containsExactly("1 of 1 this month", "missing 100 points");
        assertThat(catalogue.getString("find { it.id == 'voucher-10' }.voucher.value.EUR")).isEqualTo("10.00");
        assertThat(catalogue.getString("find { it.id == 'refundable' }.partnerText"))
                .isEqualTo("Show the code at the door");
        assertThat(redemptions(customer).getList("status")).containsExactly("REQUESTED");
        // The customer's own redemption, through the storefront: nobody redeemed on their behalf.
        assertThat(redemptions(customer).getList("requestedBy")).containsExactly((Object) null);
        assertThat(ledgerActors(customer, "reward")).containsExactly((String) null);
        // Unknown rewards and currencies.
        Api.assertRefused(redeem(customer, "no-such-reward", "key-3", null), 404, "REWARD_NOT_FOUND");
        assertThat(redeem(customer, "scarce", "key-4", "{\"currency\":\"XXY\"}").statusCode()).isEqualTo(400);
        assertThat(ledgerCount(customer, "reward")).isEqualTo(1);
    }

    @Test
    void aFailedIssueRefundsOnceGivesTheStockBackAndNoLongerCountsAgainstTheLimit() {
        String customer = customerWith(300);
        String redemptionId = redeem(customer, "refundable", "k-1", null).then().statusCode(201).extract()
                .jsonPath().getString("redemptionId");
        assertThat(taken("refundable")).isEqualTo(1);
        EventEnvelope<?> failed = TestEvents.envelope(customer, new RewardIssueFailed(redemptionId, "refundable",
                RewardIssueFailed.Reason.POOL_EMPTY, "pool tickets is empty", Instant.now()));

        kafka.publish(Topics.RETENTION_TRIGGERS, failed);
        kafka.publish(Topics.RETENTION_TRIGGERS, failed); // redelivered: the inbox absorbs it
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, new RewardIssueFailed(redemptionId,
                "refundable", RewardIssueFailed.Reason.POOL_EMPTY, "again", Instant.now()))); // settled already

        await().atMost(Duration.ofSeconds(30)).until(() -> redemptions(customer).getList("status")
                .equals(List.of("REFUNDED")));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(customer) >= 2);
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(300);
        assertThat(ledgerCount(customer, "reward.refund")).isEqualTo(1);
        assertThat(taken("refundable")).isZero();
        JsonPath redemption = redemptions(customer);
        assertThat(redemption.getString("[0].reason")).isEqualTo("POOL_EMPTY");
        assertThat(redemption.getString("[0].detail")).isEqualTo("pool tickets is empty");
        List<PointsChanged> refunds = awaitPublished(customer, 4).stream().map(EventEnvelope::data)
                .filter(PointsChanged.class::isInstance).map(PointsChanged.class::cast)
                .filter(c -> "reward.refund".equals(c.rule())).toList();
        assertThat(refunds).singleElement().satisfies(refund -> {
            assertThat(refund.kind()).isEqualTo(PointsChanged.Kind.REFUNDED);
            assertThat(refund.points()).isEqualTo(200);
            assertThat(refund.causeEventId()).isEqualTo(failed.id());
        });
        // Once ever, but the refunded one does not count: the customer may take it again.
        redeem(customer, "refundable", "k-2", null).then().statusCode(201);
    }

    @Test
    void anIssuedRewardIsMarkedIssuedAndALaterFailureForItChangesNothing() {
        String customer = customerWith(400);
        String redemptionId = redeem(customer, "voucher-10", "k-1", null).then().statusCode(201).extract()
                .jsonPath().getString("redemptionId");

        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, new RewardIssued(redemptionId,
                "voucher-10", Reward.Kind.FIXED_VOUCHER, "trigger-1", "CODE-1234", Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> redemptions(customer).getList("status")
                .equals(List.of("ISSUED")));
        kafka.publish(Topics.RETENTION_TRIGGERS, TestEvents.envelope(customer, new RewardIssueFailed(redemptionId,
                "voucher-10", RewardIssueFailed.Reason.NOT_ISSUABLE, "late", Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(customer) >= 2);

        assertThat(redemptions(customer).getString("[0].voucherCode")).isEqualTo("CODE-1234");
        assertThat(redemptions(customer).getString("[0].status")).isEqualTo("ISSUED");
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(100);
        assertThat(ledgerCount(customer, "reward.refund")).isZero();
    }

    @Test
    void ofThirtyConcurrentRedemptionsOfAStockOfTenExactlyTenSucceed() throws Exception {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = PointsFlowTest.newCustomer();
            customers.add(customer);
            kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        }
        customers.forEach(customer -> PointsFlowTest.awaitBalance(customer, b -> b.getLong("available") == 100));

        ExecutorService threads = Executors.newFixedThreadPool(30);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (String customer : customers) {
                Callable<Response> call = () -> redeem(customer, "scarce", "k-" + customer, null);
                answers.add(threads.submit(call));
            }
            List<String> won = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < customers.size(); i++) {
                Response answer = answers.get(i).get();
                if (answer.statusCode() == 201) {
                    won.add(customers.get(i));
                } else {
                    Api.assertRefused(answer, 409, "REWARD_REFUSED");
                    assertThat(answer.jsonPath().getString("reason")).isEqualTo("STOCK");
                    lost.add(customers.get(i));
                }
            }

            assertThat(won).hasSize(10);
            assertThat(taken("scarce")).isEqualTo(10);
            assertThat(won).allSatisfy(c -> assertThat(PointsFlowTest.balance(c).getLong("available")).isZero());
            assertThat(lost).allSatisfy(c -> {
                assertThat(PointsFlowTest.balance(c).getLong("available")).isEqualTo(100);
                assertThat(ledgerCount(c, "reward")).isZero();
                assertThat(redemptions(c).getList("$")).isEmpty();
            });
            JsonPath catalogue = rewards(lost.get(0));
            assertThat(catalogue.getLong("find { it.id == 'scarce' }.stockLeft")).isZero();
            assertThat(catalogue.getList("find { it.id == 'scarce' }.reasons.code")).containsExactly("STOCK");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aRewardForGoldIsRefusedBelowGoldAndTakenInGold() {
        String customer = customerWith(300);

        Response refused = redeem(customer, "gold-gift", "k-1", null);
        Api.assertRefused(refused, 422, "REWARD_REFUSED");
        assertThat(refused.jsonPath().getString("reason")).isEqualTo("TIER");
        assertThat(rewards(customer).getList("find { it.id == 'gold-gift' }.reasons.detail"))
                .containsExactly("needs tier gold or higher");
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(300);

        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged("silver", "gold",
                TierChanged.Direction.UP, "threshold", Money.of("1600.00", "EUR"), Instant.now().minusSeconds(60))));
        await().atMost(Duration.ofSeconds(30)).until(() -> rewards(customer)
                .getBoolean("find { it.id == 'gold-gift' }.eligible"));

        redeem(customer, "gold-gift", "k-2", null).then().statusCode(201);
        // Not enough points left for the voucher: 422 POINTS, with what is missing.
        Response poor = redeem(customer, "voucher-10", "k-3", null);
        Api.assertRefused(poor, 422, "REWARD_REFUSED");
        assertThat(poor.jsonPath().getList("reasons.detail")).containsExactly("missing 100 points");
    }

    @Test
    void supportRedeemsOnTheCustomersBehalfOnceUnderTheSameRulesAndTheRedemptionNamesTheAgent() {
        String customer = customerWith(700);

        Response first = redeemAs(Api.support(), customer, "voucher-10", "hotline-1", "{\"currency\":\"EUR\"}");
        Response retried = redeemAs(Api.support(), customer, "voucher-10", "hotline-1", "{\"currency\":\"EUR\"}");
        // The customer's storefront with the agent's key asks for something else (another requester): refused.
        Response storefrontWithTheAgentsKey = redeem(customer, "voucher-10", "hotline-1", "{\"currency\":\"EUR\"}");

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        assertThat(first.jsonPath().getLong("availableAfter")).isEqualTo(400);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.asString()).isEqualTo(first.asString());
        Api.assertRefused(storefrontWithTheAgentsKey, 409, "IDEMPOTENCY_KEY_REUSED");
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(400);
        assertThat(ledgerCount(customer, "reward")).isEqualTo(1);

        // Every rule holds for staff as for the customer: the monthly limit, the tier.
        Response overTheLimit = redeemAs(Api.admin(), customer, "voucher-10", "hotline-2", null);
        Api.assertRefused(overTheLimit, 409, "REWARD_REFUSED");
        assertThat(overTheLimit.jsonPath().getString("reason")).isEqualTo("LIMIT");
        Response belowTheTier = redeemAs(Api.admin(), customer, "gold-gift", "hotline-3", null);
        Api.assertRefused(belowTheTier, 422, "REWARD_REFUSED");
        assertThat(belowTheTier.jsonPath().getString("reason")).isEqualTo("TIER");
        redeemAs(Api.admin(), customer, "refundable", "hotline-4", null).then().statusCode(201);

        // Roles that do not act for customers are refused, and nothing is debited.
        for (RequestSpecification notStaff : List.of(Api.analyst(), marketer())) {
            Api.assertRefused(redeemAs(notStaff, customer, "scarce", "not-staff", null), 403, "FORBIDDEN");
        }
        assertThat(PointsFlowTest.balance(customer).getLong("available")).isEqualTo(200);
        assertThat(ledgerCount(customer, "reward")).isEqualTo(2);

        // The audit: who redeemed each, in the redemptions' answer and on the ledger's debits.
        JsonPath redemptions = redemptions(customer);
        assertThat(redemptions.getString("find { it.rewardId == 'voucher-10' }.requestedBy")).isEqualTo("support-1");
        assertThat(redemptions.getString("find { it.rewardId == 'refundable' }.requestedBy")).isEqualTo("admin-1");
        assertThat(redemptions.getList("rewardId")).hasSize(2);
        assertThat(ledgerActors(customer, "reward")).containsExactlyInAnyOrder("support-1", "admin-1");

        // Published once each: one debit and one request per redemption, the retry added none.
        await().atMost(Duration.ofSeconds(30)).until(() -> published(customer).stream().map(EventEnvelope::data)
                .filter(RewardRedemptionRequested.class::isInstance).count() >= 2);
        List<Object> out = published(customer).stream().<Object>map(EventEnvelope::data).toList();
        assertThat(out.stream().filter(PointsChanged.class::isInstance).map(PointsChanged.class::cast)
                .filter(c -> "reward".equals(c.rule())).map(PointsChanged::points)).containsExactlyInAnyOrder(-300L, -200L);
        assertThat(out.stream().filter(RewardRedemptionRequested.class::isInstance)
                .map(RewardRedemptionRequested.class::cast).map(RewardRedemptionRequested::redemptionId))
                .containsExactlyInAnyOrder(first.jsonPath().getString("redemptionId"),
                        redemptions.getString("find { it.rewardId == 'refundable' }.redemptionId"));
    }

    /** A registered customer (100 points of sign-up bonus) with {@code points} available in all. */
    private static String customerWith(long points) {
        String customer = PointsFlowTest.newCustomer();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        PointsFlowTest.awaitBalance(customer, b -> b.getLong("available") == 100);
        PointsFlowTest.adjust(customer, points - 100);
        return customer;
    }

    private static Response redeem(String customer, String rewardId, String key, String body) {
        return redeemAs(Api.storefront(customer), customer, rewardId, key, body);
    }

    private static Response redeemAs(RequestSpecification caller, String customer, String rewardId, String key,
                                     String body) {
        var request = caller.header("Idempotency-Key", key);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        return request.post("/customers/{id}/rewards/{reward}/redemptions", customer, rewardId);
    }

    private static JsonPath rewards(String customer) {
        return Api.storefront(customer).get("/customers/{id}/rewards", customer).then().statusCode(200).extract()
                .jsonPath();
    }

    private static JsonPath redemptions(String customer) {
        return Api.support().get("/customers/{id}/reward-redemptions", customer).then().statusCode(200).extract()
                .jsonPath();
    }

    private long taken(String rewardId) {
        var rows = pool.preparedQuery("SELECT taken FROM reward_stock WHERE reward_id = $1")
                .executeAndAwait(Tuple.of(rewardId));
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }

    /** Who made each of the customer's ledger entries of the rule (null: the customer or the rules). */
    private List<String> ledgerActors(String customer, String rule) {
        List<String> actors = new ArrayList<>();
        pool.preparedQuery("SELECT actor FROM points_ledger WHERE customer_id = $1 AND rule = $2 ORDER BY seq")
                .executeAndAwait(Tuple.of(customer, rule)).forEach(row -> actors.add(row.getString("actor")));
        return actors;
    }

    private long ledgerCount(String customer, String rule) {
        return pool.preparedQuery("SELECT count(*) FROM points_ledger WHERE customer_id = $1 AND rule = $2")
                .executeAndAwait(Tuple.of(customer, rule)).iterator().next().getLong(0);
    }

    /** The customer's events on retention.triggers the service has applied (its inbox). */
    private long processed(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM eventing_inbox WHERE event_id = ANY($1)")
                .executeAndAwait(Tuple.tuple().addArrayOfString(kafka.readAll(Topics.RETENTION_TRIGGERS).stream()
                        .filter(r -> customer.equals(r.key())).map(r -> eventId(r.key(), r.value())).toArray(String[]::new)))
                .iterator().next().getLong(0);
    }

    private static String eventId(String key, byte[] record) {
        DecodeResult result = new EventDecoder().decode(Topics.RETENTION_TRIGGERS, key, record, Map.of());
        return ((DecodeResult.Decoded) result).event().id();
    }

    /** What points-service published for the customer on loyalty.points, in order. */
    private static List<EventEnvelope<?>> published(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.LOYALTY_POINTS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> decoder.decode(Topics.LOYALTY_POINTS, r.key(), r.value(), Map.of()))
                .<EventEnvelope<?>>map(result -> ((DecodeResult.Decoded) result).event())
                .toList();
    }

    private static List<EventEnvelope<?>> awaitPublished(String customer, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> published(customer).size() >= expected);
        return published(customer);
    }
}
