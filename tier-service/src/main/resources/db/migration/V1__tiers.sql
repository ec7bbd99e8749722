-- tier-service schema: the orders that qualify, each customer's tier status, and the tier history.

CREATE TABLE tier_order (
    order_id    TEXT          PRIMARY KEY,
    customer_id TEXT          NOT NULL,
    placed      BOOLEAN       NOT NULL DEFAULT false,
    placed_at   TIMESTAMPTZ,
    -- Paid merchandise value (without the part paid with points) and refunds, in the base currency.
    value       NUMERIC(19,4) NOT NULL DEFAULT 0,
    refunded    NUMERIC(19,4) NOT NULL DEFAULT 0,
    cancelled   BOOLEAN       NOT NULL DEFAULT false
);
CREATE INDEX tier_order_by_customer ON tier_order (customer_id, placed_at);

CREATE TABLE tier_status (
    customer_id        TEXT          PRIMARY KEY,
    tier               TEXT,
    since              TIMESTAMPTZ,
    below_since        TIMESTAMPTZ,
    risk_notified_for  TIMESTAMPTZ,
    qualifying_spend   NUMERIC(19,4) NOT NULL DEFAULT 0,
    -- The next moment the tier can change without a new event; the job reads only rows that are due.
    next_evaluation_at TIMESTAMPTZ
);
CREATE INDEX tier_status_due ON tier_status (next_evaluation_at) WHERE next_evaluation_at IS NOT NULL;

CREATE TABLE tier_history (
    seq              BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         TEXT          NOT NULL UNIQUE,
    customer_id      TEXT          NOT NULL,
    from_tier        TEXT,
    to_tier          TEXT          NOT NULL,
    direction        TEXT          NOT NULL,
    reason           TEXT          NOT NULL,
    qualifying_spend NUMERIC(19,4) NOT NULL,
    currency         TEXT          NOT NULL,
    effective_at     TIMESTAMPTZ   NOT NULL
);
CREATE INDEX tier_history_by_customer ON tier_history (customer_id, seq);
