-- Refusals of the voucher redemption API published as voucher.rejected (issue 33): the event ids published, so that
-- a retried request (same order, code and reason) publishes nothing again. Only derived ids, no personal data;
-- rows older than a week are deleted by later refusals (VoucherApiRejections).
CREATE TABLE voucher_api_rejection (
    event_id    TEXT PRIMARY KEY,
    rejected_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX voucher_api_rejection_age ON voucher_api_rejection (rejected_at);
