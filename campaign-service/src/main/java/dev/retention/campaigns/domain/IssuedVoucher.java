package dev.retention.campaigns.domain;

import dev.retention.campaigns.domain.VoucherRefusedException.Reason;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.Voucher;

import java.math.BigDecimal;
import java.time.Instant;

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
     * Redeems it for an order. A voucher belongs to one customer: for anyone else it does not exist, so that codes
     * cannot be probed. Redeeming again for the same order is answered with the same redemption (a retried
     * checkout), for another order it is refused.
     */
    public IssuedVoucher redeem(String byCustomer, String orderId, Money orderValue, Instant now) {
        if (!customerId.equals(byCustomer)) {
            throw new VoucherRefusedException(Reason.UNKNOWN_VOUCHER, "no voucher " + code + " for this customer");
        }
        if (redeemedAt != null) {
            if (redeemedOrderId.equals(orderId)) {
                return this;
            }
            throw new VoucherRefusedException(Reason.ALREADY_REDEEMED,
                    "voucher " + code + " was redeemed for order " + redeemedOrderId);
        }
        if (!now.isBefore(expiresAt)) {
            throw new VoucherRefusedException(Reason.EXPIRED, "voucher " + code + " expired at " + expiresAt);
        }
        if (currency != null && !currency.equals(orderValue.currency())) {
            throw new VoucherRefusedException(Reason.CURRENCY_MISMATCH,
                    "voucher " + code + " is in " + currency + ", the order in " + orderValue.currency());
        }
        if (minimumOrderValue != null && orderValue.amount().compareTo(minimumOrderValue) < 0) {
            throw new VoucherRefusedException(Reason.MINIMUM_ORDER_VALUE, "voucher " + code + " needs an order of at least "
                    + minimumOrderValue.toPlainString() + " " + currency);
        }
        return new IssuedVoucher(code, customerId, triggerId, campaignId, value, percentOff, freeGiftSku, currency,
                minimumOrderValue, freeShipping, issuedAt, expiresAt, now, orderId, maximumDiscount);
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
