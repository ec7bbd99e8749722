package dev.retention.bench;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.testsupport.TestDatabase;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insights benchmark's load is what it claims to be: valid events in a shop's mix, balances that follow their
 * entries, triggers converted within the window by the order after them and not by the one after that; and the history
 * its SQL writes is exactly what the events before the first published round leave in insights-service's tables.
 */
class InsightsShopTest {

    private static final int CUSTOMERS = 20_000;
    private static final Duration WINDOW = Duration.ofDays(30);

    private final InsightsShop shop = new InsightsShop(CUSTOMERS);

    @Test
    void aboutTenValidEventsACustomerOrdersTheLargestShareAndFivePercentHeldOut() {
        List<ProducerRecord<String, byte[]>> records = records(0, shop.rounds);
        List<EventEnvelope<?>> events = decode(records);
        Map<String, Long> byTopic = new HashMap<>();
        records.forEach(r -> byTopic.merge(r.topic(), 1L, Long::sum));
        assertThat(records.size() / (double) CUSTOMERS).isBetween(9.8, 10.6);
        assertThat(byTopic.get(Topics.ORDERS) / (double) records.size()).isBetween(0.36, 0.42);
        assertThat(byTopic.get(Topics.LOYALTY_POINTS) / (double) records.size()).isBetween(0.27, 0.33);
        assertThat(byTopic.keySet()).containsExactlyInAnyOrder(Topics.ORDERS, Topics.LOYALTY_POINTS,
                Topics.RETENTION_TRIGGERS, Topics.RETENTION_NOTIFICATIONS, Topics.LOYALTY_TIER_CHANGES);
        long fired = events.stream().filter(e -> e.data() instanceof TriggerFired).count();
        long heldOut = events.stream().filter(e -> e.data() instanceof TriggerHeldOut).count();
        assertThat(heldOut / (double) (fired + heldOut)).isBetween(0.04, 0.06);
        assertThat(events.stream().map(EventEnvelope::id).distinct().count()).isEqualTo(events.size());
    }

    @Test
    void everyPointsEntryMovesTheBalanceItReportsAndNoneGoesBelowZero() {
        Map<String, Long> balances = new HashMap<>();
        for (EventEnvelope<?> event : decode(records(0, shop.rounds))) {
            if (event.data() instanceof PointsChanged change) {
                long balance = balances.merge(event.customerId(), change.points(), Long::sum);
                assertThat(change.availableAfter()).as(event.id()).isEqualTo(balance).isNotNegative();
            }
        }
        assertThat(balances).hasSizeGreaterThan(CUSTOMERS * 9 / 10);
    }

    @Test
    void theOrderAfterATriggerFallsInItsConversionWindowAndTheOneAfterThatDoesNot() {
        for (InsightsShop any : List.of(shop, new InsightsShop(1_000_000))) {
            for (int i = 0; i < any.customers; i += 997) {
                for (int trigger : new int[] {2, 6}) {
                    assertThat(Duration.between(any.at(i, trigger), any.at(i, trigger + 1))).isLessThan(WINDOW);
                    assertThat(Duration.between(any.at(i, trigger), any.at(i, trigger + 2)))
                            .isGreaterThanOrEqualTo(WINDOW);
                }
            }
        }
    }

    @Test
    void countBeforeCountsTheRecordsOfTheRoundsBefore() {
        int round = shop.steadyRound();
        assertThat(shop.countBefore(round)).isEqualTo(records(0, round).size());
        assertThat(shop.countBefore(shop.rounds)).isEqualTo(records(0, shop.rounds).size());
    }

