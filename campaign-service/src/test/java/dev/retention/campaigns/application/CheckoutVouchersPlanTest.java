package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CampaignState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.contracts.EventEnvelope;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a batch asks of vouchers, decided before the rules change the orders (no database: the plan is pure). */
class CheckoutVouchersPlanTest {

    private static final CampaignState EMPTY = new CampaignState(Map.of(), Map.of(), Map.of());

    @Test
    void cancellationsReleaseNothingWhenReleaseOnCancelIsOff() {
        List<EventEnvelope<?>> batch = List.of(TestEvents.orderCancelled("c-1", "o-1"));

        assertThat(new CheckoutVouchers(null, false).plan(batch, EMPTY).nothing()).isTrue();
        CheckoutVouchers.Plan releasing = new CheckoutVouchers(null, true).plan(batch, EMPTY);
        assertThat(releasing.nothing()).isFalse();
        assertThat(releasing.cancelledOrders()).containsExactly("o-1");
    }

    @Test
    void codesAreNormalizedOnceAndAnOrderKnownBeforeTheBatchIsDecidedAlready() {
        var placed = TestEvents.orderPlaced("c-1").orderId("o-known").build();
        var withCodes = new dev.retention.contracts.events.OrderPlaced(placed.data().orderId(),
                placed.data().placedAt(), "web", "EUR", placed.data().lines(), placed.data().merchandiseTotal(),
                placed.data().shippingTotal(), BigDecimal.ZERO, BigDecimal.ZERO, placed.data().orderTotal(), 0,
                BigDecimal.ZERO, List.of(" sorry-aaaa ", "SORRY-AAAA", "back-bbbb"));
        CampaignState known = new CampaignState(Map.of(), Map.of("o-known", OrderState.stored("o-known", "c-1",
                OrderState.Status.PLACED, "EUR", true, BigDecimal.TEN, BigDecimal.ZERO, null, null, null, false)),
                Map.of());

        CheckoutVouchers.Plan plan = new CheckoutVouchers(null, true).plan(
                List.of(TestEvents.envelope("c-1", withCodes)), known);

        assertThat(plan.codes()).containsExactly("SORRY-AAAA", "BACK-BBBB");
        assertThat(plan.decidedBefore()).containsExactly("o-known");
    }
}
