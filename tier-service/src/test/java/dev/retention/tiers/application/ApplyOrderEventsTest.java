package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TierChanged;
import dev.retention.eventing.EventRejectedException;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consumer's use case called directly in a transaction of its own, against the real database. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ApplyOrderEventsTest {

    @Inject
    ApplyOrderEvents applyOrderEvents;
    @Inject
    Pool pool;

    @Test
    void aFirstOrderGivesTheTierItReachesAndReturnsTheChangeToPublish() {
        String customer = newCustomer();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).line("sku", 1, "600.00").build();

        List<EventEnvelope<?>> emitted = apply(order);

        assertThat(emitted).singleElement().satisfies(event -> {
            assertThat(event.id()).isEqualTo(EventIds.derive(order.id(), "tier:TierChanged"));
            assertThat(event.customerId()).isEqualTo(customer);
            TierChanged changed = (TierChanged) event.data();
            assertThat(changed.direction()).isEqualTo(TierChanged.Direction.INITIAL);
            assertThat(changed.toTier()).isEqualTo("silver");
            assertThat(changed.qualifyingSpend().amount()).isEqualByComparingTo("600.00");
        });
        Row status = single("SELECT tier, qualifying_spend FROM tier_status WHERE customer_id = $1", customer);
        assertThat(status.getString("tier")).isEqualTo("silver");
        assertThat(status.getBigDecimal("qualifying_spend")).isEqualByComparingTo("600.00");
        Row saved = single("SELECT placed, value FROM tier_order WHERE order_id = $1", order.data().orderId());
        assertThat(saved.getBoolean("placed")).isTrue();
        assertThat(saved.getBigDecimal("value")).isEqualByComparingTo("600.00");
        assertThat(rows("SELECT event_id FROM tier_history WHERE customer_id = $1", customer))
                .extracting(row -> row.getString("event_id")).containsExactly(emitted.get(0).id());
    }

    @Test
    void aCustomersEventsInOneBatchAreEvaluatedOneByOneAsIfEachHadComeInABatchOfItsOwn() {
        String together = newCustomer();
        String apart = newCustomer();
        EventEnvelope<OrderPlaced> first = TestEvents.orderPlaced(together).line("sku", 1, "300.00").build();
        EventEnvelope<OrderPlaced> second = TestEvents.orderPlaced(together).line("sku", 1, "250.00").build();

        List<EventEnvelope<?>> inOneBatch = apply(first, second);
        List<EventEnvelope<?>> inTwoBatches = new ArrayList<>(apply(TestEvents.orderPlaced(apart)
                .placedAt(first.data().placedAt()).line("sku", 1, "300.00").build()));
        inTwoBatches.addAll(apply(TestEvents.orderPlaced(apart).placedAt(second.data().placedAt())
                .line("sku", 1, "250.00").build()));

        assertThat(inOneBatch).extracting(event -> event.id()).containsExactly(
                EventIds.derive(first.id(), "tier:TierChanged"), EventIds.derive(second.id(), "tier:TierChanged"));
        assertThat(inOneBatch).extracting(event -> ((TierChanged) event.data()).toTier())
                .containsExactly("bronze", "silver");
        assertThat(inOneBatch).extracting(event -> ((TierChanged) event.data()).effectiveAt())
                .containsExactlyElementsOf(inTwoBatches.stream().map(e -> ((TierChanged) e.data()).effectiveAt())
                        .toList());
        assertThat(inTwoBatches).extracting(event -> ((TierChanged) event.data()).toTier())
                .containsExactly("bronze", "silver");
    }

    @Test
    void aCancellationThatArrivesBeforeItsOrderStillCancelsIt() {
        String customer = newCustomer();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).line("sku", 1, "800.00").build();

        List<EventEnvelope<?>> afterCancellation = apply(TestEvents.orderCancelled(customer, order.data().orderId()));
        List<EventEnvelope<?>> afterOrder = apply(order);

        assertThat(afterCancellation).singleElement()
                .satisfies(event -> assertThat(((TierChanged) event.data()).toTier()).isEqualTo("bronze"));
        assertThat(afterOrder).isEmpty();
        Row saved = single("SELECT placed, cancelled FROM tier_order WHERE order_id = $1", order.data().orderId());
        assertThat(saved.getBoolean("placed")).isTrue();
        assertThat(saved.getBoolean("cancelled")).isTrue();
        assertThat(single("SELECT qualifying_spend FROM tier_status WHERE customer_id = $1", customer)
                .getBigDecimal("qualifying_spend")).isEqualByComparingTo("0");
    }

    @Test
    void aReturnIsConvertedToTheBaseCurrencyAndLowersTheSpend() {
        String customer = newCustomer();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).currency("USD").line("sku", 1, "1000.00")
                .build();
        apply(order);

        List<EventEnvelope<?>> emitted = apply(TestEvents.orderReturned(customer, order.data().orderId(), "100.00",
                "USD"));

        assertThat(emitted).isEmpty(); // 828.00 EUR is still silver; the grace period has not even started
        Row saved = single("SELECT value, refunded FROM tier_order WHERE order_id = $1", order.data().orderId());
        assertThat(saved.getBigDecimal("value")).isEqualByComparingTo("920.00");
        assertThat(saved.getBigDecimal("refunded")).isEqualByComparingTo("92.00");
        assertThat(single("SELECT qualifying_spend FROM tier_status WHERE customer_id = $1", customer)
                .getBigDecimal("qualifying_spend")).isEqualByComparingTo("828.00");
    }

    @Test
    void anEventForAnotherCustomersOrderIsRejectedAndWritesNothing() {
        String owner = newCustomer();
        String other = newCustomer();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(owner).line("sku", 1, "100.00").build();
        apply(order);

        assertThatThrownBy(() -> apply(TestEvents.orderCancelled(other, order.data().orderId())))
                .isInstanceOf(EventRejectedException.class).hasMessageContaining("belongs to another customer");

        assertThat(single("SELECT cancelled FROM tier_order WHERE order_id = $1", order.data().orderId())
                .getBoolean("cancelled")).isFalse();
        assertThat(rows("SELECT 1 FROM tier_status WHERE customer_id = $1", other)).isEmpty();
    }

    @Test
    void anOrderInACurrencyWithoutRateIsRejected() {
        String customer = newCustomer();

        assertThatThrownBy(() -> apply(TestEvents.orderPlaced(customer).currency("JPY").line("sku", 1, "9000")
                .build()))
                .isInstanceOf(EventRejectedException.class).hasMessageContaining("no exchange rate for JPY");
        assertThat(rows("SELECT 1 FROM tier_status WHERE customer_id = $1", customer)).isEmpty();
    }

    private List<EventEnvelope<?>> apply(EventEnvelope<?>... events) {
        return pool.withTransaction(tx -> applyOrderEvents.apply(tx, List.of(events)))
                .await().atMost(Duration.ofSeconds(30));
    }

    private List<Row> rows(String sql, String key) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(30)).forEach(rows::add);
        return rows;
    }

    private Row single(String sql, String key) {
        List<Row> rows = rows(sql, key);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
