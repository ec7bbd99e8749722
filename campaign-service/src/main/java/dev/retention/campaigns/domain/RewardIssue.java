package dev.retention.campaigns.domain;

import dev.retention.contracts.events.RewardIssueFailed.Reason;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;

import java.util.function.Supplier;

/**
 * What campaign-service does with a reward points-service has debited ({@code reward.redemption-requested}): a
 * voucher for the voucher kinds, a code of the reward's pool for a partner reward, or a refusal that points-service
 * compensates. The reward's terms are the copy the event carries, never campaign-service's own programme versions:
 * the customer paid for those terms. The trigger is of type {@code reward}, a service message: no consent, holdout,
 * frequency cap or voucher budget applies (the customer paid in points).
 */
public final class RewardIssue {

    /** Names the trigger for support staff; carries no secret. */
    public static final String VOUCHER_PREFIX = "REWARD";

    private RewardIssue() {
    }

    /** The first step of an issue: refuse, issue a voucher, or claim a code of a pool (which only the store can). */
    public sealed interface Plan permits Refuse, IssueVoucher, ClaimCode {
    }

    /** Nothing is issued; points-service gives the points back. */
    public record Refuse(Reason reason, String detail) implements Plan {
    }

    /** @param request the trigger to log, with the offer and currency the voucher was issued under */
    public record IssueVoucher(TriggerRequest request, IssuedVoucher voucher) implements Plan {
    }

    /** @param request the trigger to log once a code is claimed */
    public record ClaimCode(TriggerRequest request, String poolId) implements Plan {
    }

    /**
     * @param customerId        the customer the redemption is for
     * @param erased            campaign-service has applied the customer's erasure before this request
     * @param sourceEventId     the request's event id
     * @param reportingCurrency the programme's reporting currency: the voucher's currency when the request names none,
     *                          or when a fixed value has no amount in the customer's currency
     * @param code              a fresh voucher code, asked for only when a voucher is issued
     * @param triggerId         the trigger's id ({@code reward} type, derived from the redemption id)
     */
    public static Plan plan(RewardRedemptionRequested redemption, String customerId, boolean erased,
                            String sourceEventId, String reportingCurrency, Supplier<String> code, String triggerId) {
        if (erased) {
            // Not the id: points-service keeps the detail after the erasure has renamed everything else.
            return new Refuse(Reason.CUSTOMER_ERASED, "the customer was erased");
        }
        Reward reward = redemption.reward();
        if (reward == null || reward.kind() == null) {
            return new Refuse(Reason.NOT_ISSUABLE, "reward " + redemption.rewardId() + " has neither voucher nor partner");
        }
        TriggerRequest request = TriggerRequest.of(TriggerType.REWARD, customerId, redemption.redemptionId(),
                "reward " + redemption.rewardId() + " redeemed for " + redemption.points() + " points",
                sourceEventId).at(redemption.requestedAt());
        if (reward.kind() == Reward.Kind.PARTNER) {
            return new ClaimCode(request, reward.partner().poolId());
        }
        String currency = redemption.currency() != null ? redemption.currency() : reportingCurrency;
        VoucherOffer offer;
        try {
            offer = offer(reward.voucher());
        } catch (IllegalArgumentException e) {
            return new Refuse(Reason.NOT_ISSUABLE, "reward " + reward.id() + ": " + e.getMessage());
        }
        if (!offer.valueByCurrency().isEmpty() && !offer.valueByCurrency().containsKey(currency)
                && !offer.valueByCurrency().containsKey(reportingCurrency)) {
            return new Refuse(Reason.NOT_ISSUABLE, "reward " + reward.id() + " has no value in " + currency
                    + " nor in " + reportingCurrency);
        }
        // Valid from the request, not from when this service got to it: the customer's term is the one they paid for.
        IssuedVoucher voucher = offer.issue(code.get(), customerId, triggerId, null, currency, reportingCurrency,
                redemption.requestedAt());
        return new IssueVoucher(request.withOffer(offer, voucher.currency()), voucher);
    }

    /** The voucher of the reward's terms. */
    static VoucherOffer offer(Offer voucher) {
        return new VoucherOffer(voucher.value(), voucher.percentOff(), voucher.freeGiftSku(), voucher.freeShipping(),
                voucher.minimumOrderValue(), voucher.validFor(), voucher.maximumDiscount());
    }
}
