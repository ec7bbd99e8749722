package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A row of the trigger log with what deciding it again needs: the request as it was asked for, what became of it,
 * and the voucher it issued.
 *
 * @param voucherCurrency the currency its offer was asked in (null in rows logged before it was recorded)
 * @param businessTime    the time it was decided by: its programme version, its cap window, its budget month (every
 *                        stored row has one since V6; null only where a caller has none, then {@code firedAt})
 * @param firedAt         when it was decided (the transaction's time): the order of deciding, and its voucher's
 *                        validity starts then
 * @param voucher         the voucher it issued, or null
 */
public record PastTrigger(String triggerId, TriggerType type, String dedupeKey, String customerId, String campaignId,
                          TriggerOutcome outcome, String reason, String sourceEventId, String orderId,
                          String voucherCurrency, Instant businessTime, Instant firedAt, IssuedVoucher voucher) {

    /** The wire name as stored ({@code delay-apology}) back to the type. */
    public static TriggerType type(String wireName) {
        return TriggerType.valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The time it was decided by: its business time, else when it was decided. */
    public Instant decidedUnder() {
        return businessTime != null ? businessTime : firedAt;
    }

    /** A segment offer keeps its campaign's own offer: it is not a setting of the programme. */
    public boolean segmentOffer() {
        return type == TriggerType.SEGMENT_OFFER || campaignId != null;
    }

    /** The request asked for again, with the offer and currency given. */
    public TriggerRequest request(VoucherOffer offer, String currency) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer,
                currency, Map.of(), businessTime);
    }

    /** A win-back trigger's step (1-based): the last part of its dedupe key {@code customer:lastOrderAt:step}. */
    public int winBackStep() {
        return Integer.parseInt(dedupeKey.substring(dedupeKey.lastIndexOf(':') + 1));
    }

    /** A cart reminder's step (1-based): the last part of its dedupe key {@code cartId:step}. */
    public int cartReminderStep() {
        return winBackStep();
    }
}
