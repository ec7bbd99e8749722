package dev.retention.campaigns.domain;

/** What became of a trigger: only {@code FIRED} issues a voucher and an event; every outcome is recorded. */
public enum TriggerOutcome {
    FIRED,
    /** The customer is in the holdout group: nothing sent, recorded so that uplift can be measured. */
    HELD_OUT,
    /** The per-customer frequency cap across campaigns was reached. */
    CAPPED,
    /** A marketing trigger for a customer without marketing consent (or without a known profile). */
    NO_CONSENT,
    /** The campaign's budget is spent. */
    OVER_BUDGET,
    /**
     * The programme's monthly voucher budget (guards.monthlyVoucherBudget) would be exceeded by this voucher: nothing
     * issued nor sent, recorded.
     */
    MONTHLY_BUDGET_SPENT
}
