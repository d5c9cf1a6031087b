-- Questions waiting for their turn to Discord when more wait than the bot
-- keeps in memory: oldest first, kept across a restart. `payload` is the
-- gateway message as JSON, handled as if it had just arrived.
CREATE TABLE backlog (
    message INTEGER PRIMARY KEY,
    payload TEXT NOT NULL,
    queued_at INTEGER NOT NULL
);
