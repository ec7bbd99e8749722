package dev.retention.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.retention.campaigns.domain.PastTrigger;
import dev.retention.campaigns.domain.TriggerGuards;
import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CampaignFigures;
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
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static dev.retention.eventing.SqlValues.timestamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue 32's simulation for campaign-service on the real broker and database: triggers produced through the real
 * topics (first orders, late shipments, birthdays) are simulated; the side in force equals the trigger log and the
 * vouchers as stored, a draft equal to the version in force changes nothing, and drafts that change a voucher, a
 * switch or the holdout share give the figures this test computes. Nothing is written. The held-out half's triggers
 * are published as {@code trigger.held-out}, once each: the control arm of issue 35's uplift measurement.
 */
@QuarkusTest
@TestProfile(CampaignSimulationTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignSimulationTest {

    /** A programme of this class's own: its versions stay apart from the other tests' on the shared broker. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "campaign-simulation-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    private static final String SALT = "retention-2026";
    /** Half the customers held out, so that the holdout figures are not empty. */
    private static final BigDecimal HOLDOUT = new BigDecimal("0.5");
    private static final ProgrammeDocument IN_FORCE = ProgrammeDrafts.withHoldout(ProgrammeJson.initial(), HOLDOUT);
    private static final int CUSTOMERS = 6;

    private static KafkaTestClient kafka;
    /** The period of business times holding every trigger this test produced through the topics. */
    private static Instant from;
    private static Instant to;

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
    @Order(1)
    void theSideInForceIsTheTriggerLogAndTheVouchersAsStoredAndTheSameDraftChangesNothing() {
        produceTriggers();

        CampaignSimulation simulation = simulate(IN_FORCE);

        assertThat(simulation.triggers()).isEqualTo(3L * CUSTOMERS);
        assertThat(normalised(simulation.inForce())).isEqualTo(stored());
        assertThat(simulation.inForce().byTrigger().get("referral-invitation").heldOut()).isEqualTo(CUSTOMERS / 2);
        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulation.customersAffected()).isZero();
        assertThat(simulation.topChanges()).isEmpty();
    }

    @Test
    @Order(2)
    void aDraftWithAnotherApologyValueGivesThatValueForEveryApology() {
        CampaignSimulation simulation = simulate(ProgrammeDrafts.withApologyValue(IN_FORCE, "25.00"));

        TriggerFigures apologies = simulation.draft().byTrigger().get("delay-apology");
        assertThat(apologies.fired()).isEqualTo(CUSTOMERS);
        assertThat(apologies.faceValue()).containsExactly(Map.entry("EUR",
                new BigDecimal("25.00").multiply(BigDecimal.valueOf(CUSTOMERS))));
        assertThat(simulation.inForce().byTrigger().get("delay-apology").faceValue()).containsExactly(Map.entry("EUR",
                new BigDecimal("10.00").multiply(BigDecimal.valueOf(CUSTOMERS))));
        assertThat(simulation.customersAffected()).isEqualTo(CUSTOMERS);
        assertThat(simulation.topChanges()).allSatisfy(change -> {
            assertThat(change.faceValueDraft().subtract(change.faceValueInForce())).isEqualByComparingTo("15.00");
            assertThat(change.vouchersDraft()).isEqualTo(change.vouchersInForce());
        });
    }

    @Test
    @Order(3)
    void aDraftThatSwitchesTheApologyOffFiresNone() {
        CampaignSimulation simulation = simulate(ProgrammeDrafts.withApologyEnabled(IN_FORCE, false));

        assertThat(simulation.draft().byTrigger().get("delay-apology").fired()).isZero();
        assertThat(simulation.draft().byTrigger().get("delay-apology").vouchers()).isZero();
        assertThat(simulation.draft().byTrigger().get("birthday-offer"))
                .isEqualTo(simulation.inForce().byTrigger().get("birthday-offer"));
    }

    @Test
    @Order(4)
    void aDraftWithoutHoldoutHoldsNoOneOut() {
        CampaignSimulation simulation = simulate(ProgrammeDrafts.withHoldout(IN_FORCE, BigDecimal.ZERO));

        assertThat(simulation.draft().byTrigger().values()).allSatisfy(f -> assertThat(f.heldOut()).isZero());
        assertThat(simulation.draft().byTrigger().get("birthday-offer").fired()).isEqualTo(CUSTOMERS);
        assertThat(simulation.draft().byTrigger().get("referral-invitation").fired()).isEqualTo(CUSTOMERS);
        // The held-out half now gets its birthday voucher: 15 % off 20.00 EUR counts 3.00 EUR each.
        assertThat(simulation.topChanges()).hasSize(CUSTOMERS / 2).allSatisfy(change ->
                assertThat(change.faceValueDraft()).isEqualByComparingTo("13.00"));
    }

    @Test
    @Order(5)
    void simulatingWritesNothing() {
        List<Object> before = tableState();

        simulate(ProgrammeDrafts.withHoldout(IN_FORCE, BigDecimal.ZERO));

        assertThat(tableState()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void onlyMarketersAndAdminsSimulateAndBadInputNamesTheField() throws JsonProcessingException {
        String body = body(new SimulationRequest(from, to, IN_FORCE, 0));
        Api.storefront("c-1").contentType(ContentType.JSON).body(body).post("/programme-simulations")
                .then().statusCode(403);
        Api.support().contentType(ContentType.JSON).body(body).post("/programme-simulations").then().statusCode(403);
        Api.admin().contentType(ContentType.JSON).body(body).post("/programme-simulations").then().statusCode(200);

        var backwards = marketer().contentType(ContentType.JSON)
                .body(body(new SimulationRequest(to, from, IN_FORCE, 0))).post("/programme-simulations")
                .then().statusCode(400).extract().jsonPath();
        assertThat(backwards.getString("violations[0].field")).isEqualTo("to");
        var empty = marketer().contentType(ContentType.JSON).body(body(new SimulationRequest(from, from, IN_FORCE, 0)))
                .post("/programme-simulations").then().statusCode(400).extract().jsonPath();
        assertThat(empty.getString("violations[0].field")).isEqualTo("to");
        var noDraft = marketer().contentType(ContentType.JSON).body(body(new SimulationRequest(from, to, null, 0)))
                .post("/programme-simulations").then().statusCode(400).extract().jsonPath();
        assertThat(noDraft.getString("violations[0].field")).isEqualTo("draft");
        var refused = marketer().contentType(ContentType.JSON)
                .body(body(new SimulationRequest(from, to, ProgrammeDrafts.withHoldout(IN_FORCE, new BigDecimal("2")),
                        0))).post("/programme-simulations").then().statusCode(422).extract().jsonPath();
        assertThat(refused.getString("violations[0].field")).isEqualTo("draft.guards.holdoutShare");
    }

    @Test
    @Order(7)
    void aPeriodOfGeneratedTriggersIsStreamedAtThousandsOfRowsASecond() throws JsonProcessingException {
        int rows = 200_000;
        Instant start = Instant.parse("2090-03-01T00:00:00Z");
        pool.preparedQuery("""
                INSERT INTO trigger_log (trigger_id, trigger_type, dedupe_key, customer_id, marketing, outcome, reason,
                    source_event_id, order_id, voucher_code, fired_at, business_time, voucher_currency, batch_position)
                SELECT gen_random_uuid(), CASE WHEN i % 2 = 0 THEN 'delay-apology' ELSE 'referral-invitation' END,
                       'perf-' || i, 'perf-c' || (i % 20000), i % 2 = 1, 'FIRED', 'generated', 'e-' || i, 'o-' || i,
                       CASE WHEN i % 2 = 0 THEN 'PERF-' || i END, $1 + i * interval '10 seconds',
                       $1 + i * interval '10 seconds', CASE WHEN i % 2 = 0 THEN 'EUR' END, 0
                FROM generate_series(1, $2) i""").execute(Tuple.of(timestamp(start), rows))
                .await().atMost(Duration.ofMinutes(2));
        pool.query("""
                INSERT INTO voucher (code, customer_id, trigger_id, value, currency, free_shipping, issued_at, expires_at)
                SELECT voucher_code, customer_id, trigger_id, 10, 'EUR', true, fired_at, fired_at + interval '30 days'
                FROM trigger_log WHERE voucher_code LIKE 'PERF-%'""").execute().await().atMost(Duration.ofMinutes(2));

        long started = System.nanoTime();
        CampaignSimulation simulation = simulate(start, start.plus(Duration.ofDays(365)), IN_FORCE);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(simulation.triggers()).isEqualTo(rows);
        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        System.out.printf("campaign simulation: %d trigger_log rows in %.2f s = %.0f rows/s%n", rows, seconds,
                rows / seconds);
    }

    /**
     * Last, so that the segment offer it adds changes no figure above: every trigger of the held-out half (referral
     * invitation, birthday offer, and a segment offer for its campaign) is published once as held out, never as
     * fired, and neither a redelivered nor a replayed first order nor a second run of the jobs publishes it again.
     */
    @Test
    @Order(8)
    void everyHeldOutTriggerIsPublishedOnceAsHeldOutAndARedeliveryPublishesNoSecond() {
        String campaignId = scheduleSegmentOfferToEveryone();
        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));
        List<Row> heldOutLog = heldOutLog();
        assertThat(heldOutLog).as("three marketing triggers for each held-out customer").hasSize(3 * (CUSTOMERS / 2));
        awaitOutboxRelayed();

        Map<String, EventEnvelope<?>> published = heldOutEvents();
        assertThat(published).hasSize(heldOutLog.size());
        for (Row logged : heldOutLog) {
            String triggerId = logged.getUUID("trigger_id").toString();
            EventEnvelope<?> event = published.get(triggerId);
            assertThat(event).as("trigger.held-out of %s", triggerId).isNotNull();
            // The log keeps microseconds; the event carries the clock's instant as decided.
            assertThat(event.time()).isCloseTo(logged.getOffsetDateTime("fired_at").toInstant(),
                    within(1, ChronoUnit.MICROS));
            assertThat(event).isEqualTo(TestEvents.triggerHeldOut(logged.getString("customer_id"),
                            PastTrigger.type(logged.getString("trigger_type")))
                    .triggerId(triggerId).campaign(logged.getString("campaign_id"))
                    .reason(logged.getString("reason")).sourceEventId(logged.getString("source_event_id"))
                    .orderId(logged.getString("order_id")).heldOutAt(event.time()).build());
        }
        assertThat(published.values()).extracting(e -> e.dataAs(TriggerHeldOut.class).campaignId())
                .filteredOn(campaignId::equals).as("the segment offer's campaign").hasSize(CUSTOMERS / 2);
        assertThat(published.values()).extracting(e -> e.dataAs(TriggerHeldOut.class).triggerType())
                .containsOnly(TriggerType.REFERRAL_INVITATION, TriggerType.BIRTHDAY_OFFER, TriggerType.SEGMENT_OFFER);
        assertThat(firedTriggerIds()).doesNotContainAnyElementsOf(published.keySet());

        String customer = published.get(heldOutLog.get(0).getUUID("trigger_id").toString()).subject();
        redeliverOrders(customer);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId("ord-" + customer).build());
        awaitOrdersApplied(customer);
        jobs.birthdays().await().atMost(Duration.ofSeconds(30));
        jobs.segmentOffers().await().atMost(Duration.ofSeconds(30));
        awaitOutboxRelayed();

        assertThat(heldOutLog()).hasSameSizeAs(heldOutLog);
        assertThat(heldOutRecords()).as("no second record, not even under the same id").isEqualTo(heldOutLog.size());
        assertThat(heldOutEvents()).isEqualTo(published);
    }

    // ---- trigger.held-out ----

    /** A segment offer to every customer (the half in the holdout group is held out of it), running now. */
    private static String scheduleSegmentOfferToEveryone() {
        Instant now = Instant.now();
        Response created = Api.admin().contentType(ContentType.JSON).body(Map.of(
                "campaignId", "holdout-" + UUID.randomUUID().toString().substring(0, 8),
                "name", "Tote bags for everyone",
                "startsAt", now.minusSeconds(3600).toString(), "endsAt", now.plus(Duration.ofDays(3)).toString(),
                "segment", Map.of(),
                "offer", Map.of("freeGiftSku", "tote-bag", "validFor", "P7D"))).post("/campaigns");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        return created.jsonPath().getString("campaignId");
    }

    private List<Row> heldOutLog() {
        List<Row> rows = new ArrayList<>();
        pool.query("""
                SELECT trigger_id, trigger_type, customer_id, campaign_id, reason, source_event_id, order_id, fired_at
                FROM trigger_log WHERE outcome = 'HELD_OUT' AND customer_id LIKE 'c-%'""")
                .execute().await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        return rows;
    }

    /** Until the relay has published everything committed so far (it deletes a batch once the broker has it). */
    private void awaitOutboxRelayed() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> pool
                .query("SELECT (SELECT count(*) FROM eventing_outbox_batch) + (SELECT count(*) FROM eventing_outbox)")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 0);
    }

    /** The customer's orders as they are on the topic, sent again: a redelivery, the same ids. */
    private static void redeliverOrders(String customer) {
        for (ConsumerRecord<String, byte[]> order : kafka.readAll(Topics.ORDERS)) {
            if (customer.equals(order.key())) {
                Map<String, byte[]> headers = new HashMap<>();
                for (Header header : order.headers()) {
                    headers.put(header.key(), header.value());
                }
                kafka.send(Topics.ORDERS, order.key(), order.value(), headers);
            }
        }
    }

    /**
     * Until campaign-service has applied every order published for the customer so far: a later order (same key, same
     * partition, so applied after them) has its row.
     */
    private void awaitOrdersApplied(String customer) {
        var marker = TestEvents.orderPlaced(customer).build();
        kafka.publish(Topics.ORDERS, marker);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> pool
                .preparedQuery("SELECT count(*) FROM campaign_order WHERE order_id = $1")
                .execute(Tuple.of(marker.data().orderId())).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0) == 1);
    }

    private static List<EventEnvelope<?>> triggerEvents() {
        EventDecoder decoder = new EventDecoder();
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readAll(Topics.RETENTION_TRIGGERS)) {
            Map<String, byte[]> headers = new HashMap<>();
            r.headers().forEach(header -> headers.put(header.key(), header.value()));
            DecodeResult result = decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(), headers);
            assertThat(result).as("what campaign-service publishes is valid").isInstanceOf(DecodeResult.Decoded.class);
            events.add(((DecodeResult.Decoded) result).event());
        }
        return events;
    }

    /** By trigger id; a second record of a trigger (whatever its id) fails here. */
    private static Map<String, EventEnvelope<?>> heldOutEvents() {
        Map<String, EventEnvelope<?>> byTrigger = new HashMap<>();
        for (EventEnvelope<?> event : triggerEvents()) {
            if (event.data() instanceof TriggerHeldOut heldOut) {
                assertThat(byTrigger.put(heldOut.triggerId(), event)).as("held out once: %s", heldOut.triggerId())
                        .isNull();
            }
        }
        return byTrigger;
    }

    private static long heldOutRecords() {
        return triggerEvents().stream().filter(e -> e.data() instanceof TriggerHeldOut).count();
    }

    private static List<String> firedTriggerIds() {
        return triggerEvents().stream().filter(e -> e.data() instanceof TriggerFired)
                .map(e -> e.dataAs(TriggerFired.class).triggerId()).toList();
    }

    // ---- triggers through the real topics ----

    /** Per customer: a first order (referral invitation), a late shipment (apology), a birthday soon (offer). */
    private void produceTriggers() {
        publishProgramme();
        LocalDate birthday = LocalDate.now(ZoneOffset.UTC).plusDays(5).minusYears(30);
        if (birthday.getMonthValue() == 2 && birthday.getDayOfMonth() == 29) {
            birthday = birthday.minusDays(1);
        }
        List<String> customers = customers();
        for (String customer : customers) {
            kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, birthday));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream().allMatch(this::known));
        for (String customer : customers) {
            String orderId = "ord-" + customer;
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(orderId).build());
            kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelayed(customer, orderId,
                    LocalDate.now(ZoneOffset.UTC).plusDays(3)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> logged() == 2L * CUSTOMERS);
        jobs.birthdays().await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> logged() == 3L * CUSTOMERS);
        // The birthday offers' business time is their send time, days before the orders' (the database is this
        // class's own, so the period holds only this test's triggers).
        Row times = pool.query("SELECT min(business_time) AS first, max(business_time) AS last FROM trigger_log")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        from = times.getOffsetDateTime("first").toInstant();
        to = times.getOffsetDateTime("last").toInstant().plusSeconds(1);
    }

    /** Half in the holdout group of the version in force, half not, so that every run has both. */
    private static List<String> customers() {
        TriggerGuards guards = new TriggerGuards(HOLDOUT, SALT, 3, Duration.ofDays(7));
        List<String> held = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        while (held.size() < CUSTOMERS / 2 || sent.size() < CUSTOMERS / 2) {
            String customer = "c-" + UUID.randomUUID();
            List<String> group = guards.inHoldout(customer) ? held : sent;
            if (group.size() < CUSTOMERS / 2) {
                group.add(customer);
            }
        }
        held.addAll(sent);
        return held;
    }

    private void publishProgramme() {
        String programme = OwnProgramme.PROGRAMME;
        Instant effective = Instant.now().minus(Duration.ofDays(30));
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(new ProgrammeVersion(1,
                        effective, effective.minus(Duration.ofDays(1)), "admin", "test", null, IN_FORCE)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 1);
    }

    private boolean known(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM campaign_customer WHERE customer_id = $1 AND profile_known")
                .execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1;
    }

    private long logged() {
        return pool.query("SELECT count(*) FROM trigger_log WHERE customer_id LIKE 'c-%'").execute().await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    // ---- the stored figures, counted in SQL ----

    private CampaignFigures stored() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> amounts = new TreeMap<>();
        for (Row row : pool.preparedQuery("""
                SELECT t.trigger_type, t.outcome, count(*) AS triggers, count(v.code) AS vouchers,
                       count(v.percent_off) AS percentage
                FROM trigger_log t LEFT JOIN voucher v ON v.code = t.voucher_code
                WHERE t.business_time >= $1 AND t.business_time < $2 GROUP BY 1, 2""")
                .execute(Tuple.of(timestamp(from), timestamp(to))).await().atMost(Duration.ofSeconds(10))) {
            long[] c = counts.computeIfAbsent(row.getString("trigger_type"), type -> new long[7]);
            long n = row.getLong("triggers");
            switch (row.getString("outcome")) {
                case "FIRED" -> c[0] += n;
                case "HELD_OUT" -> c[1] += n;
                case "CAPPED" -> c[2] += n;
                case "NO_CONSENT" -> c[3] += n;
                default -> c[4] += n;
            }
            c[5] += row.getLong("vouchers");
            c[6] += row.getLong("percentage");
            amounts.computeIfAbsent(row.getString("trigger_type"), type -> new TreeMap<>());
        }
        for (Row row : pool.preparedQuery("""
                SELECT t.trigger_type, v.currency, sum(v.value) AS amount FROM voucher v
                JOIN trigger_log t ON t.voucher_code = v.code
                WHERE t.business_time >= $1 AND t.business_time < $2 AND v.value IS NOT NULL GROUP BY 1, 2""")
                .execute(Tuple.of(timestamp(from), timestamp(to))).await().atMost(Duration.ofSeconds(10))) {
            amounts.get(row.getString("trigger_type")).put(row.getString("currency"),
                    row.getBigDecimal("amount").stripTrailingZeros());
        }
        Map<String, TriggerFigures> figures = new TreeMap<>();
        counts.forEach((type, c) -> figures.put(type,
                new TriggerFigures(c[0], c[1], c[2], c[3], c[4], c[5], c[6], amounts.get(type))));
        return new CampaignFigures(figures);
    }

    private static CampaignFigures normalised(CampaignFigures figures) {
        Map<String, TriggerFigures> out = new TreeMap<>();
        figures.byTrigger().forEach((type, f) -> {
            Map<String, BigDecimal> amounts = new TreeMap<>();
            f.faceValue().forEach((currency, amount) -> amounts.put(currency, amount.stripTrailingZeros()));
            out.put(type, new TriggerFigures(f.fired(), f.heldOut(), f.capped(), f.noConsent(), f.overBudget(),
                    f.vouchers(), f.percentageVouchers(), amounts));
        });
        return new CampaignFigures(out);
    }

    /** Row counts and the latest change of every table a simulation could touch. */
    private List<Object> tableState() {
        Row row = pool.query("""
                SELECT (SELECT count(*) FROM trigger_log), (SELECT max(fired_at) FROM trigger_log),
                       (SELECT count(*) FROM voucher), (SELECT coalesce(sum(spent), 0) FROM voucher_budget_month),
                       (SELECT count(*) FROM voucher_budget_month), (SELECT count(*) FROM campaign_customer)""").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next();
        List<Object> state = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            state.add(String.valueOf(row.getValue(i)));
        }
        return state;
    }

    // ---- the endpoint ----

    private static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }

    private static String body(SimulationRequest request) throws JsonProcessingException {
        return ContractJson.mapper().writeValueAsString(request);
    }

    private static CampaignSimulation simulate(ProgrammeDocument draft) {
        return simulate(from, to, draft);
    }

    private static CampaignSimulation simulate(Instant from, Instant to, ProgrammeDocument draft) {
        try {
            String answer = marketer().contentType(ContentType.JSON)
                    .body(body(new SimulationRequest(from, to, draft, 0))).post("/programme-simulations")
                    .then().statusCode(200).extract().asString();
            return ContractJson.mapper().readValue(answer, CampaignSimulation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
