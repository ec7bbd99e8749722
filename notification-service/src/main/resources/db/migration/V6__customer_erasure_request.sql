-- Console issue 36: erasures an admin asked for through the API (POST /customers/{customerId}/erasure), one row per
-- customer. The row and the customer.erased it publishes through the outbox are written in one transaction; a repeated
-- request finds the row and publishes nothing. It records who asked, when and why: the reason is a short note for the
-- audit (at most 500 characters), never personal data (docs/security.md, "Personal data and erasure").
CREATE TABLE customer_erasure_request (
    customer_id  text PRIMARY KEY,
    event_id     text        NOT NULL,
    requested_at timestamptz NOT NULL,
    requested_by text        NOT NULL,
    reason       text        NOT NULL CHECK (char_length(reason) <= 500)
);
