-- Earning rules (docs/programme.md, "Earning rules").
-- What the earning rules gave an order before the tier multiplier: a late tier change re-rates base and rules alike.
ALTER TABLE points_order ADD COLUMN rule_points BIGINT NOT NULL DEFAULT 0;
-- Each entry's breakdown as a JSON array of {"ruleId", "points"} (the base rate, each earning rule that applied, the
-- tier's part), summing to the entry's points; null for entries with a single cause (named by rule). Written once with
-- the entry and only read back with it, so plain text holding JSON.
ALTER TABLE points_ledger ADD COLUMN rules TEXT;
-- Points each earning rule has given each customer per calendar period (in the programme's time zone), for the rules'
-- per-customer caps. Written in the same transaction as the order's earning, under the customer's account lock.
CREATE TABLE points_rule_usage (
    customer_id  TEXT   NOT NULL,
    rule_id      TEXT   NOT NULL,
    period       TEXT   NOT NULL,
    period_start DATE   NOT NULL,
    points       BIGINT NOT NULL CHECK (points >= 0),
    PRIMARY KEY (customer_id, rule_id, period, period_start)
);
