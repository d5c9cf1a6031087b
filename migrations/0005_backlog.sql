-- Questions waiting for their turn to Discord when more wait than the bot
-- keeps in memory: oldest first, kept across a restart. `payload` is the
-- gateway message as JSON, handled as if it had just arrived.
CREATE TABLE backlog (
    message INTEGER PRIMARY KEY,
    -- One author's questions are handed back one at a time, in order.
    author INTEGER NOT NULL,
    payload TEXT NOT NULL,
    queued_at INTEGER NOT NULL
);
