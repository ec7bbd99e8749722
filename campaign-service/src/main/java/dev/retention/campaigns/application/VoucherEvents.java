package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.VoucherRefusedException;
import dev.retention.campaigns.persistence.TriggerStore.CheckoutVoucher;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The checkout's events. Their ids derive from the order and the (normalized) code, so the order path and the API,
 * a replayed order and a relay retry all give the same id for the same redemption, rejection or release. An API
 * refusal is not an order's rejection: its id names the API and the reason too.
 */
final class VoucherEvents {

    private VoucherEvents() {
    }

    static EventEnvelope<VoucherRedeemed> redeemed(CheckoutVoucher locked, IssuedVoucher redeemed,
                                                   VoucherRedeemed.Source source, Money orderValue,
                                                   BigDecimal discount) {
        VoucherRedeemed data = new VoucherRedeemed(redeemed.code(), redeemed.triggerId(), locked.triggerType(),
                redeemed.campaignId(), redeemed.redeemedOrderId(), source, orderValue,
                discount == null ? null : new Money(discount, orderValue.currency()), redeemed.redeemedAt());
        return EventEnvelope.of(id(redeemed.redeemedOrderId(), redeemed.code(), "voucher.redeemed"),
                TriggerIssuer.SOURCE, redeemed.redeemedAt(), redeemed.customerId(), data);
    }

    /** An order used a code that was not applied. @param codeAsSent as the shop sent it; the id uses it normalized */
    static EventEnvelope<VoucherRejected> rejected(String customerId, String codeAsSent, String orderId,
                                                   VoucherRefusedException.Reason reason, String detail,
                                                   String redeemedOrderId, Instant at) {
        VoucherRejected data = new VoucherRejected(codeAsSent, orderId, VoucherRejected.Reason.valueOf(reason.name()),
                detail, redeemedOrderId, at, VoucherRejected.Source.ORDER);
        return EventEnvelope.of(id(orderId, IssuedVoucher.normalize(codeAsSent), "voucher.rejected"),
                TriggerIssuer.SOURCE, at, customerId, data);
    }

    /**
     * The redemption API refused a code. The id derives from the order, the normalized code and the reason: a
     * retried request gives the same id (published once), and it differs from an order's rejection of that code,
     * which is another fact (the shop placed the order with a code the API had refused).
     */
    static EventEnvelope<VoucherRejected> rejectedByApi(String customerId, String codeAsSent, String orderId,
                                                        VoucherRefusedException refusal, String redeemedOrderId,
                                                        Instant at) {
        // The code is in its own field; the answer's message for an unknown code quotes it, the event does not twice.
        String detail = refusal.reason() == VoucherRefusedException.Reason.UNKNOWN_VOUCHER
                ? "no voucher with this code for this customer" : refusal.getMessage();
        VoucherRejected data = new VoucherRejected(codeAsSent, orderId,
                VoucherRejected.Reason.valueOf(refusal.reason().name()), detail, redeemedOrderId, at,
                VoucherRejected.Source.API);
        return EventEnvelope.of(id(orderId, IssuedVoucher.normalize(codeAsSent),
                "voucher.rejected.api." + refusal.reason().name()), TriggerIssuer.SOURCE, at, customerId, data);
    }

    /** @param redeemed the voucher before its release: the order that redeemed it */
    static EventEnvelope<VoucherReleased> released(IssuedVoucher redeemed, Instant at) {
        VoucherReleased data = new VoucherReleased(redeemed.code(), redeemed.triggerId(), redeemed.redeemedOrderId(),
                at);
        return EventEnvelope.of(id(redeemed.redeemedOrderId(), redeemed.code(), "voucher.released"),
                TriggerIssuer.SOURCE, at, redeemed.customerId(), data);
    }

    private static String id(String orderId, String code, String purpose) {
        return EventIds.derive(orderId + "\u0000" + code, purpose);
    }
}
