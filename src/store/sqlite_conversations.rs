//! Conversations in SQLite: one row each (the dialog's state as JSON, with
//! the columns statistics and the catch-up read), and the links that lead
//! to them.

use super::{Applied, ConversationRecord, Link, StoreError};
use crate::dialog::Conversation;
use rusqlite::{Connection, OptionalExtension, params};
use std::time::{SystemTime, UNIX_EPOCH};

pub(super) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// SQLite integers are signed; Discord ids fit, being below 2^63.
pub(super) fn sql_id(id: u64) -> i64 {
    id as i64
}

pub(super) fn read_record(
    conn: &Connection,
    id: i64,
) -> Result<Option<ConversationRecord>, StoreError> {
    let row = conn
        .query_row(
            "SELECT id, asker, thread, forum, turn, escalated, state, applied FROM conversations WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((id, asker, thread, forum, turn, escalated, state, applied)) = row else {
        return Ok(None);
    };
    let conversation: Conversation = serde_json::from_str(&state)?;
    // Only a guard against handling a message twice: one that does not
    // read back costs that guard, not the conversation.
    let applied: Applied = applied
        .and_then(|json| {
            serde_json::from_str(&json)
                .inspect_err(|err| tracing::warn!(error = %err, id, "a conversation's messages do not read back"))
                .ok()
        })
        .unwrap_or_default();
    Ok(Some(ConversationRecord {
        id: id as u64,
        asker: asker as u64,
        thread: thread.map(|t| t as u64),
        forum,
        turn: turn.clamp(0, i64::from(u32::MAX)) as u32,
        escalated,
        conversation,
        applied,
    }))
}

/// Writes a conversation and its new step verdicts inside `tx`.
pub(super) fn write_record(
    tx: &rusqlite::Transaction<'_>,
    record: &ConversationRecord,
) -> Result<(), StoreError> {
    let state = serde_json::to_string(&record.conversation)?;
    let applied = match record.applied.is_empty() {
        true => None,
        false => Some(serde_json::to_string(&record.applied)?),
    };
    let intent = record.conversation.stage.intent().map(|i| i.to_string());
    let stage = stage_name(&record.conversation);
    let at = now();
    tx.execute(
        "INSERT INTO conversations (id, asker, thread, forum, turn, escalated, intent, stage, state, created_at, updated_at, applied)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET asker = ?2, thread = ?3, forum = ?4, turn = ?5,
             escalated = MAX(escalated, ?6),
             intent = ?7, stage = ?8, state = ?9, updated_at = ?10, applied = ?11",
        params![
            sql_id(record.id),
            sql_id(record.asker),
            record.thread.map(sql_id),
            record.forum,
            i64::from(record.turn),
            record.escalated,
            intent,
            stage,
            state,
            at,
            applied
        ],
    )?;
    // One verdict per step of a case, the latest: "step 2 fixed it" after
    // step 2 was marked unhelpful, or "stuck again" after a fix, takes the
    // earlier verdict back rather than counting both.
    for f in record.feedback() {
        let outcome = if f.fixed { "fixed" } else { "didnt_help" };
        tx.execute(
            "DELETE FROM feedback WHERE conversation = ?1 AND intent = ?2 AND step = ?3 AND outcome <> ?4",
            params![sql_id(f.conversation), f.intent, f.step as i64, outcome],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO feedback (conversation, intent, step, outcome, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sql_id(f.conversation), f.intent, f.step as i64, outcome, at],
        )?;
    }
    Ok(())
}

pub(super) fn stage_name(conversation: &Conversation) -> String {
    serde_json::to_value(&conversation.stage)
        .ok()
        .and_then(|v| v.get("stage").and_then(|s| s.as_str()).map(str::to_string))
        .unwrap_or_else(|| "idle".to_string())
}

/// The channels of the conversations written since `since`, the most
/// recent first (`Store::live_channels`).
pub(super) fn live_channels(
    conn: &Connection,
    since: i64,
    limit: usize,
) -> Result<Vec<u64>, StoreError> {
    let mut query = conn.prepare_cached(
        "SELECT l.key FROM conversation_links l
         JOIN conversations c ON c.id = l.conversation
         WHERE l.kind = 'channel' AND c.updated_at >= ?1
         ORDER BY c.updated_at DESC, l.key DESC LIMIT ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = query.query_map(params![since, limit], |r| r.get::<_, i64>(0))?;
    Ok(rows
        .map(|r| r.map(|k| k as u64))
        .collect::<Result<_, _>>()?)
}

pub(super) fn link_parts(link: Link) -> (&'static str, i64) {
    match link {
        Link::Message(id) => ("message", sql_id(id)),
        Link::Channel(id) => ("channel", sql_id(id)),
    }
}
