-- The eventing kit's tables, in every service's schema. Versions 0.x belong to the kit; services start at 1.

-- Ids of every event (and every dead-lettered record) a service has applied, written in the same transaction as
-- the effect: a redelivered or duplicated event finds its id here and changes nothing.
CREATE TABLE eventing_inbox (
    event_id   TEXT        PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Purging old ids goes by age.
CREATE INDEX eventing_inbox_applied_at ON eventing_inbox (applied_at);

-- Records to publish, written in the same transaction as the effect that caused them; the relay publishes them
-- in seq order and deletes them once the broker has acknowledged them.
CREATE TABLE eventing_outbox (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  TEXT        NOT NULL,
    topic       TEXT        NOT NULL,
    message_key TEXT,
    payload     BYTEA,
    -- [{"name": "...", "value": "<base64>"}]: Kafka headers may repeat and hold any bytes. Null for an event
    -- that carries only the CloudEvents content type, which is most of them.
    headers     JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
