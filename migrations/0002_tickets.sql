-- Escalations to a person, and the Discord posts that must happen for them.

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation   INTEGER NOT NULL,
    asker          INTEGER NOT NULL,
    thread         INTEGER,                 -- where the user's conversation runs
    intent         TEXT,
    summary        TEXT    NOT NULL,        -- the case as staff read it
    state          TEXT    NOT NULL CHECK (state IN ('open', 'claimed', 'resolved')),
    claimed_by     INTEGER,
    staff_channel  INTEGER NOT NULL,
    staff_message  INTEGER,                 -- the staff post, once Discord took it
    created_at     INTEGER NOT NULL,        -- unix seconds
    updated_at     INTEGER NOT NULL,
    reminded_at    INTEGER
);
CREATE INDEX tickets_open ON tickets (state, created_at);

-- A post is written here in the same transaction as what caused it, then
-- sent by a worker until Discord accepts it. The nonce goes with every try,
-- with enforce_nonce, so Discord drops a second copy after a lost reply.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket      INTEGER REFERENCES tickets (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('ticket', 'reminder', 'note')),
    channel     INTEGER NOT NULL,
    content     TEXT    NOT NULL,
    ping_role   INTEGER,                    -- the one role the post may ping
    nonce       TEXT    NOT NULL UNIQUE,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL,           -- unix milliseconds
    sent_at     INTEGER,
    message     INTEGER,
    last_error  TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_at);
