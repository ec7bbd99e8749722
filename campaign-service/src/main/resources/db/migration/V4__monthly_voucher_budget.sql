-- Issue 32: the programme's monthly voucher budget (guards.monthlyVoucherBudget). A trigger whose voucher would
-- exceed it is recorded with the outcome MONTHLY_BUDGET_SPENT.
ALTER TABLE trigger_log DROP CONSTRAINT trigger_log_outcome_check;
ALTER TABLE trigger_log ADD CONSTRAINT trigger_log_outcome_check
    CHECK (outcome IN ('FIRED', 'HELD_OUT', 'CAPPED', 'NO_CONSENT', 'OVER_BUDGET', 'MONTHLY_BUDGET_SPENT'));

-- The face value of the vouchers issued per calendar month (in the programme's time zone), in the reporting
-- currency: counted whether a budget is set or not, so that a budget introduced mid-month counts the month's vouchers
-- issued since this table exists. Where a budget applies, a transaction that may issue vouchers locks its month's row
-- before deciding, until it commits, so two transactions never both spend the last of a budget.
CREATE TABLE voucher_budget_month (
    month  date          PRIMARY KEY,
    spent  numeric(19, 4) NOT NULL DEFAULT 0
);
