package dev.retention.campaigns;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 32's proof for campaign-service, on the real broker and database: a trigger's voucher value changed at run
 * time (a {@code programme.published} record on {@code retention.programme}) shows in the next voucher, while a
 * voucher for an event before the change keeps the old value however late it is processed; and the programme's
 * monthly voucher budget suppresses the voucher that would exceed it.
 */
@QuarkusTest
@TestProfile(CampaignProgrammeChangeTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CampaignProgrammeChangeTest {

    /** The broker is shared by the test JVM: a programme of this class's own keeps its versions from the others. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "campaign-programme-change-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    /** Every test publishes the same versions (a programme's versions are immutable), timed from this moment. */
    private static final Instant BASE = Instant.now();
    /** Version 2 raises the apology voucher from 10.00 to 25.00 EUR. */
    private static final Instant RAISED = BASE.minus(Duration.ofHours(1));
    /** Version 3 adds a monthly voucher budget of 40.00 EUR; it takes effect in a later month than the others. */
    private static final Instant BUDGETED = BASE.plus(Duration.ofDays(35));

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    ProgrammeVersions versions;
    @Inject
    MeterRegistry registry;
    @Inject
    Pool pool;

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

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aVoucherValueChangedAtRunTimeShowsInTheNextVoucherAndAnEarlierEventKeepsTheOldValue() {
        publishProgramme();
        String before = newCustomer();
        String after = newCustomer();
        String beforeOrder = placeOrder(before, RAISED.minus(Duration.ofDays(2)));
        String afterOrder = placeOrder(after, RAISED.minus(Duration.ofDays(2)));

        // Both are processed now, after version 2 took effect; one happened before it.
        delay(before, beforeOrder, RAISED.minus(Duration.ofMinutes(10)));
        delay(after, afterOrder, RAISED.plus(Duration.ofMinutes(10)));

        assertThat(awaitApology(before).voucher().value()).isEqualTo(Money.of("10.00", "EUR"));
        TriggerFired raised = awaitApology(after);
        assertThat(raised.voucher().value()).isEqualTo(Money.of("25.00", "EUR"));
        assertThat(raised.voucher().freeShipping()).isTrue();
        assertThat(Api.admin().get("/customers/{id}/vouchers", after).then().statusCode(200).extract().jsonPath()
                .getString("[0].value.amount")).isEqualTo("25.00");
    }

    @Test
    void aVoucherThatWouldExceedTheMonthlyBudgetIsSuppressedRecordedAndCounted() {
        publishProgramme();
        clock.advance(Duration.ofDays(40)); // version 3 in force, in a month nothing has been issued in yet
        Instant now = clock.instant();
        double suppressedBefore = suppressed();
        String first = newCustomer();
        String second = newCustomer();
        String firstOrder = placeOrder(first, now.minus(Duration.ofDays(1)));
        String secondOrder = placeOrder(second, now.minus(Duration.ofDays(1)));

        delay(first, firstOrder, now);
        awaitOutcome(first);
        delay(second, secondOrder, now);

        // 25.00 fits into 40.00; another 25.00 would not.
        assertThat(awaitOutcome(first)).isEqualTo("FIRED");
        assertThat(awaitOutcome(second)).isEqualTo("MONTHLY_BUDGET_SPENT");
        assertThat(awaitApology(first).voucher().value()).isEqualTo(Money.of("25.00", "EUR"));
        assertThat(triggers(second)).isEmpty();
        assertThat(Api.admin().get("/customers/{id}/vouchers", second).then().statusCode(200).extract().jsonPath()
                .getList("code")).isEmpty();
        assertThat(suppressed()).isEqualTo(suppressedBefore + 1);
    }

    private void publishProgramme() {
        ProgrammeDocument initial = withoutHoldout(ProgrammeJson.initial(), null);
        ProgrammeDocument raised = withApologyValue(initial, "25.00");
        ProgrammeDocument budgeted = withoutHoldout(raised, new BigDecimal("40.00"));
        String programme = OwnProgramme.PROGRAMME;
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(
                        version(1, BASE.minus(Duration.ofDays(30)), initial),
                        version(2, RAISED, raised),
                        version(3, BUDGETED, budgeted)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 3);
    }

    private static ProgrammeVersion version(int number, Instant effectiveFrom, ProgrammeDocument document) {
        return new ProgrammeVersion(number, effectiveFrom, BASE.minus(Duration.ofDays(31)), "admin", "test", null,
                document);
    }

    /** No holdout group: every trigger of these tests is decided by the guard under test only. */
    private static ProgrammeDocument withoutHoldout(ProgrammeDocument d, BigDecimal budget) {
        ProgrammeDocument.Guards g = d.guards();
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(),
                new ProgrammeDocument.Guards(BigDecimal.ZERO, g.frequencyCap(), g.frequencyCapWindow(), budget));
    }

    private static ProgrammeDocument withApologyValue(ProgrammeDocument d, String eur) {
        ProgrammeDocument.Triggers t = d.triggers();
        ProgrammeDocument.Offer old = t.delayApology().voucher();
        ProgrammeDocument.Offer voucher = new ProgrammeDocument.Offer(Map.of("EUR", new BigDecimal(eur)),
                null, null, old.freeShipping(), old.minimumOrderValue(), old.validFor());
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), new ProgrammeDocument.Triggers(
                new ProgrammeDocument.DelayApology(true, t.delayApology().grace(), voucher), t.birthday(),
                t.winBack(), t.reviewRequest(), t.reviewThanks(), t.referralInvitation(), t.tierUp(),
                t.downgradeWarning(), t.pointsExpiring()), d.guards());
    }

    /** Places an order and waits until campaign-service knows it (shipments come on another topic). */
    private String placeOrder(String customer, Instant placedAt) {
        var order = TestEvents.orderPlaced(customer).placedAt(placedAt).build();
        kafka.publish(Topics.ORDERS, order);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                pool.preparedQuery("SELECT count(*) FROM campaign_order WHERE order_id = $1")
                        .execute(Tuple.of(order.data().orderId())).await().atMost(Duration.ofSeconds(10))
                        .iterator().next().getLong(0) == 1);
        return order.data().orderId();
    }

    private static void delay(String customer, String orderId, Instant at) {
        kafka.publish(Topics.SHIPMENTS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE, at,
                customer, new ShipmentDelayed("shp-" + orderId, orderId, LocalDate.of(2030, 1, 1), "storm")));
    }

    private static String awaitOutcome(String customer) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                outcome(customer) != null);
        return outcome(customer);
    }

    private static String outcome(String customer) {
        List<Map<String, Object>> logged = Api.admin().get("/customers/{id}/triggers", customer).then()
                .statusCode(200).extract().jsonPath().getList("$");
        return logged.stream().filter(t -> "delay-apology".equals(t.get("triggerType")))
                .map(t -> (String) t.get("outcome")).findFirst().orElse(null);
    }

    private double suppressed() {
        return registry.find("retention.triggers").tag("outcome", "MONTHLY_BUDGET_SPENT").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static TriggerFired awaitApology(String customer) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> triggers(customer).stream().anyMatch(t -> t.triggerType() == TriggerType.DELAY_APOLOGY));
        return triggers(customer).stream().filter(t -> t.triggerType() == TriggerType.DELAY_APOLOGY).findFirst()
                .orElseThrow();
    }

    private static List<TriggerFired> triggers(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(),
                        Map.of())).event().data())
                .filter(TriggerFired.class::isInstance).map(TriggerFired.class::cast) // not trigger.held-out etc.
                .filter(t -> t.triggerType() == TriggerType.DELAY_APOLOGY)
                .toList();
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
