-- A stand-in for a service's own table: one row per applied order event.
CREATE TABLE test_ledger (
    event_id    TEXT    PRIMARY KEY,
    customer_id TEXT    NOT NULL,
    order_id    TEXT    NOT NULL,
    amount      NUMERIC NOT NULL,
    -- Orders whose id starts with "violate-" break this rule in the database, not in Java.
    CONSTRAINT order_id_not_violating CHECK (order_id NOT LIKE 'violate-%')
);
