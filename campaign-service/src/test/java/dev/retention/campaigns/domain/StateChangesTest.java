package dev.retention.campaigns.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The state classes say what changes, and know whether anything did: only changed rows are written back. */
class StateChangesTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void settingWhatIsAlreadyThereIsNoChange() {
        CustomerState customer = CustomerState.stored("c-1").tier("gold").build();
        ShipmentTimer timer = ShipmentTimer.stored("s-1", "o-1", "c-1", ShipmentTimer.State.DELIVERED, null, null,
                "e-1");
        OrderState order = OrderState.stored("o-1", "c-1", OrderState.Status.CANCELLED, "EUR", true,
                new BigDecimal("20.00"), new BigDecimal("20.00"), null, null, null, false);

        customer.changeTier("gold");
        timer.close(ShipmentTimer.State.DELIVERED);
        order.close(OrderState.Status.CANCELLED);
        order.refund(BigDecimal.ZERO);

        assertThat(customer.changed()).isFalse();
        assertThat(timer.changed()).isFalse();
        assertThat(order.changed()).isFalse();
        customer.changeTier("silver");
        assertThat(customer.changed()).isTrue();
    }

    @Test
    void aRowMentionedForTheFirstTimeIsWrittenEvenUnchanged() {
        assertThat(OrderState.firstMentioned("o-1", "c-1").changed()).isTrue();
        assertThat(ShipmentTimer.firstMentioned("s-1", "o-1", "c-1").changed()).isTrue();
        assertThat(new OrderState("o-1", "c-1").changed()).isFalse();
    }

    @Test
    void theFirstOrderIsRememberedAndLaterOnesCount() {
        CustomerState customer = new CustomerState("c-1");

        assertThat(customer.addOrder("o-1", new BigDecimal("30.00"))).isTrue();
        assertThat(customer.addOrder("o-2", new BigDecimal("20.00"))).isFalse();

        assertThat(customer.firstOrderId()).isEqualTo("o-1");
        assertThat(customer.orderCount()).isEqualTo(2);
        assertThat(customer.lifetimeSpend()).isEqualByComparingTo("50.00");
        customer.deductSpend(new BigDecimal("80.00"));
        assertThat(customer.lifetimeSpend()).as("never below zero").isEqualByComparingTo("0");
    }

    @Test
    void aWaitingReferralIsTakenOnceAndItsCodeMadeOnce() {
        CustomerState customer = new CustomerState("c-1");
        customer.awaitProfileForReferral("e-order");
        AtomicInteger made = new AtomicInteger();

        assertThat(customer.takeWaitingReferral()).isEqualTo("e-order");
        assertThat(customer.takeWaitingReferral()).isNull();
        String code = customer.referralCode(() -> "REF-" + made.incrementAndGet());
        assertThat(customer.referralCode(() -> "REF-" + made.incrementAndGet())).isEqualTo(code).isEqualTo("REF-1");
    }

    @Test
    void anOpenTimerIsDueUntilItCloses() {
        ShipmentTimer timer = new ShipmentTimer("s-1", "o-1", "c-1");
        timer.open(LocalDate.of(2026, 3, 12), "e-dispatch", NOW);
        assertThat(timer.state()).isEqualTo(ShipmentTimer.State.OPEN);
        assertThat(timer.dueAt()).isEqualTo(NOW);

        timer.close(ShipmentTimer.State.APOLOGISED);

        assertThat(timer.state()).isEqualTo(ShipmentTimer.State.APOLOGISED);
        assertThat(timer.dueAt()).isNull();
        assertThat(timer.changed()).isTrue();
    }

    @Test
    void anOrderReviewedOrClosedIsNoLongerAskedForAReview() {
        OrderState reviewed = new OrderState("o-1", "c-1");
        OrderState returned = new OrderState("o-2", "c-1");
        for (OrderState order : new OrderState[] {reviewed, returned}) {
            order.place("EUR", new BigDecimal("40.00"), false);
            order.deliver(NOW, "e-delivered", NOW.plusSeconds(7 * 86_400));
        }

        reviewed.markReviewed();
        returned.refund(new BigDecimal("15.00"));
        returned.close(OrderState.Status.RETURNED);

        assertThat(reviewed.reviewRequestDueAt()).isNull();
        assertThat(reviewed.standing()).isTrue();
        assertThat(returned.reviewRequestDueAt()).isNull();
        assertThat(returned.standing()).isFalse();
        assertThat(returned.unrefunded()).isEqualByComparingTo("25.00");
    }
}
