-- points-service schema. Balances are derived state kept next to the append-only ledger that explains them.

CREATE TABLE points_account (
    customer_id       TEXT        PRIMARY KEY,
    available         BIGINT      NOT NULL DEFAULT 0 CHECK (available >= 0),
    pending           BIGINT      NOT NULL DEFAULT 0 CHECK (pending >= 0),
    debt              BIGINT      NOT NULL DEFAULT 0 CHECK (debt >= 0),
    lifetime_earned   BIGINT      NOT NULL DEFAULT 0,
    last_activity_at  TIMESTAMPTZ,
    referred_by       TEXT,
    registered        BOOLEAN     NOT NULL DEFAULT false,
    has_ordered       BOOLEAN     NOT NULL DEFAULT false,
    -- When the available points expire unless the customer is active (null: nothing to expire), and the expiry
    -- date the customer was last warned about. The expiry job finds due accounts through the partial index.
    expires_at        TIMESTAMPTZ,
    expiry_warned_for TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX points_account_expiry_due ON points_account (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE points_order (
    order_id            TEXT          PRIMARY KEY,
    customer_id         TEXT          NOT NULL,
    placed              BOOLEAN       NOT NULL DEFAULT false,
    currency            TEXT,
    merchandise_value   NUMERIC(19,4) NOT NULL DEFAULT 0,
    earned              BIGINT        NOT NULL DEFAULT 0,
    reversed            BIGINT        NOT NULL DEFAULT 0 CHECK (reversed <= earned OR NOT placed),
    refunded_value      NUMERIC(19,4) NOT NULL DEFAULT 0,
    redeemed            BIGINT        NOT NULL DEFAULT 0,
    redemption_refunded BIGINT        NOT NULL DEFAULT 0,
    placed_at           TIMESTAMPTZ,
    delivered_at        TIMESTAMPTZ,
    release_at          TIMESTAMPTZ,
    released            BOOLEAN       NOT NULL DEFAULT false,
    cancelled           BOOLEAN       NOT NULL DEFAULT false,
    review_rewarded     BOOLEAN       NOT NULL DEFAULT false
);
-- The release job reads only orders whose pending points are still waiting.
CREATE INDEX points_order_release_due ON points_order (release_at) WHERE placed AND NOT released AND NOT cancelled;

CREATE TABLE points_ledger (
    seq             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id        TEXT        NOT NULL UNIQUE,
    customer_id     TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    points          BIGINT      NOT NULL,
    available_after BIGINT      NOT NULL,
    pending_after   BIGINT      NOT NULL,
    debt_after      BIGINT      NOT NULL,
    order_id        TEXT,
    rule            TEXT        NOT NULL,
    cause_event_id  TEXT        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    note            TEXT,
    actor           TEXT,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX points_ledger_by_customer ON points_ledger (customer_id, seq);

-- Tiers as tier-service announced them, to multiply points by the tier in force when an order was placed.
CREATE TABLE customer_tier (
    customer_id  TEXT        NOT NULL,
    effective_at TIMESTAMPTZ NOT NULL,
    tier         TEXT        NOT NULL,
    PRIMARY KEY (customer_id, effective_at)
);

-- Idempotency of API writes: the same key with the same request replays the first answer.
CREATE TABLE points_api_request (
    customer_id     TEXT        NOT NULL,
    operation       TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL,
    entry_id        TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, operation, idempotency_key)
);
