-- Feedback (NPS) answers: one row per order, the first answer wins (a second click or event inserts nothing). The
-- comment is personal data: this service is the only one that keeps it, and customer.erased clears it. The score is
-- not personal data beyond the customer id and stays for the figures.
CREATE TABLE feedback (
    customer_id     text        NOT NULL,
    order_id        text        NOT NULL,
    score           integer     NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment         text        CHECK (char_length(comment) <= 2000),
    channel         text        NOT NULL,
    source_event_id text        NOT NULL,
    answered_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    -- A comment given on the thank-you page after a link's score: once.
    comment_added   boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (customer_id, order_id)
);
