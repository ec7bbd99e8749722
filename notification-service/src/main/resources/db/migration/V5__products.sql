-- Issue 34: the shop's products, from the compacted products topic (key SKU), for the recommended items in messages:
-- name and link (image if any), and the stock at render time (an item sold out since the trigger is left out).
-- Versioned 5.3 so that the other parts of issue 34 can take 5.1 and 5.2 without a clash.
CREATE TABLE product (
    sku        text PRIMARY KEY,
    name       text NOT NULL,
    url        text NOT NULL,
    image_url  text,
    in_stock   boolean NOT NULL,
    updated_at timestamptz NOT NULL
);
