package dev.retention.contracts.programme.simulation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * campaign-service's answer: the triggers asked for in the period decided again, and the vouchers they issue.
 *
 * @param triggers          triggers asked for in the period
 * @param customersAffected customers whose vouchers differ (count or face value) between the two sides
 * @param topChanges        the customers whose vouchers' face value differs most
 */
public record CampaignSimulation(long triggers, CampaignFigures inForce, CampaignFigures draft,
                                 long customersAffected, List<CustomerVouchers> topChanges) {

    /** @param byTrigger by trigger type (as on {@code campaign.triggered}) */
    public record CampaignFigures(Map<String, TriggerFigures> byTrigger) {
    }

    /**
     * @param faceValue the fixed-value vouchers' total by currency; a percentage voucher has no face value of its own
     *                  and counts in {@code percentageVouchers}
     */
    public record TriggerFigures(long fired, long heldOut, long capped, long noConsent, long overBudget,
                                 long vouchers, long percentageVouchers, Map<String, BigDecimal> faceValue) {
    }

    /** @param faceValueInForce in the reporting currency */
    public record CustomerVouchers(String customerId, long vouchersInForce, long vouchersDraft,
                                   BigDecimal faceValueInForce, BigDecimal faceValueDraft) {
    }
}
