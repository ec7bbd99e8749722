package dev.retention.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.CampaignSimulation.TriggerFigures;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Triggers are decided by their business time, not by when campaign-service processes them, on the real broker and
 * database: events that happen two hours from now (a shop replayed ahead of time) are processed at once, yet their
 * triggers belong to their own period, which a simulation finds; the frequency cap counts by business time, so four
 * review requests eight days apart all fire though one job run decides them within a second, while four within one
 * day stop at the cap; a late-dated apology spends the budget of its business time's month, and its voucher is valid
 * from when it was issued.
 */
@QuarkusTest
@TestProfile(BusinessTimeDecisionTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class BusinessTimeDecisionTest {

    /** A programme of this class's own: its versions stay apart from the other tests' on the shared broker. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "campaign-business-time-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    /** No holdout, so every customer's marketing triggers meet the cap; the cap is the initial 3 per 7 days. */
    private static final ProgrammeDocument IN_FORCE = ProgrammeDrafts.withHoldout(ProgrammeJson.initial(),
            BigDecimal.ZERO);
    private static final int ORDERS = 4;

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;
    @Inject
    CampaignJobs jobs;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS);
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void eventsOfAFuturePeriodAreDecidedCappedAndSimulatedByTheirBusinessTime() {
        publishProgramme();
        Instant processedFrom = clock.instant();
        Instant start = processedFrom.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        String spaced = "c-spaced-" + UUID.randomUUID();
        String dense = "c-dense-" + UUID.randomUUID();
        String late = "c-late-" + UUID.randomUUID();
        List<String> customers = List.of(spaced, dense, late);
        customers.forEach(customer -> kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream().allMatch(this::known));

        // Four orders each, delivered an hour after they are placed: the spaced customer's eight days apart, the
        // dense customer's four hours apart. A review request is due 7 days after each delivery.
        List<String[]> deliveries = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Instant spacedAt = start.plus(Duration.ofDays(8L * i));
            Instant denseAt = start.plus(Duration.ofHours(4L * i));
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(spaced).orderId("ord-" + spaced + "-" + i)
                    .placedAt(spacedAt).build());
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(dense).orderId("ord-" + dense + "-" + i)
                    .placedAt(denseAt).build());
            deliveries.add(new String[]{spaced, "ord-" + spaced + "-" + i, spacedAt.plus(Duration.ofHours(1)).toString()});
            deliveries.add(new String[]{dense, "ord-" + dense + "-" + i, denseAt.plus(Duration.ofHours(1)).toString()});
        }
        // The late customer's order is delayed 35 days after the start: its apology's business time is then.
        Instant delayedAt = start.plus(Duration.ofDays(35));
        String lateOrder = "ord-" + late;
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(late).orderId(lateOrder)
                .placedAt(delayedAt.minus(Duration.ofDays(2))).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM campaign_order "
                + "WHERE status = 'PLACED' AND customer_id = ANY($1)", customers) == 2L * ORDERS + 1);
        for (String[] delivery : deliveries) {
            Instant deliveredAt = Instant.parse(delivery[2]);
            kafka.publish(Topics.SHIPMENTS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE,
                    deliveredAt, delivery[0], new ShipmentDelivered("shp-" + delivery[1], delivery[1], deliveredAt)));
        }
        kafka.publish(Topics.SHIPMENTS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE, delayedAt,
                late, new ShipmentDelayed("shp-" + lateOrder, lateOrder,
                        LocalDate.ofInstant(delayedAt, ZoneId.of("UTC")).plusDays(3), "carrier backlog")));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM campaign_order "
                + "WHERE review_request_due_at IS NOT NULL AND customer_id = ANY($1)", customers) == 2L * ORDERS);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM trigger_log "
                + "WHERE customer_id = ANY($1)", customers) == 4);

        // Processed now, decided by the time they happen: the first orders' referral invitations and the apology.
        assertThat(rows("referral-invitation", spaced)).singleElement().satisfies(row -> {
            assertThat(row.businessTime()).isEqualTo(start);
            assertThat(row.firedAt()).isBefore(start.minus(Duration.ofHours(1)));
        });
        assertThat(rows("delay-apology", late)).singleElement()
                .satisfies(row -> assertThat(row.businessTime()).isEqualTo(delayedAt));
        // The apology spends the budget of its business time's month; its voucher is valid from when it was issued.
        LocalDate delayedMonth = delayedAt.atZone(ZoneId.of(IN_FORCE.timeZone())).toLocalDate().withDayOfMonth(1);
        Row budget = pool.query("SELECT month, spent FROM voucher_budget_month").execute().await()
                .atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(budget.getLocalDate("month")).isEqualTo(delayedMonth);
        assertThat(budget.getBigDecimal("spent")).isEqualByComparingTo("10.00");
        Row voucher = pool.preparedQuery("SELECT issued_at, expires_at FROM voucher WHERE customer_id = $1")
                .execute(Tuple.of(late)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        Instant issuedAt = voucher.getOffsetDateTime("issued_at").toInstant();
        assertThat(issuedAt).isBetween(processedFrom, clock.instant());
        assertThat(voucher.getOffsetDateTime("expires_at").toInstant())
                .isEqualTo(issuedAt.plus(IN_FORCE.triggers().delayApology().voucher().validFor()));

        // Time passes beyond every review request's due time; one job run decides all eight.
        clock.advance(Duration.ofDays(40));
        jobs.reviewRequests().await().atMost(Duration.ofSeconds(30));

        List<Logged> spacedRequests = rows("review-request", spaced);
        List<Logged> denseRequests = rows("review-request", dense);
        assertThat(spacedRequests).hasSize(ORDERS).allSatisfy(row ->
                assertThat(row.outcome()).isEqualTo("FIRED"));
        assertThat(Duration.between(spacedRequests.stream().map(Logged::firedAt).min(Instant::compareTo).orElseThrow(),
                spacedRequests.stream().map(Logged::firedAt).max(Instant::compareTo).orElseThrow()))
                .as("decided within one job run").isLessThan(Duration.ofSeconds(5));
        assertThat(denseRequests).extracting(Logged::outcome).containsExactly("FIRED", "FIRED", "FIRED", "CAPPED");
        assertThat(spacedRequests.get(1).businessTime())
                .isEqualTo(start.plus(Duration.ofDays(8)).plus(Duration.ofHours(1)).plus(Duration.ofDays(7)));

        // The simulation's period is one of business times: the future period holds every trigger, the period in
        // which they were processed none.
        Instant end = start.plus(Duration.ofDays(40));
        CampaignSimulation simulation = simulate(start, end, IN_FORCE);
        assertThat(simulation.triggers()).isEqualTo(3 + 2L * ORDERS + 1); // three first orders' invitations
        assertThat(simulation.inForce().byTrigger().get("review-request"))
                .isEqualTo(new TriggerFigures(2L * ORDERS - 1, 0, 1, 0, 0, 0, 0, Map.of()));
        assertThat(simulation.inForce().byTrigger().get("referral-invitation").fired()).isEqualTo(3);
        assertThat(simulation.inForce().byTrigger().get("delay-apology").faceValue())
                .containsExactly(Map.entry("EUR", new BigDecimal("10.00")));
        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulate(processedFrom.minusSeconds(1), start, IN_FORCE).triggers()).isZero();

        // A draft with a cap of 4 lets the dense customer's fourth request through; a window of 6 days instead of 7
        // changes nothing, as the requests are within a day of each other or eight days apart.
        CampaignSimulation fourAWeek = simulate(start, end, ProgrammeDrafts.withGuards(IN_FORCE, BigDecimal.ZERO, 4,
                Duration.ofDays(7), null));
        assertThat(fourAWeek.draft().byTrigger().get("review-request").fired()).isEqualTo(2L * ORDERS);
        assertThat(fourAWeek.draft().byTrigger().get("review-request").capped()).isZero();
        CampaignSimulation sixDays = simulate(start, end, ProgrammeDrafts.withGuards(IN_FORCE, BigDecimal.ZERO, 3,
                Duration.ofDays(6), null));
        assertThat(sixDays.draft()).isEqualTo(sixDays.inForce());
        // One per 9 days reaches back past the gaps. The invitations (at the start) fire. Spaced: request 0 (7 days
        // 1 hour on) counts its invitation: capped; request 1 (8 days later) counts only the capped request 0:
        // fires; request 2 counts request 1: capped; request 3 fires. Dense: all four count the invitation: capped.
        CampaignSimulation onePerNineDays = simulate(start, end, ProgrammeDrafts.withGuards(IN_FORCE,
                BigDecimal.ZERO, 1, Duration.ofDays(9), null));
        assertThat(onePerNineDays.draft().byTrigger().get("review-request"))
                .isEqualTo(new TriggerFigures(2, 0, 2L * ORDERS - 2, 0, 0, 0, 0, Map.of()));
        assertThat(onePerNineDays.draft().byTrigger().get("referral-invitation").fired()).isEqualTo(3);
    }

    // ---- helpers ----

    /** A trigger as logged. */
    private record Logged(String outcome, Instant businessTime, Instant firedAt) {
    }

    /** The customer's triggers of a type in business-time order. */
    private List<Logged> rows(String type, String customer) {
        List<Logged> logged = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                        SELECT outcome, business_time, fired_at FROM trigger_log
                        WHERE trigger_type = $1 AND customer_id = $2 ORDER BY business_time""")
                .execute(Tuple.of(type, customer)).await().atMost(Duration.ofSeconds(10))) {
            logged.add(new Logged(row.getString("outcome"), row.getOffsetDateTime("business_time").toInstant(),
                    row.getOffsetDateTime("fired_at").toInstant()));
        }
        return logged;
    }

    private long count(String sql, List<String> customers) {
        return pool.preparedQuery(sql).execute(Tuple.of(customers.toArray(String[]::new))).await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private boolean known(String customer) {
        return count("SELECT count(*) FROM campaign_customer WHERE profile_known AND customer_id = ANY($1)",
                List.of(customer)) == 1;
    }

    private void publishProgramme() {
        String programme = OwnProgramme.PROGRAMME;
        Instant effective = Instant.now().minus(Duration.ofDays(30));
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(new ProgrammeVersion(1,
                        effective, effective.minus(Duration.ofDays(1)), "admin", "test", null, IN_FORCE)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 1);
    }

    private static CampaignSimulation simulate(Instant from, Instant to, ProgrammeDocument draft) {
        try {
            String body = ContractJson.mapper().writeValueAsString(new SimulationRequest(from, to, draft, 0));
            String answer = Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")))
                    .contentType(ContentType.JSON).body(body).post("/programme-simulations")
                    .then().statusCode(200).extract().asString();
            return ContractJson.mapper().readValue(answer, CampaignSimulation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
