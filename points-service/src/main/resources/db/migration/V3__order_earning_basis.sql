-- What an order's earning was computed from, so that a tier change that arrives after the order (orders and tiers
-- come on different topics) can re-rate it to the tier in force when it was placed: the eligible value times the
-- points per unit, before the tier multiplier, and the tier it was multiplied by (null: none, 1x). Orders placed
-- before this version have no basis and keep their points.
ALTER TABLE points_order ADD COLUMN earning_base NUMERIC, ADD COLUMN earning_tier TEXT;
