-- insights-service: aggregates kept up to date event by event (docs/insights.md). Customer ids only, no personal data.

-- One row per customer: the row lock serialises a customer's events across topics and replicas, so an order and the
-- trigger it converts are matched whichever arrives first. Points balances and tier for the liability by tier.
CREATE TABLE insights_customer (
    customer_id text PRIMARY KEY,
    tier        text,
    available   bigint NOT NULL DEFAULT 0,
    pending     bigint NOT NULL DEFAULT 0
);

-- Orders, for conversions: revenue in the programme's reporting currency at the order's time.
CREATE TABLE customer_order (
    order_id    text PRIMARY KEY,
    customer_id text        NOT NULL,
    placed_at   timestamptz NOT NULL,
    revenue     numeric(19, 4) NOT NULL
);
CREATE INDEX customer_order_by_customer ON customer_order (customer_id, placed_at);

-- A customer's orders by calendar month (UTC), from which the retention counters are derived.
CREATE TABLE customer_order_month (
    customer_id text NOT NULL,
    month       date NOT NULL,
    orders      int  NOT NULL,
    PRIMARY KEY (customer_id, month)
);

-- Counters of customers: NEW (first order in month), SECOND (second order in month), ACTIVE (active at the start of
-- month), COHORT (first order in month, ordered again in other_month). other_month is month where it means nothing.
CREATE TABLE retention_counter (
    kind        text   NOT NULL,
    month       date   NOT NULL,
    other_month date   NOT NULL,
    customers   bigint NOT NULL,
    PRIMARY KEY (kind, month, other_month)
);

-- Every marketing trigger, fired (treated) or held out (control), with its conversion so far.
CREATE TABLE exposure (
    trigger_id   text PRIMARY KEY,
    customer_id  text        NOT NULL,
    trigger_type text        NOT NULL,
    campaign_id  text        NOT NULL,
    held_out     boolean     NOT NULL,
    exposed_at   timestamptz NOT NULL,
    converted    boolean     NOT NULL DEFAULT false,
    revenue      numeric(19, 4) NOT NULL DEFAULT 0,
    sent         boolean     NOT NULL DEFAULT false
);
CREATE INDEX exposure_by_customer ON exposure (customer_id, exposed_at);

-- Triggers a message was sent for (notification.outcome SENT), whichever topic is read first.
CREATE TABLE trigger_sent (
    trigger_id text PRIMARY KEY
);

-- Uplift inputs per trigger type, campaign, arm and month of exposure: sums, so that any range adds up.
CREATE TABLE uplift_cell (
    trigger_type    text    NOT NULL,
    campaign_id     text    NOT NULL,
    held_out        boolean NOT NULL,
    month           date    NOT NULL,
    exposures       bigint  NOT NULL,
    converted       bigint  NOT NULL,
    sent            bigint  NOT NULL,
    revenue         numeric NOT NULL,
    revenue_squares numeric NOT NULL,
    PRIMARY KEY (trigger_type, campaign_id, held_out, month)
);

-- Vouchers redeemed per trigger type, campaign and month of redemption; discount in the reporting currency.
CREATE TABLE redemption_cell (
    trigger_type text    NOT NULL,
    campaign_id  text    NOT NULL,
    month        date    NOT NULL,
    redeemed     bigint  NOT NULL,
    discount     numeric NOT NULL,
    PRIMARY KEY (trigger_type, campaign_id, month)
);

-- Points per month and ledger kind (signed, as points.changed carries them), and OUTSTANDING: the month's change of
-- available + pending over all customers.
CREATE TABLE points_month (
    month  date   NOT NULL,
    kind   text   NOT NULL,
    points bigint NOT NULL,
    PRIMARY KEY (month, kind)
);

-- Outstanding points by the customers' current tier ('' for none).
CREATE TABLE liability_by_tier (
    tier      text PRIMARY KEY,
    available bigint NOT NULL,
    pending   bigint NOT NULL
);

-- Customers entering (+) and leaving (-) each tier per month of the change's effectiveAt.
CREATE TABLE tier_month (
    month     date   NOT NULL,
    tier      text   NOT NULL,
    customers bigint NOT NULL,
    PRIMARY KEY (month, tier)
);
