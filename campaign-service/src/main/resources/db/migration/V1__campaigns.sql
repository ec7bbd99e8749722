-- campaign-service: what the triggers need to know, their timers, the trigger log, vouchers and segment campaigns.
-- Every timer has a partial index on its due time, so the jobs read only what is due.

CREATE TABLE campaign_customer (
    customer_id        text PRIMARY KEY,
    profile_known      boolean NOT NULL DEFAULT false,
    profile_event_id   text,
    time_zone          text,
    birth_date         date,
    marketing_consent  boolean NOT NULL DEFAULT false,
    tier               text,
    order_count        integer NOT NULL DEFAULT 0,
    first_order_id     text,
    last_order_at      timestamptz,
    last_order_event_id text,
    lifetime_spend     numeric(19, 4) NOT NULL DEFAULT 0,
    referral_code      text,
    birthday_offer_at  timestamptz,
    birthday_year      integer NOT NULL DEFAULT 0,
    win_back_step      integer NOT NULL DEFAULT 0,
    win_back_due_at    timestamptz
);
CREATE INDEX campaign_customer_birthday_due ON campaign_customer (birthday_offer_at) WHERE birthday_offer_at IS NOT NULL;
CREATE INDEX campaign_customer_win_back_due ON campaign_customer (win_back_due_at) WHERE win_back_due_at IS NOT NULL;

CREATE TABLE campaign_order (
    order_id              text PRIMARY KEY,
    customer_id           text NOT NULL,
    status                text NOT NULL CHECK (status IN ('UNKNOWN', 'PLACED', 'CANCELLED', 'RETURNED')),
    currency              text,
    first_order           boolean NOT NULL DEFAULT false,
    value                 numeric(19, 4) NOT NULL DEFAULT 0,
    refunded              numeric(19, 4) NOT NULL DEFAULT 0,
    delivered_at          timestamptz,
    delivered_event_id    text,
    review_request_due_at timestamptz,
    reviewed              boolean NOT NULL DEFAULT false
);
CREATE INDEX campaign_order_review_due ON campaign_order (review_request_due_at)
    WHERE review_request_due_at IS NOT NULL;

CREATE TABLE shipment_timer (
    shipment_id       text PRIMARY KEY,
    order_id          text NOT NULL,
    customer_id       text NOT NULL,
    state             text NOT NULL CHECK (state IN ('NEW', 'OPEN', 'DELIVERED', 'FAILED', 'APOLOGISED')),
    promised_date     date,
    due_at            timestamptz,
    dispatch_event_id text
);
CREATE INDEX shipment_timer_due ON shipment_timer (due_at) WHERE due_at IS NOT NULL;

-- Every trigger a rule asked for, whatever became of it: the once-only guarantee (type + dedupe key), the
-- frequency cap's history and the holdout record for uplift analysis.
CREATE TABLE trigger_log (
    trigger_id      uuid PRIMARY KEY,
    trigger_type    text NOT NULL,
    dedupe_key      text NOT NULL,
    customer_id     text NOT NULL,
    campaign_id     text,
    marketing       boolean NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('FIRED', 'HELD_OUT', 'CAPPED', 'NO_CONSENT', 'OVER_BUDGET')),
    reason          text NOT NULL,
    source_event_id text NOT NULL,
    order_id        text,
    voucher_code    text,
    fired_at        timestamptz NOT NULL,
    UNIQUE (trigger_type, dedupe_key)
);
CREATE INDEX trigger_log_customer ON trigger_log (customer_id, fired_at);

CREATE TABLE voucher (
    code                text PRIMARY KEY,
    customer_id         text NOT NULL,
    trigger_id          uuid NOT NULL REFERENCES trigger_log (trigger_id),
    campaign_id         text,
    value               numeric(19, 4),
    percent_off         numeric(5, 2),
    free_gift_sku       text,
    currency            text,
    minimum_order_value numeric(19, 4),
    free_shipping       boolean NOT NULL,
    issued_at           timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    redeemed_at         timestamptz,
    redeemed_order_id   text,
    CHECK ((value IS NOT NULL)::int + (percent_off IS NOT NULL)::int + (free_gift_sku IS NOT NULL)::int = 1),
    CHECK ((redeemed_at IS NULL) = (redeemed_order_id IS NULL))
);
CREATE INDEX voucher_customer ON voucher (customer_id, issued_at);

-- Segment offers created through the API; the job walks the segment in customer id order from cursor.
CREATE TABLE campaign (
    campaign_id  text PRIMARY KEY,
    name         text NOT NULL,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    segment      jsonb NOT NULL,
    offer        jsonb NOT NULL,
    max_vouchers integer,
    issued       integer NOT NULL DEFAULT 0,
    status       text NOT NULL CHECK (status IN ('ACTIVE', 'COMPLETED', 'CANCELLED')),
    cursor_customer_id text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (max_vouchers IS NULL OR issued <= max_vouchers)
);
CREATE INDEX campaign_active ON campaign (starts_at) WHERE status = 'ACTIVE';
