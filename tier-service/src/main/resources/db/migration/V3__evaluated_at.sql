-- Issue 32: a customer is evaluated at business times (an order's placedAt, a due time), not at the service's clock.
-- evaluated_at is the time of the customer's last evaluation: a later event is never evaluated before it (time does
-- not run backwards for a customer) and a due time the programme sweep set before it is evaluated at it. NULL for
-- statuses last evaluated before this migration: their events are evaluated at their own business time.
ALTER TABLE tier_status ADD COLUMN evaluated_at TIMESTAMPTZ;
