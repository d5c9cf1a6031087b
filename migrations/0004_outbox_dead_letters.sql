-- A post Discord refuses for good (a 4xx other than 429: a deleted channel,
-- a missing permission, a message it cannot take) is set aside here instead
-- of being retried forever; the error says why.

ALTER TABLE outbox ADD COLUMN dead_at INTEGER;

-- Tickets reminded before reminders were counted had one already.
UPDATE tickets SET reminders = 1 WHERE reminded_at IS NOT NULL AND reminders = 0;
