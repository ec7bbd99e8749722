package dev.retention.campaigns;

import dev.retention.campaigns.domain.TriggerGuards;
import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.programme.ProgrammeDocument;
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
import io.restassured.http.ContentType;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * POST /segment-sizes against the real broker and database: the size it answers is what a campaign started then
 * issues, with the customers the guards withhold the offer from counted apart.
 */
@QuarkusTest
@TestProfile(SegmentSizeApiTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class SegmentSizeApiTest {

    /** A programme of this class's own, with a holdout group, apart from the other tests' on the shared broker. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "segment-size-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    private static final String SALT = "retention-2026"; // retention.campaigns.guards.holdout-salt
    private static final BigDecimal HOLDOUT = new BigDecimal("0.5");
    /** The guards of the programme this test publishes: the initial programme's cap, 3 in 7 days. */
    private static final ProgrammeDocument PROGRAMME = ProgrammeDrafts.withHoldout(ProgrammeJson.initial(), HOLDOUT);
    private static final TriggerGuards GUARDS = new TriggerGuards(HOLDOUT, SALT,
            PROGRAMME.guards().frequencyCap(), PROGRAMME.guards().frequencyCapWindow());

    private static KafkaTestClient kafka;

    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;
    @Inject
    CampaignJobs jobs;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.CUSTOMERS, Topics.LOYALTY_TIER_CHANGES,
                Topics.RETENTION_TRIGGERS);
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @BeforeEach
    void programmeInForce() {
        if (!versions.timeline().versions().isEmpty()) {
            return;
        }
        String programme = OwnProgramme.PROGRAMME;
        Instant effective = Instant.now().minus(Duration.ofDays(30));
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(new ProgrammeVersion(1,
                        effective, effective.minus(Duration.ofDays(1)), "admin", "test", null, PROGRAMME)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 1);
    }

    @Test
    void theSizeIsWhatACampaignStartedThenIssuesAndTheWithheldAreCountedApart() {
        String tier = "size-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> reached = List.of(customer(false), customer(false), customer(false), customer(false));
        List<String> heldOut = List.of(customer(true), customer(true), customer(true));
        String capped = customer(false);
        String withoutConsent = customer(false);
        String outside = customer(false);
        for (String c : reached) {
            joins(c, tier, true);
        }
        for (String c : heldOut) {
            joins(c, tier, true);
        }
        joins(withoutConsent, tier, false); // never registered: no profile, no consent
        joins(outside, "other-" + tier, true);
        reachesTheCap(capped, tier);

        JsonPath size = size(marketer(), Map.of("tiers", List.of(tier)));

        assertThat(size.getLong("inSegment")).isEqualTo(9);
        assertThat(size.getLong("withoutConsent")).isEqualTo(1);
        assertThat(size.getLong("heldOut")).as("the holdout group, as the guards hash it").isEqualTo(3);
        assertThat(size.getLong("capped")).isEqualTo(1);
        assertThat(size.getLong("customers")).isEqualTo(4);
        assertThat(Instant.parse(size.getString("at"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
        // The other criteria by the same rule: nobody here ever ordered, so nobody is inactive; everyone spent 0.
        assertThat(size(Api.admin(), Map.of("tiers", List.of(tier), "minDaysInactive", 0)).getLong("inSegment"))
                .isZero();
        assertThat(size(Api.admin(), Map.of("tiers", List.of(tier),
                "minLifetimeSpend", Map.of("amount", "0.00", "currency", "EUR"))).getLong("customers")).isEqualTo(4);
        assertThat(size(Api.admin(), Map.of("tiers", List.of(tier),
                "minLifetimeSpend", Map.of("amount", "0.01", "currency", "EUR"))).getLong("inSegment")).isZero();

        String campaignId = offer(tier);
        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));

        JsonPath campaign = marketer().get("/campaigns/{id}", campaignId).then().statusCode(200).extract().jsonPath();
        assertThat(campaign.getLong("issued")).as("issued by the campaign").isEqualTo(size.getLong("customers"));
        assertThat(campaign.getString("status")).isEqualTo("COMPLETED");
        Map<String, List<String>> byOutcome = outcomes(campaignId);
        assertThat(byOutcome.get("FIRED")).containsExactlyInAnyOrderElementsOf(reached);
        assertThat(byOutcome.get("HELD_OUT")).containsExactlyInAnyOrderElementsOf(heldOut);
        assertThat(byOutcome.get("CAPPED")).containsExactly(capped);
        assertThat(byOutcome.get("NO_CONSENT")).containsExactly(withoutConsent);
        assertThat(byOutcome).containsOnlyKeys("FIRED", "HELD_OUT", "CAPPED", "NO_CONSENT");

        // Offered once per campaign: the members reached are now one marketing trigger nearer their cap, not gone.
        assertThat(size(marketer(), Map.of("tiers", List.of(tier))).getLong("customers")).isEqualTo(4);
    }

    @Test
    void theHoldoutGroupTheDatabaseCountsIsTheOneTheGuardsHoldOut() {
        String tier = "holdout-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String customer = "c-size-" + UUID.randomUUID();
            customers.add(customer);
            kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
            kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged(null, tier,
                    TierChanged.Direction.INITIAL, "spend", Money.of("2000.00", "EUR"), Instant.now())));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.preparedQuery("SELECT count(*) FROM campaign_customer"
                        + " WHERE tier = $1 AND marketing_consent").execute(Tuple.of(tier))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == customers.size());
        long heldOut = customers.stream().filter(GUARDS::inHoldout).count();

        JsonPath size = size(Api.admin(), Map.of("tiers", List.of(tier)));

        assertThat(size.getLong("heldOut")).isEqualTo(heldOut);
        assertThat(size.getLong("customers")).isEqualTo(customers.size() - heldOut);
    }

    @Test
    void badSegmentsAreRefusedNamingTheFieldAsACampaignDoes() {
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("{\"tiers\": \"gold\"}", "segment.tiers");
        wrong.put("{\"tiers\": [\"gold\", 7]}", "segment.tiers[1]");
        wrong.put("{\"tiers\": [\"\"]}", "segment.tiers[0]");
        wrong.put("{\"tiers\": [\"" + "t".repeat(51) + "\"]}", "segment.tiers[0]");
        wrong.put("{\"minDaysInactive\": \"30\"}", "segment.minDaysInactive");
        wrong.put("{\"minDaysInactive\": -1}", "segment.minDaysInactive");
        wrong.put("{\"minDaysInactive\": 3651}", "segment.minDaysInactive");
        wrong.put("{\"minLifetimeSpend\": \"100 EUR\"}", "segment.minLifetimeSpend");
        wrong.put("{\"minLifetimeSpend\": {\"currency\": \"EUR\"}}", "segment.minLifetimeSpend.amount");
        wrong.put("{\"minLifetimeSpend\": {\"amount\": \"10.001\", \"currency\": \"EUR\"}}",
                "segment.minLifetimeSpend.amount");
        wrong.put("{\"minLifetimeSpend\": {\"amount\": \"-1.00\", \"currency\": \"EUR\"}}",
                "segment.minLifetimeSpend.amount");
        wrong.put("{\"minLifetimeSpend\": {\"amount\": \"10.00\", \"currency\": \"XYZ\"}}",
                "segment.minLifetimeSpend.currency");
        wrong.put("{\"minLifetimeSpend\": {\"amount\": \"10.00\", \"currency\": \"USD\"}}",
                "segment.minLifetimeSpend.currency");
        Instant now = Instant.now();
        wrong.forEach((segment, field) -> {
            Response refused = marketer().contentType(ContentType.JSON).body("{\"segment\": " + segment + "}")
                    .post("/segment-sizes");
            assertThat(refused.statusCode()).as(segment + ": " + refused.asString()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("code")).isIn("INVALID_REQUEST", "MALFORMED_REQUEST");
            assertThat(refused.jsonPath().getList("violations.field")).as(segment).containsExactly(field);
            // The same segment in a campaign is refused naming the same field.
            Response campaign = marketer().contentType(ContentType.JSON).body("{\"name\": \"x\", \"startsAt\": \""
                    + now + "\", \"endsAt\": \"" + now.plusSeconds(60) + "\", \"segment\": " + segment
                    + ", \"offer\": {\"freeGiftSku\": \"tote-bag\", \"validFor\": \"P7D\"}}").post("/campaigns");
            assertThat(campaign.statusCode()).as(segment).isEqualTo(400);
            assertThat(campaign.jsonPath().getString("code")).isEqualTo(refused.jsonPath().getString("code"));
            assertThat(campaign.jsonPath().getList("violations.field")).as(segment).containsExactly(field);
        });
        Response noSegment = marketer().contentType(ContentType.JSON).body("{}").post("/segment-sizes");
        assertThat(noSegment.statusCode()).isEqualTo(400);
        assertThat(noSegment.jsonPath().getList("violations.field")).containsExactly("segment");
        Response notJson = marketer().contentType(ContentType.JSON).body("{\"segment\": ").post("/segment-sizes");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.jsonPath().getString("code")).isEqualTo("MALFORMED_REQUEST");
    }

    // ---- helpers ----

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }

    private static JsonPath size(RequestSpecification caller, Map<String, Object> segment) {
        return caller.contentType(ContentType.JSON).body(Map.of("segment", segment)).post("/segment-sizes")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A customer id in the holdout group of this test's programme, or outside it. */
    private static String customer(boolean inHoldout) {
        while (true) {
            String id = "c-size-" + UUID.randomUUID();
            if (GUARDS.inHoldout(id) == inHoldout) {
                return id;
            }
        }
    }

    /** The customer has {@code tier}; registered (with marketing consent by email) when {@code consenting}. */
    private void joins(String customer, String tier, boolean consenting) {
        if (consenting) {
            kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        }
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged(null, tier,
                TierChanged.Direction.INITIAL, "spend", Money.of("2000.00", "EUR"), Instant.now())));
        awaitCustomer(customer, tier, consenting);
    }

    private void awaitCustomer(String customer, String tier, boolean consenting) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT count(*) FROM campaign_customer"
                        + " WHERE customer_id = $1 AND tier = $2 AND marketing_consent = $3")
                .execute(Tuple.of(customer, tier, consenting)).await().atMost(Duration.ofSeconds(5)).iterator().next()
                .getLong(0) == 1);
    }

    /** Three offers of campaigns for a tier of its own reach the customer, who then moves up into {@code tier}. */
    private void reachesTheCap(String customer, String tier) {
        String own = "cap-" + tier;
        joins(customer, own, true);
        List<String> campaigns = new ArrayList<>();
        for (int i = 0; i < PROGRAMME.guards().frequencyCap(); i++) {
            campaigns.add(offer(own));
        }
        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));
        for (String campaignId : campaigns) {
            assertThat(outcomes(campaignId)).containsExactly(Map.entry("FIRED", List.of(customer)));
        }
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged(own, tier,
                TierChanged.Direction.UP, "spend", Money.of("3000.00", "EUR"), Instant.now())));
        awaitCustomer(customer, tier, true);
    }

    /** A free tote bag to the tier's customers, running now: its id. */
    private static String offer(String tier) {
        Instant now = Instant.now();
        Response created = marketer().contentType(ContentType.JSON).body(Map.of("name", "Tote bags for " + tier,
                "startsAt", now.minusSeconds(60).toString(), "endsAt", now.plus(Duration.ofDays(1)).toString(),
                "segment", Map.of("tiers", List.of(tier)),
                "offer", Map.of("freeGiftSku", "tote-bag", "validFor", "P7D"))).post("/campaigns");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        return created.jsonPath().getString("campaignId");
    }

    /** The campaign's trigger log: customers by outcome. */
    private Map<String, List<String>> outcomes(String campaignId) {
        Map<String, List<String>> byOutcome = new HashMap<>();
        pool.preparedQuery("SELECT outcome, customer_id FROM trigger_log WHERE campaign_id = $1")
                .execute(Tuple.of(campaignId)).await().atMost(Duration.ofSeconds(5))
                .forEach(row -> byOutcome.computeIfAbsent(row.getString("outcome"), o -> new ArrayList<>())
                        .add(row.getString("customer_id")));
        return byOutcome;
    }
}
