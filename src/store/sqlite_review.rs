//! The review queue in SQLite.

use super::StoreError;
use super::sqlite_tickets::now_ms;
use crate::review::{Change, Counts, Item, Kept, Label, Noticed, Reading, Reason, Source, State};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// Open items kept at most: past it the least-seen oldest ones go, so a
/// busy channel's chatter cannot grow the queue without bound.
pub const MAX_OPEN: i64 = 2_000;

const COLUMNS: &str = "id, reason, text, readings, count, conversation, first_seen, last_seen, state, label, labelled_by, labelled_at, kept";

/// Another sighting than the one an item counted last: neither from its
/// conversation nor from its message. Unknown on either side counts as
/// other.
const FRESH: &str = "((excluded.conversation IS NULL OR last_conversation IS NULL
                       OR excluded.conversation != last_conversation)
                      AND (excluded.last_message IS NULL OR last_message IS NULL
                           OR excluded.last_message != last_message))";

/// Adds a sighting: a new item, or one more on the item its text groups
/// under. A second sighting from the same conversation, or of the same
/// message (handled again after a crash), is not counted again, and staff
/// relabelling a case is no sighting but becomes the item's reason.
pub fn add(conn: &mut Connection, noticed: &Noticed, source: Source) -> Result<i64, StoreError> {
    let key = crate::review::key(&noticed.text);
    // A near-identical wording is counted on its item: the newest open
    // items are compared, the ones a burst of one question repeats.
    let key = alike_open(conn, &key)?.unwrap_or(key);
    let readings = serde_json::to_string(&noticed.readings)?;
    let now = now_ms() / 1000;
    let id_of = |id: Option<u64>| id.map(|id| id as i64);
    let tx = conn.transaction()?;
    let id: i64 = tx.query_row(
        &format!("INSERT INTO review_items (key, text, reason, readings, conversation, last_conversation, last_message, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?7)
         ON CONFLICT (key) DO UPDATE SET
             count = count + (excluded.reason != 'staff_relabelled' AND {FRESH}),
             last_conversation = excluded.conversation,
             last_message = excluded.last_message,
             readings = excluded.readings,
             last_seen = excluded.last_seen,
             conversation = COALESCE(conversation, excluded.conversation),
             reason = CASE WHEN excluded.reason = 'staff_relabelled' THEN excluded.reason ELSE reason END,
             state = CASE WHEN state = 'skipped' AND excluded.reason != 'staff_relabelled' AND {FRESH}
                          THEN 'open' ELSE state END
         RETURNING id"),
        params![
            key,
            noticed.text,
            noticed.reason.as_str(),
            readings,
            id_of(source.conversation),
            id_of(source.message),
            now
        ],
        |r| r.get(0),
    )?;
    tx.execute(
        "DELETE FROM review_items WHERE id IN (
             SELECT id FROM review_items WHERE state = 'open'
             ORDER BY count ASC, last_seen ASC, id ASC
             LIMIT max(0, (SELECT COUNT(*) FROM review_items WHERE state = 'open') - ?1))",
        [MAX_OPEN],
    )?;
    tx.commit()?;
    Ok(id)
}

/// Open items compared with a new key, newest first.
const COMPARED: i64 = 500;

/// The key of an item whose text is `key`, or of an open one whose text is
/// near-identical, if any.
fn alike_open(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    let exact: Option<String> = conn
        .query_row("SELECT key FROM review_items WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    let mut statement = conn.prepare_cached(
        "SELECT key FROM review_items WHERE state = 'open' ORDER BY last_seen DESC, id DESC LIMIT ?1",
    )?;
    let keys = statement.query_map([COMPARED], |r| r.get::<_, String>(0))?;
    let mine = crate::review::Words::of(key);
    for other in keys {
        let other = other?;
        if mine.alike(&other) {
            return Ok(Some(other));
        }
    }
    Ok(None)
}

/// Open items, most often seen first, then oldest.
pub fn open(conn: &Connection, limit: usize) -> Result<Vec<Item>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM review_items WHERE state = 'open' ORDER BY count DESC, id ASC LIMIT ?1"
    );
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], read)?;
    collect(rows)
}

pub fn labelled(conn: &Connection) -> Result<Vec<Item>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM review_items WHERE state = 'labelled' ORDER BY labelled_at, id"
    );
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map([], read)?;
    collect(rows)
}

