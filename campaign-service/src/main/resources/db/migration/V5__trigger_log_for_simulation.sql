-- Issue 32, programme simulation: what a trigger needs to be decided again, written when it is logged.
--   business_time:    the time whose programme version decided it (the event's own time, or the due time a job
--                     evaluated); null for a segment offer (decided under the version in force when it was issued)
--   voucher_currency: the currency its voucher is (or would have been) issued in: the order's for a delay apology,
--                     the reporting currency otherwise; null without an offer
--   batch_position:   its place among the triggers decided in the same transaction (same fired_at), which is the
--                     order the frequency cap and the monthly budget counted them in
-- Rows logged before this migration have none of them: the simulation takes fired_at as their business time, the
-- voucher's currency (or the reporting currency when no voucher was issued) and orders them by trigger id within
-- one fired_at (docs/programme.md, "Simulation").
ALTER TABLE trigger_log ADD COLUMN business_time timestamptz;
ALTER TABLE trigger_log ADD COLUMN voucher_currency text;
ALTER TABLE trigger_log ADD COLUMN batch_position integer;
-- The simulation reads a period of the log in fired_at order, with one cursor.
CREATE INDEX trigger_log_fired_at ON trigger_log (fired_at);
