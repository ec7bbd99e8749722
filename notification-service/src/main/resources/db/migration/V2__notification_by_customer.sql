-- A customer's delivery log: the history API (newest first) and the erasure of a customer's delivery details.
CREATE INDEX notification_by_customer ON notification (customer_id, created_at);
