package dev.retention.insights;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.eventing.EventBatchProcessor;
import dev.retention.eventing.InboundRecord;
import dev.retention.insights.application.ApplyInsightEvents;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's gauges show the measures of a small shop whose figures are known, dated relative to today: the
 * win-back uplift with its 95 % interval, the retention rate of the last full month and the outstanding points with
 * their liability; a trigger type with too few exposures shows NaN rather than a number. The gauges follow the
 * aggregates on their own refresh, with no request to the API.
 */
@QuarkusTest
@TestProfile(InsightsGaugesTest.QuickGauges.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class InsightsGaugesTest {

    /**
     * Gauges refreshed every second, a minimum sample small enough for a hand-sized shop, and a channel on a topic of
     * its own: the events reach the aggregates through the processor here, and the other tests' records on the shared
     * broker's topics stay out of these figures.
     */
    public static class QuickGauges implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.insights.gauges.refresh-every", "1s",
                    "retention.insights.minimum-exposures-per-arm", "20",
                    "mp.messaging.incoming.insight-events.topics", "insights-gauges-test-unused");
        }
    }

    private static final YearMonth NOW = YearMonth.now(ZoneOffset.UTC);
    /** The last full month, whose retention rate the gauge shows. */
    private static final YearMonth LAST = NOW.minusMonths(1);

    @Inject
    EventBatchProcessor processor;
    @Inject
    ApplyInsightEvents applyEvents;
    @Inject
    MeterRegistry registry;

    private final List<InboundRecord> records = new ArrayList<>();
    private int sequence;

    @Test
    void theGaugesShowTheShopsUpliftRetentionAndLiability() {
        // Before any event: nothing known, NaN where a rate has no denominator.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gauge("retention.insights.points.outstanding")).isZero());
        assertThat(gauge("retention.insights.retention.rate")).isNaN();

        // Win-back, two months ago: 20 of 40 treated and 10 of 40 held-out customers order within five days.
        Instant exposed = LAST.minusMonths(1).atDay(3).atStartOfDay().toInstant(ZoneOffset.UTC);
        exposures(TriggerType.WIN_BACK, "wb-t", false, 40, 20, exposed);
        exposures(TriggerType.WIN_BACK, "wb-h", true, 40, 10, exposed);
        // The birthday offer, 5 per arm: below the minimum of 20.
        exposures(TriggerType.BIRTHDAY_OFFER, "bd-t", false, 5, 2, exposed);
        exposures(TriggerType.BIRTHDAY_OFFER, "bd-h", true, 5, 2, exposed);
        // Retention of the last full month: Ada ordered 12 months before it (active at its start, not at its end),
        // Bo 4 months before it and in it, Cy first in it. The 34 converted customers above ordered the month before.
        order("ada", LAST.minusMonths(12).atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC));
        order("bo", LAST.minusMonths(4).atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC));
        order("bo", LAST.atDay(10).atStartOfDay().toInstant(ZoneOffset.UTC));
        order("cy", LAST.atDay(12).atStartOfDay().toInstant(ZoneOffset.UTC));
        // Points: Pia earns 300 and redeems 100, Per has 200 pending: 400 outstanding.
        Instant earned = LAST.atDay(5).atStartOfDay().toInstant(ZoneOffset.UTC);
        points("pia", PointsChanged.Kind.EARNED, 300, 300, 0, earned);
        points("pia", PointsChanged.Kind.REDEEMED, -100, 200, 0, earned.plus(Duration.ofDays(2)));
        points("per", PointsChanged.Kind.EARNED_PENDING, 200, 0, 200, earned);
        processor.process(records, applyEvents).await().atMost(Duration.ofSeconds(60));

        double p1 = 20 / 40.0;
        double p0 = 10 / 40.0;
        double margin = 1.959963984540054 * Math.sqrt(p1 * (1 - p1) / 40 + p0 * (1 - p0) / 40);
        // Customers active at the last month's start: 34 converted, Ada, Bo; at its end: 34, Bo, Cy; new: Cy.
        double retentionRate = (36 - 1) / 36.0;
        ProgrammeDocument builtIn = ProgrammeJson.initial();
        BigDecimal pointValue = builtIn.currencies().get(builtIn.reportingCurrency()).pointValue();
        double liability = pointValue.multiply(BigDecimal.valueOf(400)).setScale(2, RoundingMode.HALF_EVEN)
                .doubleValue();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(uplift("win-back", "estimate")).isCloseTo(0.25, within(1e-9));
            assertThat(uplift("win-back", "low")).isCloseTo(0.25 - margin, within(1e-9));
            assertThat(uplift("win-back", "high")).isCloseTo(0.25 + margin, within(1e-9));
            assertThat(gauge("retention.insights.retention.rate")).isCloseTo(retentionRate, within(1e-9));
            assertThat(gauge("retention.insights.points.outstanding")).isEqualTo(400);
            assertThat(gauge("retention.insights.points.liability")).isCloseTo(liability, within(1e-9));
        });
        assertThat(uplift("birthday-offer", "estimate")).as("not enough data yet").isNaN();
        assertThat(uplift("birthday-offer", "low")).isNaN();

        // The same figures the API gives an analyst.
        double answered = Api.analyst().get("/insights/retention?from=" + LAST + "&to=" + LAST).then().statusCode(200)
                .extract().jsonPath().getDouble("months[0].retentionRate");
        assertThat(gauge("retention.insights.retention.rate")).isCloseTo(answered, within(1e-6));
    }

    private void exposures(TriggerType type, String prefix, boolean heldOut, int customers, int converting,
                           Instant at) {
        for (int i = 0; i < customers; i++) {
            String customer = prefix + "-" + i;
            String triggerId = "trigger-" + customer;
            add(Topics.RETENTION_TRIGGERS, customer, at, heldOut
                    ? new TriggerHeldOut(triggerId, type, null, "test", "source-" + customer, null, at)
                    : new TriggerFired(triggerId, type, null, "test", "source-" + customer, null, null, Map.of(), at));
            if (i < converting) {
                order(customer, at.plus(Duration.ofDays(5)));
            }
        }
    }

    private void order(String customer, Instant placedAt) {
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).orderId("o-" + customer + "-" + sequence++)
                .placedAt(placedAt).line("sku-1", 1, "40.00").build();
        records.add(record(Topics.ORDERS, order));
    }

    private void points(String customer, PointsChanged.Kind kind, long points, long available, long pending,
                        Instant at) {
        String entryId = "entry-" + sequence++;
        add(Topics.LOYALTY_POINTS, customer, at, new PointsChanged(entryId, kind, points, available, pending, 0, null,
                "test", "cause-" + entryId, at, null));
    }

    private void add(String topic, String customer, Instant at, EventData data) {
        records.add(record(topic, EventEnvelope.of("event-" + sequence++, "/test/shop", at, customer, data)));
    }

    private InboundRecord record(String topic, EventEnvelope<?> event) {
        return new InboundRecord(topic, 0, records.size(), event.time().toEpochMilli(), event.subject(),
                EventEncoder.toStructuredJson(event), List.of());
    }

    private double uplift(String triggerType, String bound) {
        Gauge gauge = registry.find("retention.insights.uplift.conversion").tag("trigger_type", triggerType)
                .tag("bound", bound).gauge();
        assertThat(gauge).as("uplift gauge of %s (%s)", triggerType, bound).isNotNull();
        return gauge.value();
    }

    private double gauge(String name) {
        Gauge gauge = registry.find(name).gauge();
        assertThat(gauge).as(name).isNotNull();
        return gauge.value();
    }
}
