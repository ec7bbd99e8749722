package dev.retention.insights;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.InsightsSnapshot;
import dev.retention.insights.application.PublishDailySnapshots;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TierChanged;
import dev.retention.eventing.EventBatchProcessor;
import dev.retention.eventing.InboundRecord;
import dev.retention.insights.application.ApplyInsightEvents;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue 35's proof, on the real broker and database: a generated shop with a known truth goes through the topics; the
 * uplift's 95 % interval contains the true 5 points and excludes 0 (and contains 0 where there is no effect); retention
 * rate, repeat rate, cohorts, breakage and liability equal what this test computes from the raw events; redelivered
 * events change nothing; and a replay of every topic from the beginning, in the worst order, gives every figure again.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class InsightsFlowTest {

    private static final List<String> TOPICS = List.of(Topics.ORDERS, Topics.RETENTION_TRIGGERS,
            Topics.RETENTION_NOTIFICATIONS, Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES);
    private static final String RANGE = "from=2025-03&to=2026-09";
    private static final List<String> ANSWERS = List.of("uplift?" + RANGE, "uplift?by=campaign&" + RANGE,
            "retention?" + RANGE, "cohorts?" + RANGE, "points?" + RANGE, "tiers?" + RANGE,
            "uplift?format=csv&" + RANGE, "retention?format=csv&" + RANGE);

    private static KafkaTestClient kafka;
    private static final GeneratedShop SHOP = new GeneratedShop(35);

    @Inject
    EventBatchProcessor processor;
    @Inject
    ApplyInsightEvents applyEvents;
    @Inject
    Pool pool;
    @Inject
    PublishDailySnapshots snapshots;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, TOPICS.toArray(String[]::new));
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME, Topics.RETENTION_INSIGHTS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void theMeasuresOfAShopWithAKnownTruthSurviveRedeliveryAndReplay() {
        TOPICS.forEach(topic -> kafka.publishAll(topic, SHOP.byTopic.get(topic)));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(this::figuresAreTheTruth);
        Map<String, String> answered = answers();

        // Redelivery: a fifth of every topic's events again, under their ids.
        for (String topic : TOPICS) {
            List<EventEnvelope<?>> events = SHOP.byTopic.get(topic);
            kafka.publishAll(topic, events.subList(0, events.size() / 5));
        }
        awaitConsumed();
        assertThat(answers()).isEqualTo(answered);

        // Replay from the beginning into empty aggregates, the output topics first and the orders last: every order
        // then arrives after the triggers it converts, the opposite of the live run's usual order.
        truncateEverything();
        List<InboundRecord> records = new ArrayList<>();
        for (String topic : List.of(Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_NOTIFICATIONS,
                Topics.RETENTION_TRIGGERS, Topics.LOYALTY_POINTS, Topics.ORDERS)) {
            kafka.readAll(topic).forEach(record -> records.add(InboundRecord.of(record)));
        }
        for (int from = 0; from < records.size(); from += 700) {
            processor.process(records.subList(from, Math.min(records.size(), from + 700)), applyEvents)
                    .await().atMost(Duration.ofSeconds(60));
        }
        assertThat(answers()).isEqualTo(answered);
        figuresAreTheTruth();

        theDailySnapshotsArePublishedOnceWithTheApisFigures();
    }

    private void theDailySnapshotsArePublishedOnceWithTheApisFigures() {
        LocalDate day = LocalDate.parse("2026-06-30");
        assertThat(snapshots.publish(day).await().atMost(Duration.ofSeconds(30))).isEqualTo(5);
        assertThat(snapshots.publish(day).await().atMost(Duration.ofSeconds(30))).as("a second run").isZero();

        List<EventEnvelope<?>> published = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            published.clear();
            kafka.readAll(Topics.RETENTION_INSIGHTS).forEach(record -> published.add(((DecodeResult.Decoded)
                    new EventDecoder(1 << 20).decode(Topics.RETENTION_INSIGHTS, record.key(), record.value(),
                            Map.of())).event()));
            return published.size() >= 5;
        });
        assertThat(published).extracting(EventEnvelope::subject)
                .containsExactlyInAnyOrder("uplift", "retention", "cohorts", "points", "tiers");
        assertThat(published).extracting(EventEnvelope::id).doesNotHaveDuplicates()
                .contains(EventIds.derive("uplift:2026-06-30", "insights.snapshot"));
        for (EventEnvelope<?> event : published) {
            InsightsSnapshot snapshot = (InsightsSnapshot) event.data();
            assertThat(snapshot.day()).isEqualTo(day);
            assertThat(snapshot.reportingCurrency()).isEqualTo("EUR");
            String query = snapshot.measure() + "?from=2025-07&to=2026-06";
            if (snapshot.measure().equals("cohorts")) {
                // The API follows cohorts up to the current month; the snapshot up to the day's month.
                assertThat(snapshot.figures().path("cohorts").size()).isEqualTo(12);
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode answered = readTree(Api.analyst().get("/insights/" + query)
                    .then().statusCode(200).extract().asString());
            // Numbers by value: the decoder reads 0.0 as 0.
            assertThat(snapshot.figures().equals((a, b) -> a.isNumber() && b.isNumber()
                    ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1, answered))
                    .as("%s: %s against the API's %s", snapshot.measure(), snapshot.figures(), answered).isTrue();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badParametersAreNamedAndOnlyAnalystsAndAdminsMayRead() {
        for (var bad : List.of(Map.entry("uplift?from=2026-13", "from"), Map.entry("retention?to=June", "to"),
                Map.entry("points?from=2026-05&to=2026-01", "from"), Map.entry("uplift?by=channel", "by"),
                Map.entry("tiers?format=xml", "format"), Map.entry("cohorts?from=2000-01&to=2026-01", "from"))) {
            var response = Api.analyst().get("/insights/" + bad.getKey());
            Api.assertRefused(response, 400, "INVALID_REQUEST");
            assertThat(response.jsonPath().getString("violations[0].field")).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        Api.assertAllowed(Api.admin().get("/insights/retention"));
        assertThat(Api.support().get("/insights/retention").statusCode()).isEqualTo(403);
        assertThat(Api.storefront("c-1").get("/insights/points").statusCode()).isEqualTo(403);
        Api.assertUnauthenticated(Api.anonymous().get("/insights/uplift"));

        var csv = Api.analyst().accept("text/csv").get("/insights/retention?from=2026-01&to=2026-03");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.asString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("month,activeAtStart,activeAtEnd,newCustomers,retentionRate");
        assertThat(lines.get(1)).startsWith("2026-01,");
    }

    private void figuresAreTheTruth() {
        upliftIsTheTruth();
        retentionIsTheTruth();
        pointsAreTheTruth();
        tiersAreTheTruth();
    }

    private void upliftIsTheTruth() {
        JsonPath uplift = get("uplift?" + RANGE);
        assertThat(uplift.getString("method")).contains("Wald");
        Map<String, Object> winBack = row(uplift, "win-back");
        Map<String, Object> birthday = row(uplift, "birthday-offer");
        for (var group : List.of(Map.entry("win-back", winBack), Map.entry("birthday-offer", birthday))) {
            for (boolean heldOut : List.of(false, true)) {
                Map<?, ?> arm = (Map<?, ?>) group.getValue().get(heldOut ? "heldOut" : "treated");
                List<GeneratedShop.Exposure> exposures = SHOP.exposures.stream()
                        .filter(e -> e.triggerType().equals(group.getKey()) && e.heldOut() == heldOut).toList();
                assertThat(((Number) arm.get("exposures")).longValue()).isEqualTo(exposures.size());
                assertThat(((Number) arm.get("converted")).longValue())
                        .isEqualTo(exposures.stream().filter(e -> windowRevenue(e) != null).count());
                assertThat(((Number) arm.get("sent")).longValue()).isEqualTo(heldOut ? 0 : exposures.size());
                BigDecimal revenue = exposures.stream().map(this::windowRevenue).filter(r -> r != null)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(new BigDecimal(arm.get("revenue").toString()))
                        .isEqualByComparingTo(revenue.setScale(2, RoundingMode.HALF_EVEN));
            }
        }
        Map<?, ?> winBackUplift = (Map<?, ?>) winBack.get("conversionUplift");
        assertThat(((Number) winBackUplift.get("estimate")).doubleValue()).isCloseTo(0.05, within(1e-6));
        assertThat(((Number) winBackUplift.get("low")).doubleValue()).isGreaterThan(0).isLessThan(0.05);
        assertThat(((Number) winBackUplift.get("high")).doubleValue()).isGreaterThan(0.05);
        Map<?, ?> birthdayUplift = (Map<?, ?>) birthday.get("conversionUplift");
        assertThat(((Number) birthdayUplift.get("estimate")).doubleValue()).isCloseTo(0, within(1e-6));
        assertThat(((Number) birthdayUplift.get("low")).doubleValue()).isNegative();
        assertThat(((Number) birthdayUplift.get("high")).doubleValue()).isPositive();
        assertThat(((Number) winBack.get("vouchersRedeemed")).longValue()).isEqualTo(500);
        assertThat(new BigDecimal(winBack.get("discount").toString())).isEqualByComparingTo("2500.00");
        assertThat(birthday.get("notEnoughData")).isNull();
    }

    /** The revenue of the customer's orders within the window after the exposure; null when there is none. */
    private BigDecimal windowRevenue(GeneratedShop.Exposure exposure) {
        List<BigDecimal> inWindow = SHOP.orders.stream()
                .filter(o -> o.subject().equals(exposure.customerId()))
                .filter(o -> !o.data().placedAt().isBefore(exposure.at())
                        && o.data().placedAt().isBefore(exposure.at().plus(GeneratedShop.WINDOW)))
                .map(GeneratedShop::revenue).toList();
        return inWindow.isEmpty() ? null : inWindow.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private void retentionIsTheTruth() {
        Map<String, List<YearMonth>> monthsByCustomer = SHOP.orders.stream().collect(Collectors.groupingBy(
                EventEnvelope::subject, Collectors.mapping(o -> month(o.data().placedAt()), Collectors.toList())));
        List<Map<String, Object>> months = get("retention?" + RANGE).getList("months");
        assertThat(months).hasSize(19);
        for (Map<String, Object> row : months) {
            YearMonth month = YearMonth.parse(row.get("month").toString());
            long start = active(monthsByCustomer, month);
            long end = active(monthsByCustomer, month.plusMonths(1));
            long newCustomers = monthsByCustomer.values().stream()
                    .filter(m -> m.stream().min(YearMonth::compareTo).orElseThrow().equals(month)).count();
            long soFar = monthsByCustomer.values().stream()
                    .filter(m -> !m.stream().min(YearMonth::compareTo).orElseThrow().isAfter(month)).count();
            long repeat = monthsByCustomer.values().stream()
                    .filter(m -> m.stream().filter(o -> !o.isAfter(month)).count() >= 2).count();
            assertThat(((Number) row.get("activeAtStart")).longValue()).as("S of " + month).isEqualTo(start);
            assertThat(((Number) row.get("activeAtEnd")).longValue()).as("E of " + month).isEqualTo(end);
            assertThat(((Number) row.get("newCustomers")).longValue()).isEqualTo(newCustomers);
            assertThat(((Number) row.get("repeatCustomersSoFar")).longValue()).isEqualTo(repeat);
            if (start > 0) {
                assertThat(((Number) row.get("retentionRate")).doubleValue())
                        .isCloseTo((double) (end - newCustomers) / start, within(1e-6));
            }
            if (soFar > 0) {
                assertThat(((Number) row.get("repeatPurchaseRate")).doubleValue())
                        .isCloseTo((double) repeat / soFar, within(1e-6));
            }
        }
        List<Map<String, Object>> cohorts = get("cohorts?" + RANGE).getList("cohorts");
        for (Map<String, Object> cohort : cohorts) {
            YearMonth first = YearMonth.parse(cohort.get("firstOrderMonth").toString());
            List<List<YearMonth>> members = monthsByCustomer.values().stream()
                    .filter(m -> m.stream().min(YearMonth::compareTo).orElseThrow().equals(first)).toList();
            assertThat(((Number) cohort.get("customers")).longValue()).isEqualTo(members.size());
            List<?> shares = (List<?>) cohort.get("orderedAgain");
            for (int later = 1; later <= shares.size() && !members.isEmpty(); later++) {
                YearMonth month = first.plusMonths(later);
                long again = members.stream().filter(m -> m.contains(month)).count();
                assertThat(((Number) shares.get(later - 1)).doubleValue())
                        .isCloseTo((double) again / members.size(), within(1e-6));
            }
        }
    }

    /** Customers who ordered in the 12 months before {@code month}'s start. */
    private static long active(Map<String, List<YearMonth>> monthsByCustomer, YearMonth month) {
        return monthsByCustomer.values().stream().filter(months -> months.stream()
                .anyMatch(m -> m.isBefore(month) && !m.isBefore(month.minusMonths(12)))).count();
    }

    private void pointsAreTheTruth() {
        JsonPath points = get("points?" + RANGE);
        for (Map<String, Object> row : points.<Map<String, Object>>getList("months")) {
            YearMonth month = YearMonth.parse(row.get("month").toString());
            List<PointsChanged> inMonth = SHOP.points.stream().map(EventEnvelope::data)
                    .filter(p -> month(p.occurredAt()).equals(month)).toList();
            long issued = sum(inMonth, PointsChanged.Kind.EARNED) + sum(inMonth, PointsChanged.Kind.EARNED_PENDING);
            long expired = -sum(inMonth, PointsChanged.Kind.EXPIRED);
            assertThat(((Number) row.get("issued")).longValue()).as("issued in " + month).isEqualTo(issued);
            assertThat(((Number) row.get("redeemed")).longValue())
                    .isEqualTo(-sum(inMonth, PointsChanged.Kind.REDEEMED));
            assertThat(((Number) row.get("expired")).longValue()).isEqualTo(expired);
            if (issued > 0) {
                assertThat(((Number) row.get("breakageRate")).doubleValue())
                        .isCloseTo((double) expired / issued, within(1e-6));
            }
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Map<String, PointsChanged> last = new HashMap<>();
            SHOP.points.stream().filter(p -> p.data().occurredAt().isBefore(end))
                    .forEach(p -> last.put(p.subject(), p.data()));
            long outstanding = last.values().stream().mapToLong(p -> p.availableAfter() + p.pendingAfter()).sum();
            assertThat(((Number) row.get("outstanding")).longValue()).as("outstanding " + month)
                    .isEqualTo(outstanding);
            assertThat(new BigDecimal(row.get("liability").toString()))
                    .isEqualByComparingTo(new BigDecimal(outstanding).multiply(new BigDecimal("0.01")));
        }
        Map<String, PointsChanged> finalBalance = new HashMap<>();
        SHOP.points.forEach(p -> finalBalance.put(p.subject(), p.data()));
        Map<String, String> finalTier = new HashMap<>();
        SHOP.tierChanges.forEach(t -> finalTier.put(t.subject(), t.data().toTier()));
        Map<String, Long> byTier = new TreeMap<>();
        finalBalance.forEach((customer, balance) -> byTier.merge(finalTier.getOrDefault(customer, ""),
                balance.availableAfter() + balance.pendingAfter(), Long::sum));
        Map<String, Long> answered = new TreeMap<>();
        points.<Map<String, Object>>getList("byTier").forEach(row -> answered.put(row.get("tier").toString(),
                ((Number) row.get("available")).longValue() + ((Number) row.get("pending")).longValue()));
        answered.values().removeIf(v -> v == 0);
        assertThat(answered).isEqualTo(byTier);
    }

    private static long sum(List<PointsChanged> entries, PointsChanged.Kind kind) {
        return entries.stream().filter(p -> p.kind() == kind).mapToLong(PointsChanged::points).sum();
    }

    private void tiersAreTheTruth() {
        for (Map<String, Object> row : get("tiers?" + RANGE).<Map<String, Object>>getList("months")) {
            YearMonth month = YearMonth.parse(row.get("month").toString());
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Map<String, String> tierAtEnd = new HashMap<>();
            SHOP.tierChanges.stream().filter(t -> t.data().effectiveAt().isBefore(end))
                    .forEach(t -> tierAtEnd.put(t.subject(), t.data().toTier()));
            Map<String, Long> expected = tierAtEnd.values().stream()
                    .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
            Map<String, Long> answered = new TreeMap<>();
            ((Map<?, ?>) row.get("customers")).forEach((tier, count) -> {
                if (((Number) count).longValue() != 0) {
                    answered.put(tier.toString(), ((Number) count).longValue());
                }
            });
            assertThat(answered).as("tiers at the end of " + month).isEqualTo(expected);
        }
    }

    // ----

    private static Map<String, Object> row(JsonPath uplift, String triggerType) {
        return uplift.<Map<String, Object>>getList("rows").stream()
                .filter(r -> triggerType.equals(r.get("triggerType"))).findFirst()
                .orElseThrow(() -> new AssertionError("no uplift row for " + triggerType + " yet"));
    }

    private static JsonPath get(String query) {
        return Api.analyst().get("/insights/" + query).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, String> answers() {
        Map<String, String> answers = new TreeMap<>();
        ANSWERS.forEach(query -> answers.put(query,
                Api.analyst().get("/insights/" + query).then().statusCode(200).extract().asString()));
        return answers;
    }

    private static YearMonth month(Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC));
    }

    private void truncateEverything() {
        pool.query("TRUNCATE insights_customer, customer_order, customer_order_month, retention_counter, exposure,"
                + " trigger_sent, uplift_cell, redemption_cell, points_month, liability_by_tier, tier_month,"
                + " eventing_inbox").execute().await().atMost(Duration.ofSeconds(30));
    }

    /** Until the service's group has committed every topic's end offset. */
    private static void awaitConsumed() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets("insights-service").partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String topic : TOPICS) {
                    for (int partition = 0; partition < 3; partition++) {
                        latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
                    }
                }
                return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(end -> {
                    OffsetAndMetadata done = committed.get(end.getKey());
                    return end.getValue().offset() == 0 || done != null && done.offset() >= end.getValue().offset();
                });
            }
        });
    }
}
