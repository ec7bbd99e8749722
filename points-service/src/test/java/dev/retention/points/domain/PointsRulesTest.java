package dev.retention.points.domain;

import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged.Kind;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PointsRulesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static final PointsPolicy POLICY = PointsPolicy.builder()
            .pointsPerUnit(Map.of("EUR", BigDecimal.ONE, "JPY", new BigDecimal("0.01")))
            .tierMultipliers(Map.of("bronze", BigDecimal.ONE, "silver", new BigDecimal("2"), "gold", new BigDecimal("3")))
            .reviewBonus(50).referralBonus(200).signupBonus(100).birthdayBonus(150).feedbackBonus(25)
            .returnWindow(Duration.ofDays(30)).maxPending(Duration.ofDays(60))
            .minimumBalance(100).redemptionUnit(100).minimumOrderValue(Map.of("EUR", new BigDecimal("10.00")))
            .inactivityExpiry(Duration.ofDays(365)).expiryWarning(Duration.ofDays(30))
            .build();

    private final PointsRules rules = new PointsRules(POLICY);
    private final PointsAccount account = PointsAccount.open("c-1");

    @Test
    void earningRoundsDownAndExcludesShippingTaxAndThePartPaidWithPoints() {
        OrderPlaced order = order("o-1", "39.99", 0, "0");
        OrderPlaced partlyPaidWithPoints = order("o-2", "39.99", 500, "5.00");

        assertThat(rules.pointsForOrder(order, null)).isEqualTo(39);
        assertThat(rules.pointsForOrder(partlyPaidWithPoints, null)).isEqualTo(34);
    }

    @Test
    void tierMultipliesTheBasePoints() {
        OrderPlaced order = order("o-1", "39.99", 0, "0");

        assertThat(rules.pointsForOrder(order, "bronze")).isEqualTo(39);
        assertThat(rules.pointsForOrder(order, "silver")).isEqualTo(79);
        assertThat(rules.pointsForOrder(order, "gold")).isEqualTo(119);
        assertThat(rules.pointsForOrder(order, "unknown-tier")).isEqualTo(39);
    }

    @Test
    void pointsPerCurrencyAreConfiguredAndOtherCurrenciesEarnNothing() {
        OrderPlaced yen = TestEvents.orderPlaced("c-1").currency("JPY").line("sku", 1, "12345").shipping("0").build()
                .data();
        OrderPlaced dollars = TestEvents.orderPlaced("c-1").currency("USD").line("sku", 1, "100.00").build().data();

        assertThat(rules.pointsForOrder(yen, null)).isEqualTo(123);
        assertThat(rules.pointsForOrder(dollars, null)).isZero();
    }

    @Test
    void earnedPointsArePendingUntilTheReturnWindowAfterDeliveryCloses() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order("o-1", "120.00", 0, "0"), null, "e-1", T0);
        assertThat(order.releaseAt()).isEqualTo(T0.plus(Duration.ofDays(60)));

        rules.orderDelivered(order, T0.plus(Duration.ofDays(2)));

        assertThat(account.pending()).isEqualTo(120);
        assertThat(account.available()).isZero();
        assertThat(order.releaseAt()).isEqualTo(T0.plus(Duration.ofDays(32)));
        LedgerEntry released = rules.release(account, order, "rel-1", T0.plus(Duration.ofDays(32))).orElseThrow();
        assertThat(released.kind()).isEqualTo(Kind.RELEASED);
        assertThat(released.points()).isEqualTo(120);
        assertThat(account.pending()).isZero();
        assertThat(account.available()).isEqualTo(120);
        assertThat(rules.release(account, order, "rel-2", T0.plus(Duration.ofDays(40)))).isEmpty();
    }

    @Test
    void deliveryBeforeTheOrderEventStillStartsTheWindowFromDelivery() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderDelivered(order, T0.plus(Duration.ofDays(1)));

        rules.orderPlaced(account, order, order("o-1", "10.00", 0, "0"), null, "e-1", T0);

        assertThat(order.releaseAt()).isEqualTo(T0.plus(Duration.ofDays(31)));
    }

    @Test
    void cancellationReversesPendingPointsAndRefundsRedeemedOnes() {
        give(500);
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        List<LedgerEntry> placed = rules.orderPlaced(account, order, order("o-1", "80.00", 300, "3.00"), null, "e-1", T0);
        assertThat(placed).extracting(LedgerEntry::kind).containsExactly(Kind.EARNED_PENDING, Kind.REDEEMED);
        assertThat(account.available()).isEqualTo(200);
        assertThat(account.pending()).isEqualTo(77);

        List<LedgerEntry> cancelled = rules.orderCancelled(account, order, "e-2", T0.plusSeconds(60));

        assertThat(cancelled).extracting(LedgerEntry::kind, LedgerEntry::points)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.REVERSED, -77L),
                        org.assertj.core.groups.Tuple.tuple(Kind.REFUNDED, 300L));
        assertThat(account.pending()).isZero();
        assertThat(account.available()).isEqualTo(500);
        assertThat(rules.orderCancelled(account, order, "e-3", T0)).isEmpty();
        assertThat(rules.release(account, order, "rel", T0.plus(Duration.ofDays(90)))).isEmpty();
    }

    @Test
    void partialReturnsReverseProportionallyAndNeverMoreThanEarned() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order("o-1", "100.00", 0, "0"), "silver", "e-1", T0);
        assertThat(order.earned()).isEqualTo(200);

        List<LedgerEntry> first = rules.orderReturned(account, order, new BigDecimal("33.33"), "r-1", T0);
        List<LedgerEntry> second = rules.orderReturned(account, order, new BigDecimal("33.33"), "r-2", T0);
        List<LedgerEntry> third = rules.orderReturned(account, order, new BigDecimal("33.34"), "r-3", T0);
        List<LedgerEntry> beyond = rules.orderReturned(account, order, new BigDecimal("10.00"), "r-4", T0);

        assertThat(first.get(0).points()).isEqualTo(-67);
        assertThat(second.get(0).points()).isEqualTo(-66);
        assertThat(third.get(0).points()).isEqualTo(-67);
        assertThat(beyond).isEmpty();
        assertThat(order.reversed()).isEqualTo(200);
        assertThat(account.pending()).isZero();
        assertThat(account.lifetimeEarned()).isZero();
    }

    @Test
    void reversalAfterReleaseThatExceedsTheBalanceIsRecordedAsDebt() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order("o-1", "100.00", 0, "0"), null, "e-1", T0);
        rules.release(account, order, "rel", T0.plus(Duration.ofDays(60)));
        rules.redeem(account, null, new RedemptionRequest(100, null, null, null), "red-1", T0.plus(Duration.ofDays(61)));
        assertThat(account.available()).isZero();

        LedgerEntry reversal = rules.orderReturned(account, order, new BigDecimal("100.00"), "r-1", T0).get(0);

        assertThat(reversal.points()).isEqualTo(-100);
        assertThat(reversal.availableAfter()).isZero();
        assertThat(reversal.debtAfter()).isEqualTo(100);
        give(150);
        assertThat(account.debt()).isZero();
        assertThat(account.available()).isEqualTo(50);
    }

    @Test
    void reviewBonusOncePerOrderAndOnlyForVerifiedPurchases() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");

        assertThat(rules.reviewSubmitted(account, order, false, "rv-1", T0)).isEmpty();
        assertThat(rules.reviewSubmitted(account, order, true, "rv-2", T0)).get()
                .extracting(LedgerEntry::kind, LedgerEntry::points).containsExactly(Kind.BONUS, 50L);
        assertThat(rules.reviewSubmitted(account, order, true, "rv-3", T0)).isEmpty();
        assertThat(account.available()).isEqualTo(50);
    }

    @Test
    void signupBonusOnceAndReferralBonusForTheReferrer() {
        assertThat(rules.registered(account, "c-referrer", "reg-1", T0)).get().extracting(LedgerEntry::points)
                .isEqualTo(100L);
        assertThat(rules.registered(account, "c-referrer", "reg-2", T0)).isEmpty();
        assertThat(account.referredBy()).isEqualTo("c-referrer");

        PointsAccount referrer = PointsAccount.open("c-referrer");
        LedgerEntry bonus = rules.firstOrderPlaced(account, referrer, "e-first-order", T0).orElseThrow();
        assertThat(rules.firstOrderPlaced(account, referrer, "e-second-order", T0)).isEmpty();

        assertThat(bonus.customerId()).isEqualTo("c-referrer");
        assertThat(bonus.points()).isEqualTo(200);
        assertThat(referrer.available()).isEqualTo(200);
    }

    @Test
    void birthdayBonusWhenTheBirthdayOfferFiresAndNoneWhenNotConfigured() {
        LedgerEntry bonus = rules.birthdayOfferFired(account, "trigger-2026", T0).orElseThrow();

        assertThat(bonus).extracting(LedgerEntry::kind, LedgerEntry::points, LedgerEntry::rule, LedgerEntry::availableAfter)
                .containsExactly(Kind.BONUS, 150L, "birthday.bonus", 150L);
        assertThat(account.lifetimeEarned()).isEqualTo(150);
        assertThat(account.lastActivityAt()).isEqualTo(T0);
        assertThat(bonus.entryId()).isEqualTo(PointsRules.entryId("trigger-2026", "birthday.bonus", account.customerId()));

        PointsPolicy without = POLICY.toBuilder().birthdayBonus(0).build();
        PointsAccount other = PointsAccount.open("c-2");
        assertThat(new PointsRules(without).birthdayOfferFired(other, "trigger-2026", T0)).isEmpty();
        assertThat(other.available()).isZero();
    }

    @Test
    void feedbackBonusForTheOrderWhenAnAnswerIsRecordedAndNoneWhenNotConfigured() {
        LedgerEntry bonus = rules.feedbackRecorded(account, "o-7", "feedback-recorded-1", T0).orElseThrow();

        assertThat(bonus).extracting(LedgerEntry::kind, LedgerEntry::points, LedgerEntry::rule, LedgerEntry::orderId,
                LedgerEntry::availableAfter).containsExactly(Kind.BONUS, 25L, "feedback.bonus", "o-7", 25L);
        assertThat(bonus.entryId()).isEqualTo(PointsRules.entryId("feedback-recorded-1", "feedback.bonus",
                account.customerId()));

        PointsAccount other = PointsAccount.open("c-2");
        assertThat(new PointsRules(POLICY.toBuilder().feedbackBonus(0).build())
                .feedbackRecorded(other, "o-7", "feedback-recorded-1", T0)).isEmpty();
        assertThat(other.available()).isZero();
    }

    @Test
    void redemptionHurdles() {
        give(150);
        assertRefused(new RedemptionRequest(150, null, null, null), "WHOLE_UNITS");
        assertRefused(new RedemptionRequest(0, null, null, null), "WHOLE_UNITS");
        assertRefused(new RedemptionRequest(200, null, null, null), "INSUFFICIENT_POINTS");
        assertRefused(new RedemptionRequest(100, "o-9", new BigDecimal("9.99"), "EUR"), "BELOW_MINIMUM_ORDER_VALUE");
        assertRefused(new RedemptionRequest(100, "o-9", new BigDecimal("50.00"), "GBP"), "UNSUPPORTED_CURRENCY");
        assertThat(account.available()).isEqualTo(150);

        LedgerEntry redeemed = rules.redeem(account, null, new RedemptionRequest(100, "o-9", new BigDecimal("10.00"),
                "EUR"), "red", T0);

        assertThat(redeemed.points()).isEqualTo(-100);
        assertThat(account.available()).isEqualTo(50);
        assertRefused(new RedemptionRequest(100, null, null, null), "BELOW_MINIMUM_BALANCE");
    }

    @Test
    void orderRedeemedThroughTheApiIsNotDebitedAgainWhenTheOrderArrives() {
        give(500);
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.redeem(account, order, new RedemptionRequest(300, "o-1", new BigDecimal("80.00"), "EUR"), "api-1", T0);

        List<LedgerEntry> placed = rules.orderPlaced(account, order, order("o-1", "80.00", 300, "3.00"), null, "e-1", T0);

        assertThat(placed).extracting(LedgerEntry::kind).containsExactly(Kind.EARNED_PENDING);
        assertThat(account.available()).isEqualTo(200);
    }

    @Test
    void adjustmentsAreBoundedAndCannotCreateDebt() {
        give(40);
        assertThatThrownBy(() -> rules.adjust(account, -41, 10_000, "oops", "a-1", T0))
                .isInstanceOf(PointsRefusedException.class).hasMessageContaining("40 available");
        assertThatThrownBy(() -> rules.adjust(account, 10_001, 10_000, "too much", "a-2", T0))
                .isInstanceOf(PointsRefusedException.class);
        // Math.abs(Long.MIN_VALUE) is negative: a bound written with it let the smallest long through.
        assertThatThrownBy(() -> rules.adjust(account, Long.MIN_VALUE, 10_000, "overflow", "a-4", T0))
                .isInstanceOf(PointsRefusedException.class).hasMessageContaining("between 1 and 10000");
        assertThat(account.available()).isEqualTo(40);

        LedgerEntry adjusted = rules.adjust(account, -40, 10_000, "goodwill error", "a-3", T0);

        assertThat(adjusted.note()).isEqualTo("goodwill error");
        assertThat(account.available()).isZero();
    }

    @Test
    void inactivePointsExpireAfterAWarning() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order("o-1", "100.00", 0, "0"), null, "e-1", T0);
        rules.release(account, order, "rel", T0.plus(Duration.ofDays(60)));
        Instant expiresAt = T0.plus(Duration.ofDays(365));

        assertThat(rules.expiryWarning(account, expiresAt.minus(Duration.ofDays(31)))).isEmpty();
        PointsExpiring warning = rules.expiryWarning(account, expiresAt.minus(Duration.ofDays(29))).orElseThrow();
        assertThat(warning.points()).isEqualTo(100);
        assertThat(warning.expiresOn()).isEqualTo(LocalDate.parse("2027-03-01"));
        assertThat(rules.expiryWarning(account, expiresAt.minus(Duration.ofDays(28)))).isEmpty();
        assertThat(rules.expire(account, "x-0", expiresAt.minusSeconds(1))).isEmpty();

        LedgerEntry expired = rules.expire(account, "x-1", expiresAt).orElseThrow();

        assertThat(expired.points()).isEqualTo(-100);
        assertThat(account.available()).isZero();
        assertThat(rules.expire(account, "x-2", expiresAt.plusSeconds(1))).isEmpty();
    }

    @Test
    void entryIdsDeriveFromCauseAndRuleSoReplaysGiveTheSameIds() {
        PointsAccount twin = PointsAccount.open("c-1");
        List<LedgerEntry> first = rules.orderPlaced(account, OrderPoints.unknown("o-1", "c-1"),
                order("o-1", "10.00", 0, "0"), null, "e-1", T0);
        List<LedgerEntry> replay = rules.orderPlaced(twin, OrderPoints.unknown("o-1", "c-1"),
                order("o-1", "10.00", 0, "0"), null, "e-1", T0);

        assertThat(replay).extracting(LedgerEntry::entryId).isEqualTo(first.stream().map(LedgerEntry::entryId).toList());
    }

    @Test
    void aTierThatArrivesAfterTheOrderReRatesItsPendingPointsOnce() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order("o-1", "39.99", 0, "0"), null, "e-1", T0);
        assertThat(account.pending()).isEqualTo(39);

        LedgerEntry correction = rules.tierCorrection(account, order, "gold", "tier-1", T0.plusSeconds(5))
                .orElseThrow();

        assertThat(correction.kind()).isEqualTo(Kind.EARNED_PENDING);
        assertThat(correction.points()).isEqualTo(80); // floor(39.99 x 3) - floor(39.99)
        assertThat(correction.rule()).isEqualTo("order.tier-correction");
        assertThat(correction.orderId()).isEqualTo("o-1");
        assertThat(correction.pendingAfter()).isEqualTo(119);
        assertThat(order.earned()).isEqualTo(119);
        assertThat(order.earningTier()).isEqualTo("gold");
        assertThat(account.lifetimeEarned()).isEqualTo(119);
        assertThat(rules.tierCorrection(account, order, "gold", "tier-1", T0.plusSeconds(5))).isEmpty();
        // Released later, the order releases what it now holds.
        assertThat(rules.release(account, order, "rel", T0.plus(Duration.ofDays(60))).orElseThrow().points())
                .isEqualTo(119);
    }

    @Test
    void reRatingAReleasedOrderMovesAvailablePointsAndACutBeyondThemBecomesDebt() {
        OrderPoints upgraded = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, upgraded, order("o-1", "50.00", 0, "0"), "bronze", "e-1", T0);
        rules.release(account, upgraded, "rel-1", T0.plus(Duration.ofDays(60)));

        LedgerEntry raised = rules.tierCorrection(account, upgraded, "silver", "tier-1", T0).orElseThrow();
        assertThat(raised.kind()).isEqualTo(Kind.EARNED);
        assertThat(raised.points()).isEqualTo(50);
        assertThat(account.available()).isEqualTo(100);

        PointsAccount spender = PointsAccount.open("c-2");
        OrderPoints downgraded = OrderPoints.unknown("o-2", "c-2");
        rules.orderPlaced(spender, downgraded, order("o-2", "50.00", 0, "0"), "gold", "e-2", T0);
        rules.release(spender, downgraded, "rel-2", T0.plus(Duration.ofDays(60)));
        rules.redeem(spender, null, new RedemptionRequest(100, null, null, null), "redeem", T0);
        assertThat(spender.available()).isEqualTo(50);

        LedgerEntry cut = rules.tierCorrection(spender, downgraded, "bronze", "tier-2", T0).orElseThrow();
        assertThat(cut.kind()).isEqualTo(Kind.REVERSED);
        assertThat(cut.points()).isEqualTo(-100);
        assertThat(spender.available()).isZero();
        assertThat(spender.debt()).isEqualTo(50);
        assertThat(spender.lifetimeEarned()).isEqualTo(50);
    }

    @Test
    void reRatingKeepsTheReturnedShareReversed() {
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order("o-1", "100.00", 0, "0"), "silver", "e-1", T0);
        rules.orderReturned(account, order, new BigDecimal("33.33"), "r-1", T0);
        assertThat(account.pending()).isEqualTo(133);

        LedgerEntry correction = rules.tierCorrection(account, order, "gold", "tier-1", T0).orElseThrow();

        // As if gold from the start: 300 earned, round(300 x 0.3333) = 100 reversed by the return.
        assertThat(correction.points()).isEqualTo(67);
        assertThat(order.earned()).isEqualTo(300);
        assertThat(order.reversed()).isEqualTo(100);
        assertThat(account.pending()).isEqualTo(200);
        assertThat(rules.orderReturned(account, order, new BigDecimal("66.67"), "r-2", T0).get(0).points())
                .isEqualTo(-200);
        assertThat(account.pending()).isZero();
    }

    @Test
    void reRatingLeavesCancelledOrdersOrdersWithoutABasisAndEqualMultipliersAlone() {
        OrderPoints cancelled = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, cancelled, order("o-1", "40.00", 0, "0"), null, "e-1", T0);
        rules.orderCancelled(account, cancelled, "e-2", T0);
        OrderPoints legacy = new OrderPoints("o-2", "c-1", true, "EUR", new BigDecimal("40.00"), 40, 0,
                BigDecimal.ZERO, 0, 0, T0, null, T0.plus(Duration.ofDays(60)), false, false, false, null, null, 0,
                null);
        OrderPoints sameMultiplier = OrderPoints.unknown("o-3", "c-1");
        rules.orderPlaced(account, sameMultiplier, order("o-3", "40.00", 0, "0"), null, "e-3", T0);

        assertThat(rules.tierCorrection(account, cancelled, "gold", "tier-1", T0)).isEmpty();
        assertThat(rules.tierCorrection(account, legacy, "gold", "tier-1", T0)).isEmpty();
        assertThat(rules.tierCorrection(account, sameMultiplier, "bronze", "tier-1", T0)).isEmpty();
        assertThat(sameMultiplier.earningTier()).isEqualTo("bronze");
        assertThat(account.pending()).isEqualTo(40);
    }

    @Test
    void oneTierChangeReRatingTwoOrdersWritesTwoEntries() {
        OrderPoints first = OrderPoints.unknown("o-1", "c-1");
        OrderPoints second = OrderPoints.unknown("o-2", "c-1");
        rules.orderPlaced(account, first, order("o-1", "10.00", 0, "0"), null, "e-1", T0);
        rules.orderPlaced(account, second, order("o-2", "20.00", 0, "0"), null, "e-2", T0);

        LedgerEntry a = rules.tierCorrection(account, first, "silver", "tier-1", T0).orElseThrow();
        LedgerEntry b = rules.tierCorrection(account, second, "silver", "tier-1", T0).orElseThrow();

        assertThat(a.entryId()).isNotEqualTo(b.entryId());
        assertThat(List.of(a.points(), b.points())).containsExactly(10L, 20L);
        assertThat(account.pending()).isEqualTo(60);
    }

    private void give(long points) {
        rules.adjust(account, points, 10_000, "test balance", "give-" + points + "-" + account.available(), T0);
    }

    private void assertRefused(RedemptionRequest request, String code) {
        assertThatThrownBy(() -> rules.redeem(account, null, request, "r", T0))
                .isInstanceOfSatisfying(PointsRefusedException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static OrderPlaced order(String orderId, String merchandise, long pointsRedeemed, String pointsValue) {
        return TestEvents.orderPlaced("c-1").orderId(orderId).placedAt(T0).line("sku", 1, merchandise)
                .pointsRedeemed(pointsRedeemed, pointsValue).build().data();
    }
}
