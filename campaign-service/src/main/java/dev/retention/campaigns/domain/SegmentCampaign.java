package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;

import java.time.Duration;
import java.time.Instant;

/**
 * A scheduled offer to a segment: between {@code startsAt} and {@code endsAt} every customer of the segment gets
 * the offer once (subject to the guards), until {@code maxVouchers} (the budget) are issued.
 */
public record SegmentCampaign(
        String campaignId,
        String name,
        Instant startsAt,
        Instant endsAt,
        Segment segment,
        VoucherOffer offer,
        Integer maxVouchers,
        int issued,
        Status status,
        String cursor) {

    public enum Status { ACTIVE, COMPLETED, CANCELLED }

    public SegmentCampaign {
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt");
        }
        if (maxVouchers != null && maxVouchers < 1) {
            throw new IllegalArgumentException("maxVouchers must be at least 1");
        }
        if (offer.valueByCurrency().size() > 1) {
            throw new IllegalArgumentException("a segment offer has a value in one currency");
        }
    }

    public boolean running(Instant now) {
        return status == Status.ACTIVE && !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    public int budgetLeft() {
        return maxVouchers == null ? Integer.MAX_VALUE : maxVouchers - issued;
    }

    /** The voucher currency: the value's, else the minimum order value's, else the base currency. */
    public String currency(String baseCurrency) {
        if (!offer.valueByCurrency().isEmpty()) {
            return offer.valueByCurrency().keySet().iterator().next();
        }
        return offer.minimumOrderValue().isEmpty() ? baseCurrency
                : offer.minimumOrderValue().keySet().iterator().next();
    }

    /** The offer for a customer reached at {@code now}: never valid beyond the campaign's end. */
    public TriggerRequest requestFor(String customerId, String baseCurrency, Instant now) {
        Duration untilEnd = Duration.between(now, endsAt);
        VoucherOffer bounded = offer.validFor().compareTo(untilEnd) <= 0 ? offer
                : new VoucherOffer(offer.valueByCurrency(), offer.percentOff(), offer.freeGiftSku(),
                        offer.freeShipping(), offer.minimumOrderValue(), untilEnd);
        return TriggerRequest.of(TriggerType.SEGMENT_OFFER, customerId,
                        campaignId + ":" + customerId, "segment offer '" + name + "'", campaignId)
                .withCampaign(campaignId).withOffer(bounded, currency(baseCurrency))
                .at(now); // its business time is the moment the campaign reaches the customer
    }
}
