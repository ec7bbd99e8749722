-- Issue 33: rewards redeemed for points (reward.redemption-requested from points-service) are issued here once,
-- and partner rewards take their codes from pools uploaded through the API.

-- An erased customer's redemption is not issued (reward.issue-failed CUSTOMER_ERASED): erase() keeps no other mark.
ALTER TABLE campaign_customer ADD COLUMN erased boolean NOT NULL DEFAULT false;

-- What became of each redemption, issued or not: the once-only record of the saga's campaign step (a replayed or
-- re-sent request finds its row and changes nothing). An issued one has its trigger (type reward) in trigger_log.
CREATE TABLE reward_issue (
    redemption_id   text PRIMARY KEY,
    customer_id     text NOT NULL,
    reward_id       text NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('ISSUED', 'FAILED')),
    reason          text CHECK (reason IN ('POOL_EMPTY', 'CUSTOMER_ERASED', 'NOT_ISSUABLE')),
    trigger_id      uuid REFERENCES trigger_log (trigger_id),
    source_event_id text NOT NULL,
    decided_at      timestamptz NOT NULL,
    CHECK ((outcome = 'ISSUED') = (trigger_id IS NOT NULL)),
    CHECK ((outcome = 'FAILED') = (reason IS NOT NULL))
);

-- Partner codes. A claim locks the pool's row (uploads too), so two transactions never take the same code; the
-- codes are a partner's secrets: nothing logs them and only the customer's trigger.fired carries one.
CREATE TABLE code_pool (
    pool_id       text PRIMARY KEY,
    low_threshold integer NOT NULL CHECK (low_threshold >= 0),
    created_at    timestamptz NOT NULL
);

CREATE TABLE pool_code (
    pool_id    text NOT NULL REFERENCES code_pool (pool_id),
    code       text NOT NULL,
    -- Upload order: codes are handed out first in, first out.
    position   bigint GENERATED ALWAYS AS IDENTITY,
    claimed_by text,
    claimed_at timestamptz,
    PRIMARY KEY (pool_id, code),
    CHECK ((claimed_by IS NULL) = (claimed_at IS NULL))
);
-- One code per redemption, whatever the pool.
CREATE UNIQUE INDEX pool_code_claimed_by ON pool_code (claimed_by) WHERE claimed_by IS NOT NULL;
CREATE INDEX pool_code_unclaimed ON pool_code (pool_id, position) WHERE claimed_by IS NULL;
