-- Why a message waits, apart from its state: a claim turns every due row into SENDING, so the state cannot say
-- whether the HELD outcome of a reason was published already. held_since is when that reason first appeared: it is
-- the time of that HELD outcome, so a repeat of its id carries the same payload.
ALTER TABLE notification ADD COLUMN held_reason text, ADD COLUMN held_since timestamptz;
-- A row held before this version has had its HELD published (each dispatcher run repeated it): the time of the
-- first one is not known, its due time is the closest the row has.
UPDATE notification SET held_reason = reason, held_since = coalesce(due_at, created_at) WHERE state = 'HELD';
