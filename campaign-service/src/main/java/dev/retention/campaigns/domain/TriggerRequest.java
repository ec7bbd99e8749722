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
        java.time.Instant businessTime) {

    public TriggerRequest {
        attributes = Map.copyOf(attributes);
    }

    public static TriggerRequest of(TriggerType type, String customerId, String dedupeKey, String reason,
                                    String sourceEventId) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, null, null, null, null,
                Map.of(), null);
    }

    public TriggerRequest withOrder(String order) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, order, campaignId, offer,
                currency, attributes, businessTime);
    }

    public TriggerRequest withOffer(VoucherOffer voucherOffer, String voucherCurrency) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId,
                voucherOffer, voucherCurrency, attributes, businessTime);
    }

    public TriggerRequest withCampaign(String campaign) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaign, offer,
                currency, attributes, businessTime);
    }

    public TriggerRequest with(Map<String, String> more) {
        Map<String, String> merged = new java.util.TreeMap<>(attributes);
        merged.putAll(more);
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer,
                currency, merged, businessTime);
    }

    /** Decided under the programme version in force at {@code time}. */
    public TriggerRequest at(java.time.Instant time) {
        return new TriggerRequest(type, customerId, dedupeKey, reason, sourceEventId, orderId, campaignId, offer,
                currency, attributes, time);
    }

    /** Marketing triggers pass the guards (consent, holdout, frequency cap); service messages do not. */
    public boolean marketing() {
        return TriggerGuards.isMarketing(type);
    }
}