pub fn item(conn: &Connection, id: i64) -> Result<Option<Item>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM review_items WHERE id = ?1");
    conn.query_row(&sql, [id], read).optional()?.transpose()
}

pub fn for_conversation(conn: &Connection, conversation: u64) -> Result<Option<Item>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM review_items WHERE conversation = ?1 OR last_conversation = ?1 ORDER BY id DESC LIMIT 1"
    );
    conn.query_row(&sql, [conversation as i64], read)
        .optional()?
        .transpose()
}

/// Labels an open (or skipped) item; one with a label already is
/// refused; `None` for no such item.
pub fn label(
    conn: &mut Connection,
    id: i64,
    label: &Label,
    by: u64,
    kept: Kept,
) -> Result<Option<Change>, StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE review_items SET state = 'labelled', label = ?2, labelled_by = ?3, labelled_at = ?4, kept = ?5
         WHERE id = ?1 AND state != 'labelled'",
        params![id, label.as_str(), by as i64, now_ms() / 1000, kept.as_str()],
    )?;
    let now = item(&tx, id)?;
    tx.commit()?;
    Ok(now.map(|item| change(changed, item)))
}

/// Sets an open item aside; refused when it is not open.
pub fn skip(conn: &Connection, id: i64) -> Result<Option<Change>, StoreError> {
    let changed = conn.execute(
        "UPDATE review_items SET state = 'skipped' WHERE id = ?1 AND state = 'open'",
        [id],
    )?;
    Ok(item(conn, id)?.map(|item| change(changed, item)))
}

fn change(rows_changed: usize, item: Item) -> Change {
    if rows_changed == 1 {
        Change::Made(item)
    } else {
        Change::Refused(item)
    }
}

pub fn counts(conn: &Connection) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    let mut statement = conn.prepare("SELECT state, COUNT(*) FROM review_items GROUP BY state")?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (state, n) = row?;
        let n = n.max(0) as u64;
        match state.as_str() {
            "open" => counts.open = n,
            "labelled" => counts.labelled = n,
            _ => counts.skipped += n,
        }
    }
    Ok(counts)
}

/// Open and skipped items not seen since `before`. Labels stay: they are
/// the team's own test set, and an overlay may depend on them.
pub fn prune(conn: &Connection, before: i64) -> Result<u64, StoreError> {
    Ok(conn.execute(
        "DELETE FROM review_items WHERE state != 'labelled' AND last_seen < ?1",
        [before],
    )? as u64)
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<Result<Item, StoreError>>>,
) -> Result<Vec<Item>, StoreError> {
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// A row as an item; a value the schema allows but this version cannot
/// read (a reason from a newer version) is `Unreadable`, not a panic.
fn read(r: &Row<'_>) -> rusqlite::Result<Result<Item, StoreError>> {
    let reason: String = r.get(1)?;
    let readings: String = r.get(3)?;
    let state: String = r.get(8)?;
    let label: Option<String> = r.get(9)?;
    let kept: Option<String> = r.get(12)?;
    let labelled_by: Option<i64> = r.get(10)?;
    let labelled_at: Option<i64> = r.get(11)?;
    let id: i64 = r.get(0)?;
    let text: String = r.get(2)?;
    let count: i64 = r.get(4)?;
    let conversation: Option<i64> = r.get(5)?;
    let first_seen: i64 = r.get(6)?;
    let last_seen: i64 = r.get(7)?;
    Ok((|| {
        let bad = |what: &str| StoreError::Unreadable(format!("review item {id}: {what}"));
        let reason = Reason::parse(&reason).ok_or_else(|| bad("reason"))?;
        let readings: Vec<Reading> = serde_json::from_str(&readings)?;
        let state = match state.as_str() {
            "open" => State::Open,
            "skipped" => State::Skipped,
            "labelled" => State::Labelled {
                label: label
                    .as_deref()
                    .and_then(Label::parse)
                    .ok_or_else(|| bad("label"))?,
                by: labelled_by.unwrap_or(0) as u64,
                at: labelled_at.unwrap_or(0),
                kept: kept
                    .as_deref()
                    .and_then(Kept::parse)
                    .ok_or_else(|| bad("kept"))?,
            },
            _ => return Err(bad("state")),
        };
        Ok(Item {
            id,
            reason,
            text,
            readings,
            count: count.max(0) as u64,
            conversation: conversation.map(|c| c as u64),
            first_seen,
            last_seen,
            state,
        })
    })())
}

#[cfg(test)]
#[path = "sqlite_review_tests.rs"]
mod tests;
