//! Tickets and the outbox in SQLite.

use super::StoreError;
use super::tickets::{NewTicket, Post, PostDraft, PostKind, Ticket, TicketState};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A nonce unique to this post (Discord allows 25 characters).
fn nonce() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 1000;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("sm{nanos}{n:03}")
}

const TICKET_COLUMNS: &str = "id, conversation, asker, thread, intent, summary, state, claimed_by, \
     staff_channel, staff_message, created_at, reminders, reminded_at";

fn ticket_row(r: &Row<'_>) -> rusqlite::Result<Ticket> {
    let state: String = r.get(6)?;
    Ok(Ticket {
        id: r.get(0)?,
        conversation: r.get::<_, i64>(1)? as u64,
        asker: r.get::<_, i64>(2)? as u64,
        thread: r.get::<_, Option<i64>>(3)?.map(|t| t as u64),
        intent: r.get(4)?,
        summary: r.get(5)?,
        state: TicketState::parse(&state).unwrap_or(TicketState::Open),
        claimed_by: r.get::<_, Option<i64>>(7)?.map(|t| t as u64),
        staff_channel: r.get::<_, i64>(8)? as u64,
        staff_message: r.get::<_, Option<i64>>(9)?.map(|t| t as u64),
        created_at: r.get(10)?,
        reminders: r.get::<_, i64>(11)?.clamp(0, i64::from(u32::MAX)) as u32,
        reminded_at: r.get(12)?,
    })
}

pub fn ticket(conn: &Connection, id: i64) -> Result<Option<Ticket>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"),
            [id],
            ticket_row,
        )
        .optional()?)
}

fn insert_post(
    tx: &Transaction<'_>,
    ticket: Option<i64>,
    post: &PostDraft,
) -> Result<(), StoreError> {
    let mut content = match ticket {
        Some(id) => post.content.replace("{ticket}", &id.to_string()),
        None => post.content.clone(),
    };
    content.push_str(&post.body);
    tx.execute(
        "INSERT INTO outbox (ticket, kind, channel, content, ping_role, nonce, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![ticket, post.kind.as_str(), post.channel as i64, content, post.ping_role.map(|r| r as i64), nonce(), now_ms()],
    )?;
    Ok(())
}

/// One unresolved ticket per asker. Inside `tx`, on the store's one
/// connection, so two requests cannot both pass the check: the new
/// ticket's id, or the asker's unresolved ticket (and nothing written).
pub fn open_ticket_in(
    tx: &Transaction<'_>,
    new: &NewTicket,
    post: Option<&PostDraft>,
) -> Result<Result<i64, Ticket>, StoreError> {
    if let Some(existing) = unresolved_ticket(tx, new.asker)? {
        return Ok(Err(existing));
    }
    Ok(Ok(insert_ticket(tx, new, post)?))
}

pub fn unresolved_ticket(conn: &Connection, asker: u64) -> Result<Option<Ticket>, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE asker = ?1 AND state IN ('open', 'claimed')
                 ORDER BY id LIMIT 1"
            ),
            [asker as i64],
            ticket_row,
        )
        .optional()?)
}

fn insert_ticket(
    tx: &Transaction<'_>,
    new: &NewTicket,
    post: Option<&PostDraft>,
) -> Result<i64, StoreError> {
    let at = now_s();
    tx.execute(
        "INSERT INTO tickets (conversation, asker, thread, intent, summary, state, staff_channel, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?7)",
        params![
            new.conversation as i64,
            new.asker as i64,
            new.thread.map(|t| t as i64),
            new.intent,
            new.summary,
            new.staff_channel as i64,
            at
        ],
    )?;
    let id = tx.last_insert_rowid();
    if let Some(post) = post {
        insert_post(tx, Some(id), post)?;
    }
    Ok(id)
}

/// Moves a ticket if the move is allowed; else returns it as it is.
pub fn move_ticket(
    conn: &mut Connection,
    id: i64,
    to: TicketState,
    by: u64,
) -> Result<Option<Result<Ticket, Ticket>>, StoreError> {
    let tx = conn.transaction()?;
    let Some(current) = tx
        .query_row(
            &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"),
            [id],
            ticket_row,
        )
        .optional()?
    else {
        return Ok(None);
    };
    if !current.state.can_become(to) {
        return Ok(Some(Err(current)));
    }
    let claimed_by = if to == TicketState::Claimed {
        Some(by)
    } else {
        current.claimed_by
    };
    tx.execute(
        "UPDATE tickets SET state = ?2, claimed_by = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, to.as_str(), claimed_by.map(|b| b as i64), now_s()],
    )?;
    tx.commit()?;
    Ok(ticket(conn, id)?.map(Ok))
}

pub fn enqueue(
    conn: &mut Connection,
    ticket: Option<i64>,
    post: &PostDraft,
) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    insert_post(&tx, ticket, post)?;
    tx.commit()?;
    Ok(())
}

pub fn due_posts(conn: &Connection, now: i64, limit: usize) -> Result<Vec<Post>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT id, kind, ticket, channel, content, ping_role, nonce, attempts FROM outbox
         WHERE sent_at IS NULL AND dead_at IS NULL AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2",
    )?;
    let rows = statement.query_map(params![now, limit as i64], |r| {
        let kind: String = r.get(1)?;
        Ok(Post {
            id: r.get(0)?,
            kind: PostKind::parse(&kind).unwrap_or(PostKind::Note),
            ticket: r.get(2)?,
            channel: r.get::<_, i64>(3)? as u64,
            content: r.get(4)?,
            ping_role: r.get::<_, Option<i64>>(5)?.map(|r| r as u64),
            nonce: r.get(6)?,
            attempts: r.get::<_, i64>(7)?.clamp(0, i64::from(u32::MAX)) as u32,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The earliest time a pending post is due, if any.
pub fn next_due(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.query_row(
        "SELECT MIN(next_at) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

pub fn post_sent(conn: &mut Connection, id: i64, message: u64) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE outbox SET sent_at = ?2, message = ?3, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
        params![id, now_ms(), message as i64],
    )?;
    tx.execute(
        "UPDATE tickets SET staff_message = ?2 WHERE id = (SELECT ticket FROM outbox WHERE id = ?1 AND kind = 'ticket')",
        params![id, message as i64],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn post_failed(
    conn: &Connection,
    id: i64,
    next_at: i64,
    error: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_at = ?2, last_error = ?3 WHERE id = ?1",
        params![id, next_at, error],
    )?;
    Ok(())
}

pub fn post_dead(conn: &Connection, id: i64, error: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, dead_at = ?2, last_error = ?3 WHERE id = ?1",
        params![id, now_ms(), error],
    )?;
    Ok(())
}

/// Unclaimed tickets with a staff channel (the terminal's have none) whose
/// post staff have seen, reminded fewer than `ceiling` times.
pub fn to_remind(conn: &Connection, ceiling: u32) -> Result<Vec<Ticket>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE state = 'open' AND staff_channel != 0
         AND staff_message IS NOT NULL AND reminders < ?1 ORDER BY id"
    ))?;
    let rows = statement.query_map([i64::from(ceiling)], ticket_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn remind(conn: &mut Connection, id: i64, post: &PostDraft) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE tickets SET reminded_at = ?2, reminders = reminders + 1 WHERE id = ?1",
        params![id, now_s()],
    )?;
    insert_post(&tx, Some(id), post)?;
    tx.commit()?;
    Ok(())
}
