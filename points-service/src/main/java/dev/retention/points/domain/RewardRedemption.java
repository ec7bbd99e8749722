package dev.retention.points.domain;

import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.RewardIssueFailed;

import java.time.Instant;

/**
 * One redemption of a reward, as points-service tracks it through the saga: REQUESTED when the points are debited,
 * then ISSUED when campaign-service issued the reward, or REFUNDED (with campaign-service's reason) when it could
 * not and the points came back. Settled once: a later outcome for a settled redemption changes nothing.
 *
 * @param entryId     the debit's ledger entry
 * @param requestedBy who redeemed on the customer's behalf (the staff token's subject, e.g. a support agent on the
 *                    hotline); null: the customer, through the storefront. Null rather than the customer's id, so
 *                    an erasure has nothing more to rename.
 */
public record RewardRedemption(String redemptionId, String customerId, String rewardId, String rewardName,
                               long points, String entryId, int programmeVersion, String currency,
                               String requestedBy, Status status,
                               String reason, String detail, String triggerId, String voucherCode,
                               Instant requestedAt, Instant settledAt) {

    public enum Status { REQUESTED, ISSUED, REFUNDED }

    /** The same customer's key gives the same id on every retry (and the cause of its ledger entry). */
    public static String idFor(String requestCause) {
        return EventIds.derive(requestCause, "reward.redemption");
    }

    public static RewardRedemption requested(String redemptionId, String customerId, String rewardId,
                                             String rewardName, long points, String entryId, int programmeVersion,
                                             String currency, String requestedBy, Instant at) {
        return new RewardRedemption(redemptionId, customerId, rewardId, rewardName, points, entryId,
                programmeVersion, currency, requestedBy, Status.REQUESTED, null, null, null, null, at, null);
    }

    public boolean isSettled() {
        return status != Status.REQUESTED;
    }

    public RewardRedemption issued(String triggerId, String voucherCode, Instant at) {
        return new RewardRedemption(redemptionId, customerId, rewardId, rewardName, points, entryId,
                programmeVersion, currency, requestedBy, Status.ISSUED, null, null, triggerId, voucherCode, requestedAt, at);
    }

    public RewardRedemption refunded(RewardIssueFailed.Reason why, String whyInDetail, Instant at) {
        return new RewardRedemption(redemptionId, customerId, rewardId, rewardName, points, entryId,
                programmeVersion, currency, requestedBy, Status.REFUNDED, why == null ? null : why.name(), whyInDetail, null, null,
                requestedAt, at);
    }
}
