package dev.retention.campaigns.domain;

/** A redemption the voucher's terms do not allow; {@code code} names the rule for API clients. */
public class VoucherRefusedException extends RuntimeException {

    public enum Reason { UNKNOWN_VOUCHER, ALREADY_REDEEMED, EXPIRED, MINIMUM_ORDER_VALUE, CURRENCY_MISMATCH }

    private final Reason reason;

    public VoucherRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
