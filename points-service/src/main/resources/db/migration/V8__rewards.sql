-- Rewards (issue 33). How many of each reward were taken, across programme versions: a redemption takes one with a
-- conditional update (taken < the stock of the version in force), so concurrent redemptions of the last one cannot
-- both succeed; a refund gives it back.
CREATE TABLE reward_stock (
    reward_id TEXT   PRIMARY KEY,
    taken     BIGINT NOT NULL DEFAULT 0 CHECK (taken >= 0)
);

-- Each redemption through the saga: REQUESTED with the debit, then ISSUED or REFUNDED (reason from campaign-service).
CREATE TABLE reward_redemption (
    redemption_id     TEXT        PRIMARY KEY,
    customer_id       TEXT        NOT NULL,
    reward_id         TEXT        NOT NULL,
    reward_name       TEXT        NOT NULL,
    points            BIGINT      NOT NULL CHECK (points > 0),
    entry_id          TEXT        NOT NULL,
    programme_version INT         NOT NULL,
    currency          TEXT,
    status            TEXT        NOT NULL CHECK (status IN ('REQUESTED', 'ISSUED', 'REFUNDED')),
    reason            TEXT,
    detail            TEXT,
    trigger_id        TEXT,
    voucher_code      TEXT,
    requested_at      TIMESTAMPTZ NOT NULL,
    settled_at        TIMESTAMPTZ
);

-- The per-customer limit counts a customer's redemptions of a reward since the period's start; the customer's list
-- of redemptions reads the same index, newest first.
CREATE INDEX reward_redemption_by_customer ON reward_redemption (customer_id, reward_id, requested_at);
CREATE INDEX reward_redemption_by_customer_time ON reward_redemption (customer_id, requested_at);
