-- The segment size counts a segment's members before a campaign is sent: by tier, last order and lifetime spend,
-- with consent and the customer id for the guards, from the index alone where the visibility map allows.
CREATE INDEX campaign_customer_segment ON campaign_customer (tier, last_order_at, lifetime_spend)
    INCLUDE (marketing_consent, customer_id);
