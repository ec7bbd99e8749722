package dev.retention.tiers;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
import dev.retention.tiers.application.MarkDueOnProgrammeChange;
import dev.retention.tiers.application.ReevaluateDueTiers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 32's simulation for tier-service on the real broker and database: orders through the real topic, the job
 * caught up, then {@code POST /programme-simulations}; the in-force side must reproduce what the service stored.
 */
@QuarkusTest
@TestProfile(TierSimulationTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TierSimulationTest {

    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "tier-simulation-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    private static final Duration DAY = Duration.ofDays(1);
    private static KafkaTestClient kafka;
    /** Fixed once for the class: every test reads the same history. */
    private static Instant now;
    private static Map<String, String> customers;

    @Inject
    MovableClock clock;
    @Inject
    MarkDueOnProgrammeChange markDue;
    @Inject
    ReevaluateDueTiers reevaluateDue;
    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.LOYALTY_TIER_CHANGES);
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** v1 (the initial programme) long ago, v2 (silver at 400.00) 100 days ago; six customers' orders. */
    @Test
    @Order(1)
    void historyIsRecorded() {
        now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        publish(version(1, now.minus(DAY.multipliedBy(1000)), ProgrammeJson.initial()),
                version(2, now.minus(DAY.multipliedBy(100)), withThresholds("400.00", "1500.00")));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 2);
        customers = new TreeMap<>();
        order("a", "600.00", 500);              // silver; leaves the window, warned, downgraded in the period
        order("b", "450.00", 50);               // silver under v2's 400.00
        order("c", "1200.00", 200);             // silver, then gold with the second order
        order("c", "400.00", 20);
        order("d", "300.00", 10);               // bronze
        order("e", "1400.00", 30);              // silver; gold at 1000.00
        order("f", "1000.00", 150);             // silver, then gold
        order("f", "700.00", 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM tier_order") == 8
                && count("SELECT count(*) FROM tier_status WHERE evaluated_at IS NOT NULL") == 6);
        markDue.run().chain(reevaluateDue::reevaluateAll).await().atMost(Duration.ofSeconds(60));

        assertThat(tier(customers.get("a"))).isEqualTo("bronze");
        assertThat(count("SELECT count(*) FROM tier_history")).isGreaterThan(6);
    }

    @Test
    @Order(2)
    void theInForceSideReproducesTheStoredHistoryAndTiersAndWritesNothing() {
        String before = snapshot();
        Instant from = now.minus(DAY.multipliedBy(300));
        Instant to = now.plus(DAY);

        TierSimulation simulation = simulate(from, to, withThresholds("400.00", "1000.00"));

        assertThat(simulation.customers()).isEqualTo(6);
        assertThat(simulation.inForce().moves()).isEqualTo(storedMoves(from, to));
        assertThat(simulation.inForce().distribution()).isEqualTo(storedDistribution());
        assertThat(simulation.inForce().upgrades()).isEqualTo(count("SELECT count(*) FROM tier_history WHERE "
                + "direction = 'UP' AND effective_at >= '" + from + "' AND effective_at < '" + to + "'"));
        assertThat(simulation.inForce().downgrades()).isEqualTo(1); // a, at the end of the grace period
        assertThat(snapshot()).as("nothing written").isEqualTo(before);
    }

    @Test
    @Order(3)
    void aDraftEqualToTheVersionInForceGivesTheSameFigures() {
        TierSimulation simulation = simulate(now.minus(DAY.multipliedBy(90)), now.plus(DAY),
                withThresholds("400.00", "1500.00"));

        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulation.customersAffected()).isZero();
        assertThat(simulation.topChanges()).isEmpty();
    }

    @Test
    @Order(4)
    void aLowerGoldThresholdMovesTheCustomersWhoseSpendReachesIt() {
        Instant from = now.minus(DAY.multipliedBy(90));
        TierSimulation simulation = simulate(from, now.plus(DAY), withThresholds("400.00", "1000.00"));

        // Computed here from the orders: the draft takes effect 90 days ago. Then c (1,200.00 within the 365-day
        // window) and f (1,000.00) reach gold at once; e's 1,400.00 30 days ago starts it at gold instead of silver.
        // c and f reach gold under the versions in force too, with their second orders; e stays silver.
        assertThat(simulation.customersAffected()).isEqualTo(1);
        assertThat(simulation.topChanges()).singleElement().isEqualTo(
                new TierSimulation.CustomerTier(customers.get("e"), "silver", "gold"));
        assertThat(simulation.draft().moves()).containsEntry("silver->gold", 2L).containsEntry("none->gold", 1L);
        assertThat(simulation.draft().upgrades()).isEqualTo(2);
        assertThat(simulation.inForce().moves()).containsEntry("silver->gold", 2L).containsEntry("none->silver", 2L);
        assertThat(simulation.draft().distribution()).isEqualTo(Map.of("bronze", 2L, "silver", 1L, "gold", 3L));
    }

    @Test
    @Order(5)
    void theDraftTimelinesListOnlyTheCustomersTheDraftMovesWithTheTimesTheLivePathPublishes() {
        Instant from = now.minus(DAY.multipliedBy(90));
        Instant to = now.plus(DAY);
        ProgrammeDocument lowerSilver = withThresholds("300.00", "1500.00");

        TierSimulation simulation = simulate(new SimulationRequest(from, to, lowerSilver, 0, true, null));

        // Computed here from the orders: silver at 300.00 from 90 days ago moves only d, whose 300.00 ten days ago
        // made it bronze and would make it silver; everyone else reaches the same tiers at the same times (b's
        // 450.00 and e's 1,400.00 are silver either way, a's spend left the window before the period, c's and f's
        // second orders make them gold either way).
        Instant dPlaced = now.minus(DAY.multipliedBy(10));
        assertThat(simulation.draftTimelines()).containsExactly(new TierTimeline(customers.get("d"), null,
                List.of(new TierTimeline.TierChange(dPlaced.plus(Duration.ofNanos(1_000)), "silver"))));
        // tier_history holds d's first tier from exactly that time: the live path's effectiveAt for its order.
        assertThat(storedEffectiveTimes(customers.get("d"))).containsExactly(dPlaced.plus(Duration.ofNanos(1_000)));
        assertThat(simulation.draftTimelines()).extracting(TierTimeline::customerId)
                .doesNotContain(customers.get("b"), customers.get("e"));

        TierSimulation notAsked = simulate(from, to, lowerSilver);
        assertThat(notAsked.draftTimelines()).isNull();
        assertThat(notAsked.withoutTimelines()).isEqualTo(simulation.withoutTimelines());
    }

    @Test
    @Order(6)
    void aDraftTheVersionsInForceEqualOverThePeriodListsNoTimeline() {
        TierSimulation simulation = simulate(new SimulationRequest(now.minus(DAY.multipliedBy(90)), now.plus(DAY),
                withThresholds("400.00", "1500.00"), 0, true, null));

        assertThat(simulation.draftTimelines()).isEmpty();
    }

    @Test
    @Order(7)
    void badRequestsNameTheFieldAndOnlyMarketersAndAdminsMaySimulate() {
        SimulationRequest valid = new SimulationRequest(now.minus(DAY), now, ProgrammeJson.initial(), 0);
        assertThat(post(Api.storefront("c-x"), valid).statusCode()).isEqualTo(403);
        assertThat(post(Api.analyst(), valid).statusCode()).isEqualTo(403);
        assertThat(post(Api.admin(), valid).statusCode()).isEqualTo(200);

        Response reversed = post(marketer(), new SimulationRequest(now, now, ProgrammeJson.initial(), 0));
        assertThat(reversed.statusCode()).isEqualTo(400);
        assertThat(reversed.contentType()).startsWith("application/problem+json");
        assertThat(reversed.jsonPath().getString("violations[0].field")).isEqualTo("to");

        Response noDraft = post(marketer(), new SimulationRequest(now.minus(DAY), now, null, 0));
        assertThat(noDraft.statusCode()).isEqualTo(400);
        assertThat(noDraft.jsonPath().getString("violations[0].field")).isEqualTo("draft");
    }

    private TierSimulation simulate(Instant from, Instant to, ProgrammeDocument draft) {
        return simulate(new SimulationRequest(from, to, draft, 0));
    }

    private TierSimulation simulate(SimulationRequest request) {
        Response response = post(marketer(), request);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        try {
            return ContractJson.mapper().readValue(response.asString(), TierSimulation.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Response post(RequestSpecification spec, SimulationRequest request) {
        try {
            var body = ContractJson.mapper().createObjectNode();
            body.put("from", request.from().toString()).put("to", request.to().toString()).put("top", request.top());
            if (request.includeDraftTimelines()) {
                body.put("includeDraftTimelines", true);
            }
            body.set("draft", request.draft() == null ? null : ProgrammeJson.tree(request.draft()));
            return spec.contentType("application/json").body(ContractJson.mapper().writeValueAsString(body))
                    .post("/programme-simulations");
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }

    private Map<String, Long> storedMoves(Instant from, Instant to) {
        Map<String, Long> moves = new TreeMap<>();
        pool.preparedQuery("SELECT COALESCE(from_tier, 'none') || '->' || to_tier AS move, count(*) AS n "
                        + "FROM tier_history WHERE effective_at >= $1 AND effective_at < $2 GROUP BY 1")
                .execute(Tuple.of(from.atOffset(java.time.ZoneOffset.UTC), to.atOffset(java.time.ZoneOffset.UTC)))
                .await().atMost(Duration.ofSeconds(30))
                .forEach(row -> moves.put(row.getString("move"), row.getLong("n")));
        return moves;
    }

    private List<Instant> storedEffectiveTimes(String customer) {
        List<Instant> times = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT effective_at FROM tier_history WHERE customer_id = $1 ORDER BY effective_at")
                .execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> times.add(row.getOffsetDateTime("effective_at").toInstant()));
        return times;
    }

    private Map<String, Long> storedDistribution() {
        Map<String, Long> distribution = new TreeMap<>();
        pool.query("SELECT COALESCE(tier, 'none') AS tier, count(*) AS n FROM tier_status GROUP BY 1").execute()
                .await().atMost(Duration.ofSeconds(30))
                .forEach(row -> distribution.put(row.getString("tier"), row.getLong("n")));
        return distribution;
    }

    /** Every row the service keeps, as text: equal before and after means nothing was written. */
    private String snapshot() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("tier_order", "tier_status", "tier_history", "tier_programme_sweep")) {
            pool.query("SELECT string_agg(t::text, '|' ORDER BY t::text) FROM " + table + " t").execute()
                    .await().atMost(Duration.ofSeconds(30))
                    .forEach(row -> all.append(table).append(':').append(row.getString(0)).append('\n'));
        }
        return all.toString();
    }

    private long count(String sql) {
        Row row = pool.query(sql).execute().await().atMost(Duration.ofSeconds(30)).iterator().next();
        return row.getLong(0);
    }

    private String tier(String customer) {
        return pool.preparedQuery("SELECT tier FROM tier_status WHERE customer_id = $1").execute(Tuple.of(customer))
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getString("tier");
    }

    private static void order(String name, String value, int daysAgo) {
        String customer = customers.computeIfAbsent(name, n -> "c-" + n + "-" + UUID.randomUUID());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).placedAt(now.minus(DAY.multipliedBy(daysAgo)))
                .line("sku", 1, value).build());
    }

    private static ProgrammeVersion version(int number, Instant effectiveFrom, ProgrammeDocument document) {
        return new ProgrammeVersion(number, effectiveFrom, effectiveFrom.minus(Duration.ofMinutes(5)), "admin",
                "test", null, document);
    }

    private static void publish(ProgrammeVersion... published) {
        String programme = OwnProgramme.PROGRAMME;
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(published))));
    }

    private static ProgrammeDocument withThresholds(String silver, String gold) {
        ProgrammeDocument d = ProgrammeJson.initial();
        List<ProgrammeDocument.Tier> levels = d.tiers().levels().stream()
                .map(t -> switch (t.name()) {
                    case "silver" -> new ProgrammeDocument.Tier(t.name(), new BigDecimal(silver), t.multiplier(),
                            t.benefits());
                    case "gold" -> new ProgrammeDocument.Tier(t.name(), new BigDecimal(gold), t.multiplier(),
                            t.benefits());
                    default -> t;
                })
                .toList();
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(),
                new ProgrammeDocument.Tiers(levels, d.tiers().window(), d.tiers().grace(), d.tiers().riskNotice()),
                d.earning(), d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }
}
