-- Issue 34: cart reminders. One row per cart the shop reported (carts topic) or an order named. The job reads only
-- due rows through the partial index: its cost follows the due carts, not the open ones (millions may be open).
CREATE TABLE campaign_cart (
    cart_id          text PRIMARY KEY,
    customer_id      text NOT NULL,
    state            text NOT NULL CHECK (state IN ('OPEN', 'EMPTIED', 'ORDERED', 'ERASED')),
    -- The cart's lines as JSON ([{sku, quantity, unitPrice {amount, currency}}]): shown in the reminder, never queried.
    lines            text NOT NULL,
    updated_at       timestamptz,
    last_activity_at timestamptz,
    due_at           timestamptz,
    step             int NOT NULL CHECK (step >= 0),
    update_event_id  text,
    CHECK (due_at IS NULL OR state = 'OPEN')
);

CREATE INDEX campaign_cart_due ON campaign_cart (due_at) WHERE due_at IS NOT NULL;
-- An erasure closes the customer's carts that are not closed yet.
CREATE INDEX campaign_cart_customer ON campaign_cart (customer_id) WHERE state IN ('OPEN', 'EMPTIED');
