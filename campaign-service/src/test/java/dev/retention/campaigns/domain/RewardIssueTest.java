package dev.retention.campaigns.domain;

import dev.retention.contracts.events.RewardIssueFailed.Reason;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.PartnerReward;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RewardIssueTest {

    static final Instant REQUESTED = Instant.parse("2026-05-04T10:15:30Z");
    static final Duration VALID = Duration.ofDays(60);

    static Reward voucherReward(Offer offer) {
        return new Reward("r-1", "Ten off", "ten euros off", 500, null, null, null, null, offer, null);
    }

    static RewardRedemptionRequested requested(Reward reward, String currency) {
        return new RewardRedemptionRequested("red-1", reward.id(), "entry-1", reward.price(), 3, reward, currency,
                REQUESTED);
    }

    static RewardIssue.Plan plan(Reward reward, String currency, boolean erased) {
        return RewardIssue.plan(requested(reward, currency), "c-1", erased, "ev-1", "EUR",
                () -> "REWARD-AAAA-BBBB-CCCC", "t-1");
    }

    @Test
    void aFixedVoucherIsIssuedInTheCustomersCurrencyValidFromTheRequest() {
        Offer offer = new Offer(Map.of("EUR", new BigDecimal("10.00"), "GBP", new BigDecimal("9.00")), null, null,
                false, Map.of("GBP", new BigDecimal("30.00")), VALID);

        RewardIssue.IssueVoucher issue = (RewardIssue.IssueVoucher) plan(voucherReward(offer), "GBP", false);

        IssuedVoucher voucher = issue.voucher();
        assertThat(voucher.value()).isEqualByComparingTo("9.00");
        assertThat(voucher.currency()).isEqualTo("GBP");
        assertThat(voucher.minimumOrderValue()).isEqualByComparingTo("30.00");
        assertThat(voucher.issuedAt()).isEqualTo(REQUESTED);
        assertThat(voucher.expiresAt()).isEqualTo(REQUESTED.plus(VALID));
        assertThat(voucher.customerId()).isEqualTo("c-1");
        assertThat(voucher.triggerId()).isEqualTo("t-1");
        assertThat(voucher.campaignId()).isNull();
        TriggerRequest request = issue.request();
        assertThat(request.type()).isEqualTo(TriggerType.REWARD);
        assertThat(request.marketing()).isFalse();
        assertThat(request.dedupeKey()).isEqualTo("red-1");
        assertThat(request.businessTime()).isEqualTo(REQUESTED);
        assertThat(request.sourceEventId()).isEqualTo("ev-1");
        assertThat(request.currency()).isEqualTo("GBP");
    }

    @Test
    void aValueWithoutTheCustomersCurrencyFallsBackToTheReportingCurrencyElseIsNotIssuable() {
        Offer euros = new Offer(Map.of("EUR", new BigDecimal("10.00")), null, null, false, null, VALID);
        IssuedVoucher fallback = ((RewardIssue.IssueVoucher) plan(voucherReward(euros), "CHF", false)).voucher();
        assertThat(fallback.currency()).isEqualTo("EUR");
        assertThat(fallback.value()).isEqualByComparingTo("10.00");
        IssuedVoucher none = ((RewardIssue.IssueVoucher) plan(voucherReward(euros), null, false)).voucher();
        assertThat(none.currency()).isEqualTo("EUR");

        Offer pounds = new Offer(Map.of("GBP", new BigDecimal("9.00")), null, null, false, null, VALID);
        RewardIssue.Refuse refused = (RewardIssue.Refuse) plan(voucherReward(pounds), "CHF", false);
        assertThat(refused.reason()).isEqualTo(Reason.NOT_ISSUABLE);
        assertThat(refused.detail()).contains("CHF").contains("EUR");
    }

    @Test
    void aPercentageKeepsItsCeilingInTheVouchersCurrency() {
        Offer offer = new Offer(null, new BigDecimal("15"), null, null, null, VALID,
                Map.of("EUR", new BigDecimal("25.00")));
        IssuedVoucher voucher = ((RewardIssue.IssueVoucher) plan(voucherReward(offer), "EUR", false)).voucher();
        assertThat(voucher.percentOff()).isEqualByComparingTo("15");
        assertThat(voucher.maximumDiscount()).isEqualByComparingTo("25.00");
        assertThat(voucher.toEvent().maximumDiscount().currency()).isEqualTo("EUR");
        IssuedVoucher uncapped = ((RewardIssue.IssueVoucher) plan(voucherReward(offer), "USD", false)).voucher();
        assertThat(uncapped.maximumDiscount()).isNull();
    }

    @Test
    void freeShippingAloneAndAFreeGiftAreVouchersToo() {
        IssuedVoucher shipping = ((RewardIssue.IssueVoucher) plan(voucherReward(
                new Offer(null, null, null, true, null, VALID)), "EUR", false)).voucher();
        assertThat(shipping.freeShipping()).isTrue();
        assertThat(shipping.value()).isNull();
        assertThat(shipping.toEvent().freeShipping()).isTrue();
        IssuedVoucher gift = ((RewardIssue.IssueVoucher) plan(voucherReward(
                new Offer(null, null, "SKU-SET-1", null, null, VALID)), "EUR", false)).voucher();
        assertThat(gift.freeGiftSku()).isEqualTo("SKU-SET-1");
    }

    @Test
    void aPartnerRewardClaimsFromItsPool() {
        Reward partner = new Reward("tickets", "Concert tickets", null, 2000, null, 10L, null, "gold", null,
                new PartnerReward("pool-concert", "Show the code at the box office", null));
        RewardIssue.ClaimCode claim = (RewardIssue.ClaimCode) plan(partner, null, false);
        assertThat(claim.poolId()).isEqualTo("pool-concert");
        assertThat(claim.request().type()).isEqualTo(TriggerType.REWARD);
        assertThat(claim.request().offer()).isNull();
    }

    @Test
    void anErasedCustomerGetsNothingWhateverTheReward() {
        Reward partner = new Reward("tickets", "Concert tickets", null, 2000, null, null, null, null, null,
                new PartnerReward("pool-concert", "text", null));
        Offer offer = new Offer(Map.of("EUR", new BigDecimal("10.00")), null, null, false, null, VALID);
        for (Reward reward : List.of(partner, voucherReward(offer))) {
            RewardIssue.Plan plan = RewardIssue.plan(requested(reward, "EUR"), "c-1", true, "ev-1", "EUR",
                    () -> {
                        throw new AssertionError("no code is drawn for an erased customer");
                    }, "t-1");
            assertThat(plan).isInstanceOfSatisfying(RewardIssue.Refuse.class,
                    refuse -> assertThat(refuse.reason()).isEqualTo(Reason.CUSTOMER_ERASED));
        }
    }

    @Test
    void termsTheVoucherCannotHoldAreNotIssuable() {
        Offer noValidity = new Offer(Map.of("EUR", new BigDecimal("10.00")), null, null, false, null, null);
        assertThat(plan(voucherReward(noValidity), "EUR", false)).isInstanceOfSatisfying(RewardIssue.Refuse.class,
                refuse -> assertThat(refuse.reason()).isEqualTo(Reason.NOT_ISSUABLE));
        Reward nothing = new Reward("r-0", "Nothing", null, 1, null, null, null, null, null, null);
        assertThat(plan(nothing, "EUR", false)).isInstanceOfSatisfying(RewardIssue.Refuse.class,
                refuse -> assertThat(refuse.reason()).isEqualTo(Reason.NOT_ISSUABLE));
    }

    /**
     * Whatever currencies a fixed-value reward is priced in and whatever the customer shops in: a voucher is issued
     * exactly when the customer's currency or the reporting currency has an amount, in the first of the two that has
     * one, for that amount; otherwise the refusal is NOT_ISSUABLE; it never throws.
     */
    @Property(tries = 500)
    void aFixedValueIsIssuedExactlyWhenACurrencyHasAnAmount(@ForAll("pricedIn") Set<String> priced,
                                                          @ForAll("currencies") String customer,
                                                          @ForAll @IntRange(min = 1, max = 500) int amount) {
        Map<String, BigDecimal> value = new HashMap<>();
        priced.forEach(c -> value.put(c, BigDecimal.valueOf(amount)));
        Offer offer = new Offer(value, null, null, false, null, VALID);

        RewardIssue.Plan plan = plan(voucherReward(offer), customer, false);

        String expected = priced.contains(customer) ? customer : priced.contains("EUR") ? "EUR" : null;
        if (expected == null) {
            assertThat(plan).isInstanceOfSatisfying(RewardIssue.Refuse.class,
                    refuse -> assertThat(refuse.reason()).isEqualTo(Reason.NOT_ISSUABLE));
        } else {
            assertThat(plan).isInstanceOfSatisfying(RewardIssue.IssueVoucher.class, issue -> {
                assertThat(issue.voucher().currency()).isEqualTo(expected);
                assertThat(issue.voucher().value()).isEqualByComparingTo(BigDecimal.valueOf(amount));
                assertThat(issue.request().currency()).isEqualTo(expected);
            });
        }
    }

    @Provide
    Arbitrary<Set<String>> pricedIn() {
        return Arbitraries.of("EUR", "USD", "GBP", "CHF").set().ofMinSize(1);
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.of("EUR", "USD", "GBP", "CHF");
    }
}
