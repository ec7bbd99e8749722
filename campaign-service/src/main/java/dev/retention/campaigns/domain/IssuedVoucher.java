package dev.retention.campaigns.domain;

import dev.retention.campaigns.domain.VoucherRefusedException.Reason;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.Voucher;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;

/** A voucher as campaign-service keeps it: its terms, whom it belongs to, and whether it has been used. */
public record IssuedVoucher(
        String code,
        String customerId,
        String triggerId,
        String campaignId,
        BigDecimal value,
        BigDecimal percentOff,
        String freeGiftSku,
        String currency,
        BigDecimal minimumOrderValue,
        boolean freeShipping,
        Instant issuedAt,
        Instant expiresAt,
        Instant redeemedAt,
        String redeemedOrderId,
        BigDecimal maximumDiscount) {

    /**
     * What the voucher gives a basket, or why it gives nothing: a dry run that changes nothing.
     *
     * @param refusal    null when the voucher applies
     * @param discount   off the merchandise: a fixed value up to the merchandise value, or the percentage of it
     *                   rounded half up to the currency's minor units and capped by {@code maximumDiscount} (and by
     *                   the merchandise value); null for free shipping and free gift vouchers
     * @param shippingDiscount the shipping it takes off (all of it with free shipping), null when no shipping was given
     */
    public record Evaluation(Reason refusal, String detail, BigDecimal discount, boolean freeShipping,
                             BigDecimal shippingDiscount, String freeGiftSku) {

        public boolean valid() {
            return refusal == null;
        }

        static Evaluation refused(Reason reason, String detail) {
            return new Evaluation(reason, detail, null, false, null, null);
        }
    }

    /**
     * Evaluates it for a customer's basket at {@code at}: {@code merchandise} is the value of the goods before any
     * voucher (what the minimum order value and a percentage apply to), {@code shipping} (may be null) the shipping
     * charged. A voucher belongs to one customer: for anyone else it does not exist, so that codes cannot be probed.
     * The checks in order: owner, already redeemed, expired (at or after {@code expiresAt}), currency, minimum.
     */
    public Evaluation evaluate(String byCustomer, Money merchandise, BigDecimal shipping, Instant at) {
        if (!customerId.equals(byCustomer)) {
            return Evaluation.refused(Reason.UNKNOWN_VOUCHER, "no voucher " + code + " for this customer");
        }
        if (redeemedAt != null) {
            return Evaluation.refused(Reason.ALREADY_REDEEMED,
                    "voucher " + code + " was redeemed for order " + redeemedOrderId);
        }
        if (!at.isBefore(expiresAt)) {
            return Evaluation.refused(Reason.EXPIRED, "voucher " + code + " expired at " + expiresAt);
        }
        if (currency != null && !currency.equals(merchandise.currency())) {
            return Evaluation.refused(Reason.CURRENCY_MISMATCH,
                    "voucher " + code + " is in " + currency + ", the order in " + merchandise.currency());
        }
        if (minimumOrderValue != null && merchandise.amount().compareTo(minimumOrderValue) < 0) {
            return Evaluation.refused(Reason.MINIMUM_ORDER_VALUE, "voucher " + code + " needs an order of at least "
                    + minimumOrderValue.toPlainString() + " " + currency);
        }
        BigDecimal shippingDiscount = shipping == null ? null : freeShipping ? shipping : BigDecimal.ZERO;
        return new Evaluation(null, null, discount(merchandise), freeShipping, shippingDiscount, freeGiftSku);
    }

    /** Off the merchandise; never negative, never above the merchandise value, never above the ceiling. */
    private BigDecimal discount(Money merchandise) {
        BigDecimal base = merchandise.amount().max(BigDecimal.ZERO);
        BigDecimal discount;
        if (value != null) {
            discount = value;
        } else if (percentOff != null) {
            int minorUnits = Math.max(0, Currency.getInstance(merchandise.currency()).getDefaultFractionDigits());
            discount = base.multiply(percentOff).movePointLeft(2).setScale(minorUnits, RoundingMode.HALF_UP);
            if (maximumDiscount != null) {
                discount = discount.min(maximumDiscount);
            }
        } else {
            return null; // free shipping or a free gift: nothing off the goods
        }
        // An amount finer than the minor units (up to 4 decimals are admitted) could round above the goods.
        return discount.min(base);
    }

    /**
     * Redeems it for an order at {@code now}. Redeeming again for the same order is answered with the same
     * redemption (a retried checkout, a replayed order), for another order it is refused; otherwise as
     * {@link #evaluate}, which throws the refusal here.
     */
    public IssuedVoucher redeem(String byCustomer, String orderId, Money orderValue, Instant now) {
        if (redeemedAt != null && customerId.equals(byCustomer) && redeemedOrderId.equals(orderId)) {
            return this;
        }
        Evaluation evaluation = evaluate(byCustomer, orderValue, null, now);
        if (!evaluation.valid()) {
            throw new VoucherRefusedException(evaluation.refusal(), evaluation.detail());
        }
        return new IssuedVoucher(code, customerId, triggerId, campaignId, value, percentOff, freeGiftSku, currency,
                minimumOrderValue, freeShipping, issuedAt, expiresAt, now, orderId, maximumDiscount);
    }

    /**
     * Unused again: the order that redeemed it was cancelled. Its expiry stays: an expired voucher is released too,
     * it just cannot be used any more.
     */
    public IssuedVoucher release() {
        return new IssuedVoucher(code, customerId, triggerId, campaignId, value, percentOff, freeGiftSku, currency,
                minimumOrderValue, freeShipping, issuedAt, expiresAt, null, null, maximumDiscount);
    }

    /** A code as a customer typed it, as codes are stored: without surrounding blanks, in upper case. */
    public static String normalize(String code) {
        return code.strip().toUpperCase(java.util.Locale.ROOT);
    }

    public boolean redeemed() {
        return redeemedAt != null;
    }

    /** The voucher as it travels on {@code retention.triggers}. */
    public Voucher toEvent() {
        return new Voucher(code, value == null ? null : new Money(value, currency), percentOff, freeGiftSku,
                freeShipping, minimumOrderValue == null ? null : new Money(minimumOrderValue, currency), expiresAt,
                maximumDiscount == null ? null : new Money(maximumDiscount, currency));
    }
}
