package dev.retention.points;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.Bonuses;
import dev.retention.contracts.programme.ProgrammeDocument.Conditions;
import dev.retention.contracts.programme.ProgrammeDocument.Earning;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Effect;
import dev.retention.contracts.programme.ProgrammeDocument.EffectType;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;
import dev.retention.contracts.programme.ProgrammeDocument.Window;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation.CustomerPoints;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulation on the real broker and database: orders with lines, categories and channels, registrations and
 * reviews go through the topics; then the simulation's in-force side equals the ledger of the period, a draft equal
 * to the version in force changes nothing, a draft with a category rule, a double-points window and another signup
 * bonus gives what the test computes on its own, and nothing is written.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeSimulationTest {

    /** A month no other test places orders in. */
    static final Instant FROM = Instant.parse("2032-05-01T00:00:00Z");
    static final Instant TO = Instant.parse("2032-06-01T00:00:00Z");
    static final Window DOUBLE_WINDOW = new Window(Instant.parse("2032-05-10T00:00:00Z"),
            Instant.parse("2032-05-12T00:00:00Z"));
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private static KafkaTestClient kafka;
    private static final List<OrderPlaced> ORDERS = new ArrayList<>();
    private static int signups;
    private static int reviews;

    @Inject
    Pool pool;
    @Inject
    ProgrammeVersions versions;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_TIER_CHANGES, Topics.LOYALTY_POINTS, Topics.RETENTION_TRIGGERS,
                Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** Once: three customers, their registrations, orders and reviews in the period, and one order after it. */
    @BeforeEach
    void history() {
        if (!ORDERS.isEmpty()) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> customers = List.of("sim-a-" + run, "sim-b-" + run, "sim-c-" + run);
        int n = 0;
        for (String customer : customers) {
            Instant registeredAt = FROM.plus(Duration.ofHours(1 + n));
            kafka.publish(Topics.CUSTOMERS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE,
                    registeredAt, customer, new CustomerRegistered(registeredAt, customer + "@example.com", "Alex",
                            "Doe", "en-GB", "Europe/London", null, new ChannelConsents(true, false, false, false),
                            null)));
            signups++;
            for (int i = 0; i < 3; i++) {
                Instant placedAt = FROM.plus(Duration.ofDays(4L * i + 5 + n)).plus(Duration.ofHours(7));
                TestEvents.OrderPlacedBuilder order = TestEvents.orderPlaced(customer)
                        .orderId("sim-" + run + "-" + n + "-" + i).placedAt(placedAt)
                        .channel(i % 2 == 0 ? "web" : "phone")
                        .line("shoe-" + i, 1, "19.9" + i, "shoes")
                        .line("hat-" + i, 2, "5.05", "hats");
                if (i == 2) {
                    order.line("book-1", 1, "12.00");
                }
                EventEnvelope<OrderPlaced> event = order.build();
                ORDERS.add(event.data());
                kafka.publish(Topics.ORDERS, event);
            }
            Instant reviewedAt = FROM.plus(Duration.ofDays(20));
            kafka.publish(Topics.REVIEWS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE,
                    reviewedAt, customer, new ReviewSubmitted("rev-" + run + n, "sim-" + run + "-" + n + "-0",
                            "shoe-0", 5, true, reviewedAt)));
            reviews++;
            n++;
        }
        // After the period: not part of it.
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customers.get(0)).orderId("sim-" + run + "-late")
                .placedAt(TO.plus(Duration.ofHours(1))).line("shoe-9", 1, "50.00", "shoes").build());
        String like = "sim-%-" + run;
        await().atMost(Duration.ofSeconds(60)).until(() -> count(
                "SELECT count(*) FROM points_ledger WHERE customer_id LIKE $1", like) >= 3 + 10 + 3);
    }

    @Test
    void theInForceSideIsTheLedgerOfThePeriodAndADraftEqualToItChangesNothing() {
        PointsSimulation simulation = simulate(inForceDocument());

        Map<String, Long> ledger = ledgerByRule();
        long issued = ledger.values().stream().mapToLong(Long::longValue).sum();
        assertThat(simulation.inForce().issued()).isEqualTo(issued);
        assertThat(simulation.inForce().byRule()).isEqualTo(ledger);
        assertThat(simulation.orders()).isGreaterThanOrEqualTo(ORDERS.size());
        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulation.customersAffected()).isZero();
        assertThat(simulation.topChanges()).isEmpty();
    }

    @Test
    void aDraftWithACategoryRuleADoublePointsWindowAndAnotherSignupBonusGivesWhatTheTestComputes() {
        ProgrammeDocument base = inForceDocument();
        PointsSimulation same = simulate(base);
        PointsSimulation simulation = simulate(draft(base));

        long extra = 0;
        for (OrderPlaced order : ORDERS) {
            extra += draftPoints(order) - order.merchandiseTotal().setScale(0, RoundingMode.FLOOR).longValueExact();
        }
        extra += (long) signups * (300 - base.bonuses().signup());
        assertThat(simulation.draft().issued() - same.draft().issued()).isEqualTo(extra);
        assertThat(simulation.inForce()).isEqualTo(same.inForce());
        assertThat(simulation.draft().byRule().get("shoes-triple")).isPositive();
        assertThat(simulation.draft().byRule().get("signup.bonus"))
                .isEqualTo(same.inForce().byRule().get("signup.bonus") / base.bonuses().signup() * 300);
        assertThat(simulation.customersAffected()).isGreaterThanOrEqualTo(3);
        assertThat(simulation.topChanges()).isSortedAccordingTo((a, b) -> Long.compare(
                Math.abs(b.draft() - b.inForce()), Math.abs(a.draft() - a.inForce())));
    }

    @Test
    void draftTiersReRateTheListedCustomersOrdersByTheTierInForceAtTheirPlacedAtOnTheDraftSideOnly() {
        ProgrammeDocument base = inForceDocument();
        List<OrderPlaced> firstCustomers = ORDERS.subList(0, 3);
        String customer = customerOf(firstCustomers.get(0).orderId());
        // Gold (3x) at FROM, silver (2x) from the second order's placedAt on: that order is placed in silver.
        TierTimeline timeline = new TierTimeline(customer, "gold", List.of(
                new TierTimeline.TierChange(firstCustomers.get(1).placedAt(), "silver")));
        PointsSimulation same = simulate(base);

        PointsSimulation simulation = simulate(new SimulationRequest(FROM, TO, base, 0, false, List.of(timeline)));

        // Computed apart: the orders earned 1 point per euro without a tier (1x).
        long extra = 0;
        for (int i = 0; i < firstCustomers.size(); i++) {
            BigDecimal value = firstCustomers.get(i).merchandiseTotal();
            extra += value.multiply(BigDecimal.valueOf(i == 0 ? 3 : 2)).setScale(0, RoundingMode.FLOOR).longValueExact()
                    - value.setScale(0, RoundingMode.FLOOR).longValueExact();
        }
        assertThat(simulation.draft().issued() - same.draft().issued()).isEqualTo(extra);
        assertThat(simulation.inForce()).isEqualTo(same.inForce());
        assertThat(simulation.draft().byTier()).containsKeys("gold", "silver");
        assertThat(simulation.customersAffected()).isEqualTo(1);
        assertThat(simulation.topChanges()).singleElement().extracting(CustomerPoints::customerId).isEqualTo(customer);

        Response nameless = post(marketer(), new SimulationRequest(FROM, TO, base, 0, false,
                List.of(new TierTimeline(null, "gold", List.of()))));
        Api.assertRefused(nameless, 400, "INVALID_DRAFT_TIERS");
        assertThat(nameless.jsonPath().getList("violations.field")).contains("draftTiers[0].customerId");
    }

    @Test
    void aSimulationWritesNothing() {
        Map<String, Long> before = rowCounts();
        simulate(draft(inForceDocument()));
        simulate(inForceDocument());
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void onlyMarketersAndAdminsSimulateAndBadPeriodsOrDraftsAreRefusedNamingTheField() {
        SimulationRequest request = new SimulationRequest(FROM, TO, inForceDocument(), 5);
        assertThat(post(Api.storefront("sim-x"), request).statusCode()).isEqualTo(403);
        assertThat(post(Api.support(), request).statusCode()).isEqualTo(403);
        assertThat(post(Api.admin(), request).statusCode()).isEqualTo(200);

        Response backwards = post(marketer(), new SimulationRequest(TO, FROM, inForceDocument(), 5));
        Api.assertRefused(backwards, 400, "INVALID_REQUEST");
        assertThat(backwards.jsonPath().getList("violations.field")).contains("to");
        Response noDraft = post(marketer(), new SimulationRequest(FROM, TO, null, 5));
        Api.assertRefused(noDraft, 400, "INVALID_REQUEST");
        assertThat(noDraft.jsonPath().getList("violations.field")).contains("draft");

        ProgrammeDocument base = inForceDocument();
        EarningRule shrinking = new EarningRule("shrink", "Less", null,
                new Effect(EffectType.MULTIPLIER, new BigDecimal("0.5")), null);
        ProgrammeDocument refused = withEarning(base, new Earning(Stacking.SUM, List.of(shrinking)), base.bonuses());
        Response unusable = post(marketer(), new SimulationRequest(FROM, TO, refused, 5));
        Api.assertRefused(unusable, 422, "DRAFT_REFUSED");
        assertThat(unusable.jsonPath().getList("violations.field").toString()).contains("draft");
        Response broken = post(marketer(), new SimulationRequest(FROM, TO, withEarning(base,
                new Earning(null, List.of()), base.bonuses()), 5));
        Api.assertRefused(broken, 422, "DRAFT_REFUSED");
        assertThat(broken.jsonPath().getList("violations.field").toString()).contains("draft.earning");
    }

    // --- the draft and the figures the test computes ----------------------------------------------------------------

    /** The draft: the base document plus shoes earning 3x, double points on 10 and 11 May, a signup bonus of 300. */
    private static ProgrammeDocument draft(ProgrammeDocument base) {
        EarningRule shoes = new EarningRule("shoes-triple", "Shoes earn 3x",
                new Conditions(null, null, null, List.of("shoes"), null, null, null, null, null),
                new Effect(EffectType.MULTIPLIER, new BigDecimal("3")), null);
        EarningRule window = new EarningRule("double-days", "Double points",
                new Conditions(null, null, null, null, null, null, DOUBLE_WINDOW, null, null),
                new Effect(EffectType.MULTIPLIER, new BigDecimal("2")), null);
        List<EarningRule> rules = new ArrayList<>(base.earning().rules() == null ? List.of() : base.earning().rules());
        rules.add(shoes);
        rules.add(window);
        Bonuses bonuses = new Bonuses(300, base.bonuses().review(), base.bonuses().referral(),
                base.bonuses().birthday());
        return withEarning(base, new Earning(Stacking.SUM, rules), bonuses);
    }

    /**
     * An order's points under the draft, computed apart from the service: EUR at 1 point per euro, no tier (1x), no
     * part paid with points, web and phone orders (no app rule): {@code floor(value + floor(2 x shoes) + floor(value
     * in the window))}.
     */
    private static long draftPoints(OrderPlaced order) {
        BigDecimal value = order.merchandiseTotal();
        BigDecimal shoes = order.lines().stream().filter(line -> "shoes".equals(line.category()))
                .map(line -> line.lineTotal()).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal points = value.add(shoes.multiply(BigDecimal.valueOf(2)).setScale(0, RoundingMode.FLOOR));
        if (DOUBLE_WINDOW.contains(order.placedAt())) {
            points = points.add(value.setScale(0, RoundingMode.FLOOR));
        }
        return points.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** The version in force over the period, or the test baseline (the initial programme, birthday bonus 150). */
    private ProgrammeDocument inForceDocument() {
        return versions.inForceAt(FROM).map(ProgrammeVersion::document).orElseGet(() -> {
            ProgrammeDocument initial = ProgrammeJson.initial();
            Bonuses bonuses = initial.bonuses();
            return withEarning(initial, initial.earning(), new Bonuses(bonuses.signup(), bonuses.review(),
                    bonuses.referral(), 150));
        });
    }

    private static ProgrammeDocument withEarning(ProgrammeDocument d, Earning earning, Bonuses bonuses) {
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), d.tiers(), earning, bonuses,
                d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }

    // --- the API and the database ------------------------------------------------------------------------------------

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of(CustomerAccess.MARKETER)));
    }

    private static Response post(RequestSpecification as, SimulationRequest request) {
        try {
            // The contracts' own JSON: amounts as decimal strings, as the programme schema wants them.
            return as.contentType("application/json").body(ContractJson.mapper().writeValueAsString(request))
                    .post("/programme-simulations");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PointsSimulation simulate(ProgrammeDocument draft) {
        return simulate(new SimulationRequest(FROM, TO, draft, 0));
    }

    private static PointsSimulation simulate(SimulationRequest request) {
        Response response = post(marketer(), request);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        try {
            return JSON.readValue(response.asString(), PointsSimulation.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The ledger's points of the period by rule: the parts of the earnings (and tier corrections) of the orders
     * placed in it, and the bonuses written in it.
     */
    private Map<String, Long> ledgerByRule() {
        Map<String, Long> byRule = new TreeMap<>();
        Tuple period = Tuple.of(OffsetDateTime.ofInstant(FROM, ZoneOffset.UTC), OffsetDateTime.ofInstant(TO,
                ZoneOffset.UTC));
        for (Row row : pool.preparedQuery("""
                SELECT l.rule, l.points, l.rules FROM points_ledger l JOIN points_order o ON o.order_id = l.order_id
                WHERE l.rule IN ('order.earning', 'order.tier-correction')
                  AND o.placed_at >= $1 AND o.placed_at < $2""").executeAndAwait(period)) {
            try {
                for (JsonNode part : JSON.readTree(row.getString("rules"))) {
                    byRule.merge(part.get("ruleId").asText(), part.get("points").asLong(), Long::sum);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        for (Row row : pool.preparedQuery("""
                SELECT rule, sum(points) AS points FROM points_ledger
                WHERE rule LIKE '%.bonus' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY rule""")
                .executeAndAwait(period)) {
            byRule.merge(row.getString("rule"), row.getLong("points"), Long::sum);
        }
        return byRule;
    }

    private String customerOf(String orderId) {
        return pool.preparedQuery("SELECT customer_id FROM points_order WHERE order_id = $1")
                .execute(Tuple.of(orderId)).await().atMost(Duration.ofSeconds(30)).iterator().next()
                .getString("customer_id");
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Row table : pool.query("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                  AND (table_name LIKE 'points%' OR table_name IN ('customer_tier', 'api_attempt'))""")
                .executeAndAwait()) {
            String name = table.getString(0);
            counts.put(name, count("SELECT count(*) FROM " + name));
        }
        assertThat(counts).containsKeys("points_ledger", "points_order", "points_account", "points_rule_usage");
        return counts;
    }

    private long count(String sql, Object... arguments) {
        return pool.preparedQuery(sql).executeAndAwait(Tuple.from(arguments)).iterator().next().getLong(0);
    }
}
