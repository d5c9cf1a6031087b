-- Conversations, how to find them, messages already answered, and what
-- users said of each step.

CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY,     -- thread, forum post or DM channel id; else the bot's first message id
    asker       INTEGER NOT NULL,        -- Discord user id (0 in the terminal)
    thread      INTEGER,                 -- the thread or forum post it runs in
    forum       INTEGER NOT NULL DEFAULT 0,
    turn        INTEGER NOT NULL,        -- bumped per bot reply; buttons carry it
    escalated   INTEGER NOT NULL DEFAULT 0,
    intent      TEXT,                    -- current intent id, for statistics
    stage       TEXT NOT NULL,           -- idle, guiding, resolved, escalated, ...
    state       TEXT NOT NULL,           -- the dialog's conversation, as JSON
    created_at  INTEGER NOT NULL,        -- unix seconds
    updated_at  INTEGER NOT NULL
);

CREATE TABLE conversation_links (
    kind          TEXT    NOT NULL CHECK (kind IN ('message', 'channel')),
    key           INTEGER NOT NULL,
    conversation  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key)
);

CREATE TABLE answered (
    message  INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL
);

CREATE TABLE feedback (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation  INTEGER NOT NULL,
    intent        TEXT    NOT NULL,
    step          INTEGER NOT NULL,      -- 1-based, as the user saw it
    outcome       TEXT    NOT NULL CHECK (outcome IN ('fixed', 'didnt_help')),
    at            INTEGER NOT NULL,
    UNIQUE (conversation, intent, step, outcome)
);
CREATE INDEX feedback_by_intent ON feedback (intent, at);
