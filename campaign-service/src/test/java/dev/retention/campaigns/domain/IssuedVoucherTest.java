package dev.retention.campaigns.domain;

import dev.retention.contracts.events.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IssuedVoucherTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private final VoucherOffer offer = new VoucherOffer(Map.of("EUR", new BigDecimal("10.00")), null, null, true,
            Map.of("EUR", new BigDecimal("30.00")), Duration.ofDays(30));
    private final IssuedVoucher voucher = offer.issue("SORRY-AAAA-BBBB-CCCC", "c-1", "t-1", null, "EUR", "EUR", NOW);

    private static VoucherRefusedException.Reason refusal(Runnable redemption) {
        try {
            redemption.run();
        } catch (VoucherRefusedException e) {
            return e.reason();
        }
        throw new AssertionError("redeemed");
    }

    @Test
    void redeemsOnceAndAnswersARetryForTheSameOrderAgain() {
        IssuedVoucher redeemed = voucher.redeem("c-1", "o-1", Money.of("30.00", "EUR"), NOW);

        assertThat(redeemed.redeemedOrderId()).isEqualTo("o-1");
        assertThat(redeemed.redeem("c-1", "o-1", Money.of("30.00", "EUR"), NOW)).isSameAs(redeemed);
        assertThat(refusal(() -> redeemed.redeem("c-1", "o-2", Money.of("40.00", "EUR"), NOW)))
                .isEqualTo(VoucherRefusedException.Reason.ALREADY_REDEEMED);
    }

    @Test
    void enforcesOwnerExpiryCurrencyAndMinimumOrderValue() {
        assertThat(refusal(() -> voucher.redeem("c-2", "o-1", Money.of("50.00", "EUR"), NOW)))
                .isEqualTo(VoucherRefusedException.Reason.UNKNOWN_VOUCHER);
        assertThat(refusal(() -> voucher.redeem("c-1", "o-1", Money.of("50.00", "EUR"), NOW.plus(Duration.ofDays(30)))))
                .isEqualTo(VoucherRefusedException.Reason.EXPIRED);
        assertThat(refusal(() -> voucher.redeem("c-1", "o-1", Money.of("50.00", "USD"), NOW)))
                .isEqualTo(VoucherRefusedException.Reason.CURRENCY_MISMATCH);
        assertThat(refusal(() -> voucher.redeem("c-1", "o-1", Money.of("29.99", "EUR"), NOW)))
                .isEqualTo(VoucherRefusedException.Reason.MINIMUM_ORDER_VALUE);
    }

    @Test
    void anOfferIsExactlyOneBenefitAndFallsBackToTheBaseCurrency() {
        assertThatThrownBy(() -> new VoucherOffer(Map.of("EUR", BigDecimal.TEN), new BigDecimal("10"), null, false,
                Map.of(), Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VoucherOffer(Map.of(), new BigDecimal("120"), null, false, Map.of(),
                Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        IssuedVoucher inYen = offer.issue("X", "c-1", "t-1", null, "JPY", "EUR", NOW);
        assertThat(inYen.currency()).isEqualTo("EUR");
        assertThat(inYen.toEvent().value()).isEqualTo(Money.of("10.00", "EUR"));
        assertThat(inYen.toEvent().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void codesAreReadableUnambiguousAndDoNotRepeat() {
        VoucherCodeGenerator generator = new VoucherCodeGenerator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String code = generator.next("SORRY");
            assertThat(code).matches("SORRY(-[2-9A-HJKMNP-TW-Z]{4}){3}");
            seen.add(code);
        }
        assertThat(seen).hasSize(100_000);
        assertThat(VoucherCodeGenerator.ALPHABET).doesNotContain("0", "O", "1", "I", "L", "U", "V");
    }
}
