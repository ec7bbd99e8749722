-- The eventing kit's tables, second version. On a database that already has a service's migrations this version
-- sorts below them: the kit's defaults turn on Flyway's out-of-order mode so that it is applied all the same.

-- One outbox row per committed transaction, holding all the records it wrote in order (parallel arrays), instead
-- of one row per record: a batch of 2,000 events is one heap row and one index entry to insert, read and delete.
-- eventing_outbox stays, so that pods of the previous version keep working during a rolling upgrade; the relay
-- publishes what they leave there before it reads this table.
CREATE TABLE eventing_outbox_batch (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_count INT         NOT NULL CHECK (record_count > 0),
    message_ids  TEXT[]      NOT NULL,
    topics       TEXT[]      NOT NULL,
    message_keys TEXT[]      NOT NULL,
    payloads     BYTEA[]     NOT NULL,
    -- Per record: [{"name": "...", "value": "<base64>"}] (Kafka headers may repeat and hold any bytes), or null for
    -- a record that carries only the CloudEvents content type, which is most of them.
    headers      TEXT[]      NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The records are stored out of line and not compressed: compressing them would cost the database CPU on every
-- batch, and the relay sends them compressed anyway.
ALTER TABLE eventing_outbox_batch ALTER COLUMN payloads SET STORAGE EXTERNAL;

-- Event ids compare byte by byte: they are opaque keys, and the C collation spares every index probe the locale.
ALTER TABLE eventing_inbox ALTER COLUMN event_id TYPE TEXT COLLATE "C";
-- Ids are inserted in time order, so the purge by age needs only a block range index: a few pages instead of a
-- B-tree that takes an entry for every event applied. Autovacuum summarises the ranges as the table grows.
DROP INDEX eventing_inbox_applied_at;
CREATE INDEX eventing_inbox_applied_at ON eventing_inbox USING brin (applied_at) WITH (autosummarize = on);
