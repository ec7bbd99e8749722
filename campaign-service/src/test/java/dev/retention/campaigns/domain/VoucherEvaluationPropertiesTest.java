package dev.retention.campaigns.domain;

import dev.retention.campaigns.domain.IssuedVoucher.Evaluation;
import dev.retention.campaigns.domain.VoucherRefusedException.Reason;
import dev.retention.contracts.events.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A voucher's evaluation for a basket: what it takes off, and the boundaries of its terms. */
class VoucherEvaluationPropertiesTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @Property(tries = 2000)
    void theDiscountIsNeverNegativeNorAboveTheGoodsNorAboveTheCeiling(@ForAll("vouchers") IssuedVoucher voucher,
                                                                       @ForAll("amounts") BigDecimal merchandise) {
        Evaluation evaluation = voucher.evaluate("c-1", new Money(merchandise, voucher.currency()), null, NOW);

        assertThat(evaluation.valid()).isTrue();
        if (voucher.value() == null && voucher.percentOff() == null) {
            assertThat(evaluation.discount()).isNull();
            return;
        }
        assertThat(evaluation.discount()).isNotNull();
        assertThat(evaluation.discount().signum()).isGreaterThanOrEqualTo(0);
        assertThat(evaluation.discount()).isLessThanOrEqualTo(merchandise);
        if (voucher.maximumDiscount() != null) {
            assertThat(evaluation.discount()).isLessThanOrEqualTo(voucher.maximumDiscount());
        }
        if (voucher.value() != null) {
            assertThat(evaluation.discount()).isEqualByComparingTo(voucher.value().min(merchandise));
        }
    }

    @Property(tries = 500)
    void aPercentageIsRoundedHalfUpToMinorUnits(@ForAll @IntRange(min = 1, max = 100) int percent,
                                                @ForAll @IntRange(min = 0, max = 10_000_000) int cents) {
        IssuedVoucher voucher = percentage(BigDecimal.valueOf(percent), null, "EUR");
        BigDecimal merchandise = BigDecimal.valueOf(cents, 2);

        BigDecimal discount = voucher.evaluate("c-1", new Money(merchandise, "EUR"), null, NOW).discount();

        assertThat(discount.scale()).isEqualTo(2);
        // Exact to half a cent: the rounding error of HALF_UP.
        BigDecimal exact = merchandise.multiply(BigDecimal.valueOf(percent)).movePointLeft(2);
        assertThat(discount.subtract(exact).abs()).isLessThanOrEqualTo(new BigDecimal("0.005"));
    }

    @Property(tries = 500)
    void theMinimumOrderValueIsReachedAtExactlyTheMinimum(@ForAll @IntRange(min = 1, max = 1_000_000) int cents) {
        BigDecimal minimum = BigDecimal.valueOf(cents, 2);
        IssuedVoucher voucher = new IssuedVoucher("C", "c-1", "t-1", null, new BigDecimal("5.00"), null, null, "EUR",
                minimum, false, NOW, NOW.plus(Duration.ofDays(1)), null, null, null);

        assertThat(voucher.evaluate("c-1", new Money(minimum, "EUR"), null, NOW).valid()).isTrue();
        assertThat(voucher.evaluate("c-1", new Money(minimum.subtract(new BigDecimal("0.01")), "EUR"), null, NOW)
                .refusal()).isEqualTo(Reason.MINIMUM_ORDER_VALUE);
    }

    @Property(tries = 500)
    void aVoucherExpiresAtItsExpiryInstant(@ForAll @IntRange(min = 1, max = 10_000_000) int seconds,
                                           @ForAll @IntRange(min = 1, max = 1_000_000) int nanosBefore) {
        Instant expiresAt = NOW.plusSeconds(seconds);
        IssuedVoucher voucher = new IssuedVoucher("C", "c-1", "t-1", null, new BigDecimal("5.00"), null, null, "EUR",
                null, false, NOW, expiresAt, null, null, null);
        Money basket = Money.of("20.00", "EUR");

        assertThat(voucher.evaluate("c-1", basket, null, expiresAt.minusNanos(nanosBefore)).valid()).isTrue();
        assertThat(voucher.evaluate("c-1", basket, null, expiresAt).refusal()).isEqualTo(Reason.EXPIRED);
        assertThat(voucher.evaluate("c-1", basket, null, expiresAt.plusNanos(nanosBefore)).refusal())
                .isEqualTo(Reason.EXPIRED);
    }

    @Property(tries = 1000)
    void redemptionRefusesExactlyWhatTheEvaluationRefuses(@ForAll("vouchers") IssuedVoucher voucher,
                                                          @ForAll("amounts") BigDecimal merchandise,
                                                          @ForAll @IntRange(min = -2, max = 40) int days,
                                                          @ForAll boolean sameCustomer, @ForAll boolean sameCurrency) {
        Money basket = new Money(merchandise, sameCurrency ? voucher.currency() : "USD");
        String customer = sameCustomer ? "c-1" : "c-2";
        Instant at = NOW.plus(Duration.ofDays(days));
        Evaluation evaluation = voucher.evaluate(customer, basket, null, at);

        Reason refused = null;
        try {
            IssuedVoucher redeemed = voucher.redeem(customer, "o-1", basket, at);
            assertThat(redeemed.redeemedOrderId()).isEqualTo("o-1");
            assertThat(redeemed.evaluate(customer, basket, null, at).refusal()).isEqualTo(Reason.ALREADY_REDEEMED);
            assertThat(redeemed.release()).isEqualTo(voucher);
        } catch (VoucherRefusedException e) {
            refused = e.reason();
        }
        assertThat(refused).isEqualTo(evaluation.refusal());
    }

    @Test
    void freeShippingTakesOffTheShippingAndAFreeGiftNamesItsSku() {
        IssuedVoucher shipping = new IssuedVoucher("S", "c-1", "t-1", null, null, null, null, "EUR", null, true,
                NOW, NOW.plus(Duration.ofDays(1)), null, null, null);
        Evaluation free = shipping.evaluate("c-1", Money.of("20.00", "EUR"), new BigDecimal("4.95"), NOW);
        assertThat(free.discount()).isNull();
        assertThat(free.freeShipping()).isTrue();
        assertThat(free.shippingDiscount()).isEqualByComparingTo("4.95");

        IssuedVoucher gift = new VoucherOffer(Map.of(), null, "tote-bag", false, Map.of(), Duration.ofDays(1))
                .issue("G", "c-1", "t-1", null, "EUR", "EUR", NOW);
        Evaluation giftEvaluation = gift.evaluate("c-1", Money.of("20.00", "EUR"), new BigDecimal("4.95"), NOW);
        assertThat(giftEvaluation.freeGiftSku()).isEqualTo("tote-bag");
        assertThat(giftEvaluation.shippingDiscount()).isEqualByComparingTo("0");
        assertThat(giftEvaluation.discount()).isNull();
    }

    @Test
    void aPercentageWithACeilingStopsAtTheCeiling() {
        IssuedVoucher voucher = percentage(new BigDecimal("20"), new BigDecimal("15.00"), "EUR");
        assertThat(voucher.evaluate("c-1", Money.of("50.00", "EUR"), null, NOW).discount()).isEqualByComparingTo("10.00");
        assertThat(voucher.evaluate("c-1", Money.of("100.00", "EUR"), null, NOW).discount())
                .isEqualByComparingTo("15.00");
        assertThat(percentage(new BigDecimal("10"), null, "JPY").evaluate("c-1", Money.of("1005", "JPY"), null, NOW)
                .discount()).isEqualByComparingTo("101");
    }

    private static IssuedVoucher percentage(BigDecimal percent, BigDecimal ceiling, String currency) {
        return new IssuedVoucher("P", "c-1", "t-1", null, null, percent, null, currency, null, false, NOW,
                NOW.plus(Duration.ofDays(30)), null, null, ceiling);
    }

    @Provide
    Arbitrary<BigDecimal> amounts() {
        return Arbitraries.oneOf(Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100000"))
                        .ofScale(2),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1")).ofScale(4),
                Arbitraries.of(BigDecimal.ZERO, new BigDecimal("0.01"), new BigDecimal("0.0049")));
    }

    /** Every kind of voucher in EUR for c-1, valid for 30 days from NOW, without a minimum. */
    @Provide
    Arbitrary<IssuedVoucher> vouchers() {
        Arbitrary<BigDecimal> values = Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("500"))
                .ofScale(2);
        Arbitrary<BigDecimal> percents = Arbitraries.bigDecimals().between(new BigDecimal("0.5"), new BigDecimal("100"))
                .ofScale(1);
        Arbitrary<BigDecimal> ceilings = values.injectNull(0.4);
        Arbitrary<IssuedVoucher> fixed = values.map(v -> voucher(v, null, null, null, false));
        Arbitrary<IssuedVoucher> percentage = Combinators.combine(percents, ceilings)
                .as((p, c) -> voucher(null, p, null, c, false));
        Arbitrary<IssuedVoucher> other = Arbitraries.of(voucher(null, null, "gift", null, false),
                voucher(null, null, null, null, true));
        return Arbitraries.oneOf(fixed, percentage, other);
    }

    private static IssuedVoucher voucher(BigDecimal value, BigDecimal percent, String gift, BigDecimal ceiling,
                                         boolean freeShipping) {
        return new IssuedVoucher("V", "c-1", "t-1", null, value, percent, gift, "EUR", null, freeShipping, NOW,
                NOW.plus(Duration.ofDays(30)), null, null, ceiling);
    }
}
