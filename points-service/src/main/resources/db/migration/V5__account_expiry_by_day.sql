-- The expiry job finds due accounts by the day their points expire (UTC), which changes at most once a day per
-- customer, instead of by the instant, which moves with every order. An account's update on an order then changes no
-- indexed column and can stay on its page without new index entries (a heap-only tuple), where it took an entry in
-- the primary key and one in the expiry index each time. The day is derived by PostgreSQL, so pods of the previous
-- version, which write only expires_at, keep it right during a rolling upgrade.
-- Room on every page for such updates; set first, so that the rewrite below applies it to the existing rows.
ALTER TABLE points_account SET (fillfactor = 85);
ALTER TABLE points_account
    ADD COLUMN expires_on DATE GENERATED ALWAYS AS ((expires_at AT TIME ZONE 'UTC')::date) STORED;
DROP INDEX points_account_expiry_due;
CREATE INDEX points_account_expiry_due ON points_account (expires_on) WHERE expires_on IS NOT NULL;
