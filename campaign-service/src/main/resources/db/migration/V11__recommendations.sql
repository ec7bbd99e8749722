-- Issue 34: "bought together" recommendations on triggers (docs/programme.md, "Recommendations"). Versioned 10.3 so
-- that the other parts of issue 34 can take 10.1 and 10.2 without a clash.

-- The catalogue as far as recommendations need it: a SKU no product.updated named is unknown and never recommended
-- (no message could show it). updated_at orders the shop's updates: an older one arriving late changes nothing.
CREATE TABLE product (
    sku        text PRIMARY KEY,
    in_stock   boolean NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Item-to-item co-occurrence: in how many orders sku and partner were bought together. Both directions are stored,
-- so that one index range answers "the strongest partners of a SKU". Counted once per order (counted_order).
CREATE TABLE bought_together (
    sku     text NOT NULL,
    partner text NOT NULL,
    support integer NOT NULL CHECK (support > 0),
    PRIMARY KEY (sku, partner)
);
CREATE INDEX bought_together_strongest ON bought_together (sku, support DESC, partner);

-- The orders already counted, by order id: an order.placed replayed under a new event id (the inbox dedupes ids
-- only) finds its order here and counts nothing again.
CREATE TABLE counted_order (
    order_id text PRIMARY KEY
);

-- What each customer bought, and when last: the recommendations start from the most recent and leave out all.
-- Deleted on customer.erased (the counts above are anonymous and stay).
CREATE TABLE customer_purchase (
    customer_id    text NOT NULL,
    sku            text NOT NULL,
    last_bought_at timestamptz NOT NULL,
    PRIMARY KEY (customer_id, sku)
);
CREATE INDEX customer_purchase_recent ON customer_purchase (customer_id, last_bought_at DESC, sku);
