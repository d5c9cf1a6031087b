-- The review queue: what the bot did not know, for staff to label. Texts
-- alike once normalised (`key`) are one item with a count; a label turns
-- the item's text into an example of an intent (or of `none`).
CREATE TABLE review_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    key           TEXT    NOT NULL UNIQUE,
    text          TEXT    NOT NULL,          -- as the user wrote it, bounded
    reason        TEXT    NOT NULL CHECK (reason IN
                    ('silent_in_domain', 'something_else', 'not_helped', 'escalated', 'staff_relabelled')),
    readings      TEXT    NOT NULL,          -- JSON: [{"intent": .., "score": ..}], best first
    count         INTEGER NOT NULL DEFAULT 1,
    conversation  INTEGER,                   -- the case it first came from, if any
    -- The latest sighting's case: one case seen twice is counted once.
    last_conversation INTEGER,
    first_seen    INTEGER NOT NULL,          -- unix seconds
    last_seen     INTEGER NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'skipped', 'labelled')),
    label         TEXT,                      -- an intent id or 'none', once labelled
    labelled_by   INTEGER,                   -- Discord user id; 0 from the terminal
    labelled_at   INTEGER,
    kept          TEXT    CHECK (kept IN ('file', 'store')),
    CHECK ((state = 'labelled') = (label IS NOT NULL AND kept IS NOT NULL AND labelled_at IS NOT NULL))
);
CREATE INDEX review_queue ON review_items (state, count DESC, id);
CREATE INDEX review_by_conversation ON review_items (conversation);
CREATE INDEX review_by_last_conversation ON review_items (last_conversation);
