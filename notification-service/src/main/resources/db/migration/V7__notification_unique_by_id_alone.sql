-- A notification's id is derived from its trigger and channel (ApplyNotificationEvents.notificationId), so the primary
-- key already makes a redelivered trigger a no-op; the second unique index on (trigger_id, channel) only cost an index
-- insertion per notification and one more per claim and outcome (issue 38).
ALTER TABLE notification DROP CONSTRAINT notification_trigger_id_channel_key;
