package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriggerGuardsTest {

    private final TriggerGuards guards = new TriggerGuards(new BigDecimal("0.10"), "salt", 3, Duration.ofDays(7));

    private static TriggerRequest request(TriggerType type, String customer) {
        return TriggerRequest.of(type, customer, customer, "test", "evt-1");
    }

    private String customerOutsideHoldout() {
        return IntStream.range(0, 100).mapToObj(i -> "c-" + i).filter(c -> !guards.inHoldout(c)).findFirst()
                .orElseThrow();
    }

    @Test
    void marketingNeedsConsentAndStopsAtTheFrequencyCap() {
        String customer = customerOutsideHoldout();
        TriggerRequest offer = request(TriggerType.WIN_BACK, customer);

        assertThat(guards.decide(offer, false, 0)).isEqualTo(TriggerOutcome.NO_CONSENT);
        assertThat(guards.decide(offer, true, 2)).isEqualTo(TriggerOutcome.FIRED);
        assertThat(guards.decide(offer, true, 3)).isEqualTo(TriggerOutcome.CAPPED);
    }

    @Test
    void theCapWindowEndsAtTheTriggersBusinessTimeAndLooksOnlyBack() {
        Instant at = Instant.parse("2031-05-10T12:00:00Z");
        List<Instant> fired = List.of(at.minus(Duration.ofDays(7)), at.minus(Duration.ofDays(7)).plusMillis(1),
                at.minus(Duration.ofHours(1)), at, at.plusMillis(1), at.plus(Duration.ofDays(1)));

        // (at - 7 days, at]: exactly 7 days before is out, the same business time is in, a later one is out, however
        // late it was decided.
        assertThat(guards.firedInWindow(fired, at)).isEqualTo(3);
        assertThat(guards.firedInWindow(fired, at.plus(Duration.ofDays(8)))).isZero();
    }

    @Test
    void theBudgetMonthIsTheOneHoldingTheBusinessTimeInTheProgrammesZone() {
        TriggerGuards berlin = new TriggerGuards(BigDecimal.ZERO, "salt", 3, Duration.ofDays(7), BigDecimal.TEN,
                ZoneId.of("Europe/Berlin"));

        assertThat(berlin.budgetMonth(Instant.parse("2031-05-31T22:30:00Z"))).isEqualTo(LocalDate.of(2031, 6, 1));
        assertThat(berlin.budgetMonth(Instant.parse("2031-05-31T21:30:00Z"))).isEqualTo(LocalDate.of(2031, 5, 1));
    }

    @Test
    void serviceMessagesPassEveryGuard() {
        String heldOut = IntStream.range(0, 1000).mapToObj(i -> "c-" + i).filter(guards::inHoldout).findFirst()
                .orElseThrow();
        for (TriggerType type : new TriggerType[]{TriggerType.DELAY_APOLOGY, TriggerType.REVIEW_THANKS,
                TriggerType.TIER_UP, TriggerType.DOWNGRADE_WARNING, TriggerType.POINTS_EXPIRING}) {
            assertThat(guards.decide(request(type, heldOut), false, 99)).as(type.name())
                    .isEqualTo(TriggerOutcome.FIRED);
        }
        assertThat(guards.decide(request(TriggerType.BIRTHDAY_OFFER, heldOut), true, 0))
                .isEqualTo(TriggerOutcome.HELD_OUT);
    }

    @Test
    void theHoldoutGroupIsTheConfiguredShareAndStable() {
        long held = IntStream.range(0, 100_000).mapToObj(i -> "customer-" + i).filter(guards::inHoldout).count();
        // 10% of 100,000 with a binomial standard deviation of about 95.
        assertThat(held).isBetween(9_600L, 10_400L);
        assertThat(guards.inHoldout("customer-42")).isEqualTo(
                new TriggerGuards(new BigDecimal("0.10"), "salt", 3, Duration.ofDays(7)).inHoldout("customer-42"));
        TriggerGuards none = new TriggerGuards(BigDecimal.ZERO, "salt", 3, Duration.ofDays(7));
        assertThat(IntStream.range(0, 10_000).mapToObj(i -> "c-" + i).noneMatch(none::inHoldout)).isTrue();
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new TriggerGuards(new BigDecimal("1.5"), "s", 3, Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
