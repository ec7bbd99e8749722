-- notification-service: how to reach each customer, and every message with its delivery state.

CREATE TABLE contact (
    customer_id     text PRIMARY KEY,
    profile_known   boolean NOT NULL DEFAULT false,
    email           text,
    first_name      text,
    locale          text,
    time_zone       text,
    email_consent   boolean NOT NULL DEFAULT false,
    webhook_consent boolean NOT NULL DEFAULT false,
    sms_consent     boolean NOT NULL DEFAULT false,
    push_consent    boolean NOT NULL DEFAULT false,
    unsubscribed_at timestamptz,
    erased          boolean NOT NULL DEFAULT false
);

-- One row per trigger and channel: the unique key makes a redelivered trigger a no-op. The dispatcher reads due rows
-- through the partial index, claims them with SKIP LOCKED and a lease (state SENDING until lease_until), sends
-- outside the transaction, then records the outcome.
CREATE TABLE notification (
    notification_id text PRIMARY KEY,
    trigger_id      text NOT NULL,
    customer_id     text NOT NULL,
    trigger_type    text NOT NULL,
    marketing       boolean NOT NULL,
    channel         text NOT NULL,
    trigger         jsonb NOT NULL,
    state           text NOT NULL CHECK (state IN ('PENDING', 'HELD', 'SENDING', 'SENT', 'SUPPRESSED', 'FAILED')),
    reason          text,
    locale          text,
    attempts        integer NOT NULL DEFAULT 0,
    due_at          timestamptz,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    UNIQUE (trigger_id, channel)
);
CREATE INDEX notification_due ON notification (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX notification_sent ON notification (customer_id, sent_at) WHERE sent_at IS NOT NULL;
