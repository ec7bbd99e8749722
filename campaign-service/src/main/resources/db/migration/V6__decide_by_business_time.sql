-- Triggers are decided by their business time (docs/programme.md, "Triggers and guards"): the frequency cap counts a
-- customer's fired marketing triggers whose business_time lies in the window ending at the new trigger's, the
-- monthly voucher budget spends in the month of the business time, and the simulation selects a period by it.
-- fired_at stays the processing time (when it was decided and sent, shown by the API and the notifications).
--
-- Rows logged before V5, and segment offers logged before this migration, have no business time: they were decided
-- at fired_at under the version in force then, so that is their business time (the simulation took it so already).
UPDATE trigger_log SET business_time = fired_at WHERE business_time IS NULL;
-- Every trigger carries one from now on (segment offers: the moment they are issued).
ALTER TABLE trigger_log ALTER COLUMN business_time SET NOT NULL;

-- The cap's question: a customer's fired marketing triggers with business times in a window.
CREATE INDEX trigger_log_fired_marketing ON trigger_log (customer_id, business_time)
    WHERE marketing AND outcome = 'FIRED';
-- The simulation's period, and the history before it, by business time; nothing reads a range of fired_at any more.
CREATE INDEX trigger_log_business_time ON trigger_log (business_time);
DROP INDEX trigger_log_fired_at;
