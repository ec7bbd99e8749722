-- When more is due than one dispatch run takes (a campaign's marketing wave), service messages such as a delay
-- apology go out first: the dispatcher claims due rows by (marketing, due_at), and this index serves that order.
DROP INDEX notification_due;
CREATE INDEX notification_due ON notification (marketing, due_at) WHERE due_at IS NOT NULL;