    @Test
    void theHistoryHoldsExactlyTheRowsTheEventsBeforeTheFirstPublishedRoundLeave() throws Exception {
        int firstRound = shop.steadyRound();
        List<EventEnvelope<?>> history = decode(records(0, firstRound));
        try (TestDatabase database = TestDatabase.create("insights_shop_test")) {
            migrate(database);
            InsightsBenchmark.loadHistory(database, shop, firstRound, history.size());
            try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
                Map<String, List<OrderPlaced>> ordersByCustomer = new HashMap<>();
                Set<String> orders = new HashSet<>();
                Map<String, Integer> orderMonths = new HashMap<>();
                Set<String> exposures = new HashSet<>();
                Set<String> sent = new HashSet<>();
                Map<String, String> tiers = new HashMap<>();
                for (EventEnvelope<?> event : history) {
                    tiers.putIfAbsent(event.customerId(), "");
                    switch (event.data()) {
                        case OrderPlaced order -> {
                            ordersByCustomer.computeIfAbsent(event.customerId(), c -> new ArrayList<>()).add(order);
                            orders.add(String.join("|", order.orderId(), event.customerId(),
                                    order.placedAt().toString(), plain(order.orderTotal())));
                            orderMonths.merge(event.customerId() + "|" + month(order.placedAt()), 1, Integer::sum);
                        }
                        case TierChanged change -> tiers.put(event.customerId(), change.toTier());
                        case NotificationOutcome outcome -> sent.add(outcome.triggerId());
                        default -> { }
                    }
                }
                for (EventEnvelope<?> event : history) {
                    if (event.data() instanceof TriggerFired fired) {
                        exposures.add(exposure(fired.triggerId(), event.customerId(), fired.triggerType().wireName(),
                                fired.campaignId(), false, fired.firedAt(), ordersByCustomer, true));
                    } else if (event.data() instanceof TriggerHeldOut heldOut) {
                        exposures.add(exposure(heldOut.triggerId(), event.customerId(),
                                heldOut.triggerType().wireName(), heldOut.campaignId(), true, heldOut.heldOutAt(),
                                ordersByCustomer, false));
                    }
                }
                assertThat(orders).hasSizeGreaterThan(10_000);
                assertThat(rows(sql, "SELECT order_id || '|' || customer_id || '|' || "
                        + "to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '|' || "
                        + "trim_scale(revenue) FROM customer_order")).isEqualTo(orders);
                assertThat(rows(sql, "SELECT customer_id || '|' || to_char(month, 'YYYY-MM') || '|' || orders "
                        + "FROM customer_order_month")).isEqualTo(withCounts(orderMonths));
                assertThat(rows(sql, "SELECT trigger_id || '|' || customer_id || '|' || trigger_type || '|' || "
                        + "campaign_id || '|' || held_out || '|' || "
                        + "to_char(exposed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '|' || "
                        + "converted || '|' || trim_scale(revenue) || '|' || sent FROM exposure"))
                        .isEqualTo(exposures);
                assertThat(rows(sql, "SELECT trigger_id FROM trigger_sent")).isEqualTo(sent);
                Set<String> customerRows = new HashSet<>();
                tiers.forEach((customer, tier) -> customerRows.add(customer + "|" + tier));
                assertThat(rows(sql, "SELECT customer_id || '|' || coalesce(tier, '') FROM insights_customer"))
                        .isEqualTo(customerRows);
                assertThat(rows(sql, "SELECT count(*) FROM eventing_inbox"))
                        .containsExactly(Integer.toString(history.size()));
            }
        }
    }

    private String exposure(String triggerId, String customer, String type, String campaign, boolean heldOut,
                            Instant at, Map<String, List<OrderPlaced>> ordersByCustomer, boolean sent) {
        List<OrderPlaced> converting = ordersByCustomer.getOrDefault(customer, List.of()).stream()
                .filter(o -> !o.placedAt().isBefore(at) && o.placedAt().isBefore(at.plus(WINDOW))).toList();
        BigDecimal revenue = converting.stream().map(OrderPlaced::orderTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        return String.join("|", triggerId, customer, type, campaign == null ? "" : campaign,
                Boolean.toString(heldOut), at.toString(), Boolean.toString(!converting.isEmpty()), plain(revenue),
                Boolean.toString(sent));
    }

    private static String plain(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    private static String month(Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC)).toString();
    }

    private static Set<String> withCounts(Map<String, Integer> counts) {
        Set<String> rows = new HashSet<>();
        counts.forEach((key, count) -> rows.add(key + "|" + count));
        return rows;
    }

    private static Set<String> rows(Statement sql, String query) throws Exception {
        Set<String> rows = new HashSet<>();
        try (ResultSet result = sql.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    /** The kit's and the service's migrations, as Flyway applies them at the service's start. */
    private static void migrate(TestDatabase database) throws Exception {
        List<Path> scripts = new ArrayList<>();
        try (Stream<Path> eventing = Files.list(Path.of("../eventing/src/main/resources/db/eventing"))) {
            eventing.sorted().forEach(scripts::add);
        }
        try (Stream<Path> insights = Files.list(Path.of("../insights-service/src/main/resources/db/migration"))) {
            insights.sorted().forEach(scripts::add);
        }
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            for (Path script : scripts) {
                sql.execute(Files.readString(script));
            }
        }
    }

    private List<ProducerRecord<String, byte[]>> records(int fromRound, int toRound) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int round = fromRound; round < toRound; round++) {
            shop.round(round, records::add);
        }
        return records;
    }

    private static List<EventEnvelope<?>> decode(List<ProducerRecord<String, byte[]>> records) {
        EventDecoder decoder = new EventDecoder();
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (ProducerRecord<String, byte[]> record : records) {
            DecodeResult result = decoder.decode(record.topic(), record.key(), record.value(), Map.of());
            assertThat(result).as(record.topic() + " " + record.key()).isInstanceOf(DecodeResult.Decoded.class);
            events.add(((DecodeResult.Decoded) result).event());
        }
        return events;
    }
}
