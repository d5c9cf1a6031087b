//! Which messages were answered (the ledger that makes each question
//! answered once, across a restart too), and pruning what is old: the
//! ledger keeps a message only as long as it could come back.

use super::StoreError;
use super::sqlite_conversations::{now, sql_id};
use super::sqlite_review as review;
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn answered(conn: &Connection, message: u64) -> Result<bool, StoreError> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM answered WHERE message = ?1",
            [sql_id(message)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

pub(super) fn mark(conn: &Connection, message: u64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO answered (message, at) VALUES (?1, ?2)",
        params![sql_id(message), now()],
    )?;
    Ok(())
}

/// When the newest answer was given: where a catch-up after downtime
/// starts reading.
pub(super) fn last_at(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.query_row("SELECT MAX(at) FROM answered", [], |r| r.get(0))?)
}

/// Deletes what was done with before `before` (unix seconds), in one
/// transaction: answered messages, sent or dead posts, resolved tickets
/// with no post pending, and conversations no open ticket needs. Returns
/// how many rows went.
pub(super) fn prune(conn: &mut Connection, before: i64) -> Result<u64, StoreError> {
    let tx = conn.transaction()?;
    let mut deleted = 0;
    for sql in [
        "DELETE FROM answered WHERE at < ?1",
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL OR dead_at IS NOT NULL) AND next_at < ?1 * 1000",
        "DELETE FROM tickets WHERE state = 'resolved' AND updated_at < ?1
             AND id NOT IN (SELECT ticket FROM outbox WHERE ticket IS NOT NULL)",
        "DELETE FROM conversation_links WHERE conversation IN
             (SELECT id FROM conversations WHERE updated_at < ?1
              AND id NOT IN (SELECT conversation FROM tickets WHERE state != 'resolved'))",
        "DELETE FROM conversations WHERE updated_at < ?1
             AND id NOT IN (SELECT conversation FROM tickets WHERE state != 'resolved')",
    ] {
        deleted += tx.execute(sql, [before])? as u64;
    }
    deleted += review::prune(&tx, before)?;
    tx.commit()?;
    Ok(deleted)
}
