-- How many times staff have been reminded of a ticket, so that reminders
-- can stop at a ceiling; and the asker's open tickets found at once, for
-- the one-open-ticket-per-asker rule.

ALTER TABLE tickets ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_by_asker ON tickets (asker, state);
