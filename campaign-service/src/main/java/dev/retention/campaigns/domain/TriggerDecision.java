package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What becomes of one trigger asked for, under the programme version that decides it: the guards (consent, holdout,
 * frequency cap), a segment campaign's own voucher budget, the voucher its offer gives and the monthly voucher
 * budget. The live path ({@code TriggerIssuer}) and the simulation ({@link CampaignSimulator}) both decide through
 * here, so a simulation cannot drift from what the service does.
 *
 * @param voucher   the voucher issued, null unless {@code FIRED} with an offer
 * @param faceValue what the voucher counts against the monthly voucher budget (0 without a voucher)
 */
public record TriggerDecision(TriggerOutcome outcome, IssuedVoucher voucher, BigDecimal faceValue) {

    /**
     * @param programme          the version in force at the request's business time
     * @param consent            the customer gave marketing consent on at least one channel
     * @param firedInWindow      marketing triggers fired for the customer within the cap window, this one excluded
     * @param campaignBudgetLeft a segment campaign may still issue a voucher ({@code maxVouchers})
     * @param spentThisMonth     face value issued in the budget's month so far, in the reporting currency
     * @param code               the voucher's code, asked for only when a voucher is issued
     * @param triggerId          the trigger's id, which the voucher names
     * @param now                when it is issued: the voucher's validity starts then
     */
    public static TriggerDecision decide(CampaignProgramme programme, TriggerRequest request, boolean consent,
                                         int firedInWindow, boolean campaignBudgetLeft, BigDecimal spentThisMonth,
                                         Supplier<String> code, String triggerId, Instant now) {
        TriggerGuards guards = programme.guards();
        TriggerOutcome outcome = guards.decide(request, consent, firedInWindow);
        if (outcome != TriggerOutcome.FIRED || request.offer() == null) {
            return new TriggerDecision(outcome, null, BigDecimal.ZERO);
        }
        if (!campaignBudgetLeft) {
            return new TriggerDecision(TriggerOutcome.OVER_BUDGET, null, BigDecimal.ZERO);
        }
        IssuedVoucher voucher = request.offer().issue(code.get(), request.customerId(), triggerId,
                request.campaignId(), request.currency(), programme.policy().baseCurrency(), now);
        BigDecimal faceValue = programme.policy().faceValue(voucher);
        if (!guards.withinBudget(spentThisMonth, faceValue)) {
            return new TriggerDecision(TriggerOutcome.MONTHLY_BUDGET_SPENT, null, BigDecimal.ZERO);
        }
        return new TriggerDecision(TriggerOutcome.FIRED, voucher, faceValue);
    }

    /** A marketing trigger that fired counts against the customer's frequency cap. */
    public boolean countsAgainstCap(TriggerRequest request) {
        return outcome == TriggerOutcome.FIRED && request.marketing();
    }
}
