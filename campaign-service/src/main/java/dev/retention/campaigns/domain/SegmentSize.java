package dev.retention.campaigns.domain;

/**
 * How many customers a segment offer started now would reach: the segment's members less those the guards would
 * withhold it from, in the guards' order ({@link TriggerGuards#decide}). A campaign's {@code maxVouchers} and the
 * monthly voucher budget may stop it earlier; they depend on the offer, which a segment does not have.
 *
 * @param inSegment      members of the segment
 * @param withoutConsent members without marketing consent (erased customers among them: erasure withdraws it)
 * @param heldOut        consenting members in the holdout group
 * @param capped         consenting members outside the holdout group who reached the frequency cap
 */
public record SegmentSize(long inSegment, long withoutConsent, long heldOut, long capped) {

    public SegmentSize {
        if (withoutConsent + heldOut + capped > inSegment) {
            throw new IllegalArgumentException("more customers withheld than in the segment");
        }
    }

    /** The customers the offer would reach. */
    public long reached() {
        return inSegment - withoutConsent - heldOut - capped;
    }
}
