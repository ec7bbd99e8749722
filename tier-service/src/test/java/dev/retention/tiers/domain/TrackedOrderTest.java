package dev.retention.tiers.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TrackedOrderTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    @Test
    void theSameOrderPlacedTwiceCountsOnceAtItsFirstValue() {
        TrackedOrder order = TrackedOrder.unknown("o1", "c1");

        assertThat(order.place(T0, new BigDecimal("100.00"))).isTrue();
        assertThat(order.place(T0.plusSeconds(60), new BigDecimal("999.00"))).isFalse();

        assertThat(order.qualifying().net()).isEqualByComparingTo("100.00");
        assertThat(order.placedAt()).isEqualTo(T0);
    }

    @Test
    void refundsAddUpAndACancellationLeavesNothing() {
        TrackedOrder order = TrackedOrder.unknown("o1", "c1");
        order.place(T0, new BigDecimal("100.00"));

        order.refund(new BigDecimal("30.00"));
        order.refund(new BigDecimal("20.00"));
        assertThat(order.refunded()).isEqualByComparingTo("50.00");
        assertThat(order.qualifying().net()).isEqualByComparingTo("50.00");

        order.cancel();
        assertThat(order.qualifying().net()).isEqualByComparingTo("0");
    }

    @Test
    void aCancellationBeforeTheOrderIsKeptWhenTheOrderArrives() {
        TrackedOrder order = TrackedOrder.unknown("o1", "c1");
        order.cancel();

        assertThat(order.place(T0, new BigDecimal("100.00"))).isTrue();

        assertThat(order.cancelled()).isTrue();
        assertThat(order.qualifying().net()).isEqualByComparingTo("0");
    }
}
