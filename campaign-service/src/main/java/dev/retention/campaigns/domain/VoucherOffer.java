package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a trigger gives: a fixed value (an amount per currency), a percentage (optionally with a ceiling per currency)
 * or a free gift, or none of them with free shipping (a free-shipping voucher); optionally free shipping and a
 * minimum order value (per currency); valid for a period from issue.
 */
public record VoucherOffer(
        Map<String, BigDecimal> valueByCurrency,
        BigDecimal percentOff,
        String freeGiftSku,
        boolean freeShipping,
        Map<String, BigDecimal> minimumOrderValue,
        Duration validFor,
        Map<String, BigDecimal> maximumDiscount) {

    /** An offer without a ceiling. */
    public VoucherOffer(Map<String, BigDecimal> valueByCurrency, BigDecimal percentOff, String freeGiftSku,
                        boolean freeShipping, Map<String, BigDecimal> minimumOrderValue, Duration validFor) {
        this(valueByCurrency, percentOff, freeGiftSku, freeShipping, minimumOrderValue, validFor, Map.of());
    }

    public VoucherOffer {
        valueByCurrency = Map.copyOf(valueByCurrency);
        minimumOrderValue = Map.copyOf(minimumOrderValue);
        maximumDiscount = maximumDiscount == null ? Map.of() : Map.copyOf(maximumDiscount);
        int kinds = (valueByCurrency.isEmpty() ? 0 : 1) + (percentOff == null ? 0 : 1) + (freeGiftSku == null ? 0 : 1);
        if (kinds > 1 || kinds == 0 && !freeShipping) {
            throw new IllegalArgumentException(
                    "an offer is one of a value, a percentage and a free gift, or free shipping alone");
        }
        if (percentOff != null && (percentOff.signum() <= 0 || percentOff.compareTo(new BigDecimal("100")) > 0)) {
            throw new IllegalArgumentException("percentOff must be above 0 and at most 100, was " + percentOff);
        }
        valueByCurrency.forEach((currency, value) -> {
            if (value.signum() <= 0) {
                throw new IllegalArgumentException("voucher value for " + currency + " must be positive");
            }
        });
        if (validFor == null || validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("validFor must be positive");
        }
    }

    /**
     * The voucher for a customer paying in {@code currency}; a value offer without an amount for that currency
     * falls back to {@code fallbackCurrency}.
     */
    public IssuedVoucher issue(String code, String customerId, String triggerId, String campaignId, String currency,
                               String fallbackCurrency, Instant now) {
        String voucherCurrency = currency;
        if (!valueByCurrency.isEmpty() && !valueByCurrency.containsKey(currency)) {
            voucherCurrency = fallbackCurrency;
        }
        BigDecimal value = valueByCurrency.isEmpty() ? null : valueByCurrency.get(voucherCurrency);
        if (!valueByCurrency.isEmpty() && value == null) {
            throw new IllegalStateException("offer has no value for " + currency + " nor for " + fallbackCurrency);
        }
        return new IssuedVoucher(code, customerId, triggerId, campaignId, value, percentOff, freeGiftSku,
                voucherCurrency, minimumOrderValue.get(voucherCurrency), freeShipping, now, now.plus(validFor),
                null, null, percentOff == null ? null : maximumDiscount.get(voucherCurrency));
    }
}
