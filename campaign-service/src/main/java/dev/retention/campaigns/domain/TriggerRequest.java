package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;

import java.util.Map;

/**
 * A rule wants to act for a customer. {@code dedupeKey} makes it once-only: one delay apology per order, one
 * birthday offer per year, and so on. {@code offer} is null for triggers without a voucher; {@code currency} is the
 * voucher's currency when the offer has amounts per currency. {@code businessTime} is the time the trigger is
 * decided by (the event's own time, the due time a job evaluated, the moment a segment offer is made): the version
 * in force then, the frequency cap window ending then and the budget month holding it. The rules ask for requests
 * without one ({@link #of}) and {@link CampaignRules} sets it ({@link #at}); the issuer refuses a request without it.
 * {@code cart} is set on cart reminders only: the cart and its lines, which the trigger carries to the message.
 */
public record TriggerRequest(
        TriggerType type,
        String customerId,
        String dedupeKey,
        String reason,
        String sourceEventId,
        String orderId,
        String campaignId,
        VoucherOffer offer,
        String currency,
        Map<String, String> attributes,
        java.time.Instant businessTime,
        dev.retention.contracts.events.CartContents cart) {

    public TriggerRequest {
        attributes = Map.copyOf(attributes);
    }

    /** About no cart. */
    public TriggerRequest(TriggerType type, String customerId, String dedupeKey, String reason, String sourceEventId,
                          String orderId, String campaignId, VoucherOffer offer, String currency,
                          Map<String, String> attributes, java.time.Instant businessTime) {
        this(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer, currency, attributes,
                businessTime, null);
    }

    /** A cart reminder's cart. */
    public TriggerRequest withCart(dev.retention.contracts.events.CartContents contents) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer,
                currency, attributes, businessTime, contents);
    }

    public static TriggerRequest of(TriggerType type, String customerId, String dedupeKey, String reason,
                                    String sourceEventId) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, null, null, null, null,
                Map.of(), null);
    }

    public TriggerRequest withOrder(String order) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, order, campaignId, offer,
                currency, attributes, businessTime, cart);
    }

    public TriggerRequest withOffer(VoucherOffer voucherOffer, String voucherCurrency) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId,
                voucherOffer, voucherCurrency, attributes, businessTime, cart);
    }

    public TriggerRequest withCampaign(String campaign) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaign, offer,
                currency, attributes, businessTime, cart);
    }

    public TriggerRequest with(Map<String, String> more) {
        Map<String, String> merged = new java.util.TreeMap<>(attributes);
        merged.putAll(more);
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer,
                currency, merged, businessTime, cart);
    }

    /** Decided under the programme version in force at {@code time}. */
    public TriggerRequest at(java.time.Instant time) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer,
                currency, attributes, time, cart);
    }

    /** Marketing triggers pass the guards (consent, holdout, frequency cap); service messages do not. */
    public boolean marketing() {
        return TriggerGuards.isMarketing(type);
    }
}
