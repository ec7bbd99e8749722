-- What an order's earning was computed from, beyond the columns above (docs/programme.md, "Simulation"): the channel,
-- the value paid with points, the tier the earning rules judged, whether it was the customer's first order, and each
-- line's SKU, category and total, as compact JSON. Written once, in the batch statement that stores the placed order,
-- and read only by a simulation; plain text, so the hot path pays no JSON parsing in PostgreSQL. Orders placed before
-- this version have none.
ALTER TABLE points_order ADD COLUMN earning_facts TEXT;
