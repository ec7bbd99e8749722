-- A first order applied before the customer's profile (its registration is on another topic and may be read later):
-- the order's event id, kept until the profile tells whether the customer accepts marketing.
ALTER TABLE campaign_customer ADD COLUMN referral_waiting_event_id text;
