//! The SQLite store: one connection owned by a worker thread, so database
//! work never blocks the async runtime; callers await a reply.

use super::sqlite_backlog as backlog;
use super::sqlite_review as review;
use super::sqlite_stats as stats;
use super::sqlite_tickets as t;
use super::{
    Applied, BacklogRow, ConversationRecord, Feedback, Link, NewTicket, Opened, Post, PostDraft,
    Store, StoreError, StoreFuture, Ticket, TicketState,
};
use crate::dialog::Conversation;
use crate::review::{Change, Counts, Item, Kept, Label, Noticed};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Schema changes, applied in order, each once.
pub(super) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_conversations",
        include_str!("../../migrations/0001_conversations.sql"),
    ),
    (
        "0002_tickets",
        include_str!("../../migrations/0002_tickets.sql"),
    ),
    (
        "0003_ticket_reminders",
        include_str!("../../migrations/0003_ticket_reminders.sql"),
    ),
    (
        "0004_outbox_dead_letters",
        include_str!("../../migrations/0004_outbox_dead_letters.sql"),
    ),
    (
        "0005_backlog",
        include_str!("../../migrations/0005_backlog.sql"),
    ),
    (
        "0006_review",
        include_str!("../../migrations/0006_review.sql"),
    ),
    (
        "0007_applied_messages",
        include_str!("../../migrations/0007_applied_messages.sql"),
    ),
];

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// What the worker thread is asked to do.
enum Message {
    Job(Job),
    /// Checkpoint, close the connection, then say so.
    Close(tokio::sync::oneshot::Sender<Result<(), StoreError>>),
}

/// Jobs waiting for the store thread at most; a caller beyond that waits
/// for room (backpressure) instead of growing memory without bound under a
/// burst.
const QUEUE: usize = 1_024;

pub struct SqliteStore {
    jobs: tokio::sync::mpsc::Sender<Message>,
}

impl SqliteStore {
    /// Opens (creating the file and its folder on first run) and migrates.
    /// `url` is `sqlite://PATH`, a bare path, or `sqlite::memory:`.
    pub fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let mut conn = match url.trim() {
            "sqlite::memory:" | ":memory:" => Connection::open_in_memory()?,
            other => {
                let path = PathBuf::from(other.strip_prefix("sqlite://").unwrap_or(other));
                if path.as_os_str().is_empty()
                    || other.contains("://") && !other.starts_with("sqlite://")
                {
                    return Err(StoreError::Url(url.to_string()));
                }
                create_folder(&path)?;
                Connection::open(&path)?
            }
        };
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 512 KiB of page cache instead of 2 MiB: the hot rows (recent
        // conversations) are also in the bot's own caches, and a page the
        // cache lacks is one read from the OS's.
        conn.pragma_update(None, "cache_size", -512)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        let (jobs, mut inbox) = tokio::sync::mpsc::channel::<Message>(QUEUE);
        std::thread::Builder::new()
            .name("syncmedic-store".into())
            .spawn(move || {
                while let Some(message) = inbox.blocking_recv() {
                    match message {
                        Message::Job(job) => job(&mut conn),
                        Message::Close(done) => {
                            // Jobs are run in order, so all earlier writes are in.
                            let checkpoint = conn
                                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
                                .map_err(StoreError::from);
                            let closed = conn.close().map_err(|(_, err)| StoreError::from(err));
                            let _ = done.send(checkpoint.and(closed));
                            return;
                        }
                    }
                }
            })
            .map_err(|source| StoreError::Folder {
                path: PathBuf::from("<store thread>"),
                source,
            })?;
        Ok(SqliteStore { jobs })
    }

    /// Whether `url` names a database that exists already: what a command
    /// that only reads asks before opening (which would create it).
    pub fn exists(url: &str) -> bool {
        match url.trim() {
            "sqlite::memory:" | ":memory:" => false,
            other => Path::new(other.strip_prefix("sqlite://").unwrap_or(other)).is_file(),
        }
    }

    fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> StoreFuture<'_, T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Message::Job(Box::new(move |conn| {
            let _ = reply.send(work(conn));
        }));
        Box::pin(async move {
            self.jobs.send(job).await.map_err(|_| StoreError::Closed)?;
            answer.await.map_err(|_| StoreError::Closed)?
        })
    }
}

fn create_folder(path: &Path) -> Result<(), StoreError> {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                path: folder.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )?;
    for (name, sql) in MIGRATIONS {
        let done: Option<String> = conn
            .query_row(
                "SELECT name FROM schema_migrations WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_some() {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|source| StoreError::Migration { name, source })?;
        tx.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)",
            params![name, now()],
        )?;
        tx.commit()?;
        tracing::info!(migration = name, "applied");
    }
    Ok(())
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// SQLite integers are signed; Discord ids fit, being below 2^63.
fn sql_id(id: u64) -> i64 {
    id as i64
}

fn read_record(conn: &Connection, id: i64) -> Result<Option<ConversationRecord>, StoreError> {
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
fn write_record(
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
         ON CONFLICT (id) DO UPDATE SET asker = ?2, thread = ?3, forum = ?4, turn = ?5, escalated = ?6,
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
    for f in record.feedback() {
        tx.execute(
            "INSERT OR IGNORE INTO feedback (conversation, intent, step, outcome, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sql_id(f.conversation), f.intent, f.step as i64, if f.fixed { "fixed" } else { "didnt_help" }, at],
        )?;
    }
    Ok(())
}

fn stage_name(conversation: &Conversation) -> String {
    serde_json::to_value(&conversation.stage)
        .ok()
        .and_then(|v| v.get("stage").and_then(|s| s.as_str()).map(str::to_string))
        .unwrap_or_else(|| "idle".to_string())
}

impl Store for SqliteStore {
    fn save(&self, record: ConversationRecord) -> StoreFuture<'_, ()> {
        self.call(move |conn| {
            let tx = conn.transaction()?;
            write_record(&tx, &record)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn escalate(
        &self,
        mut record: ConversationRecord,
        ticket: NewTicket,
        post: Option<PostDraft>,
    ) -> StoreFuture<'_, Opened> {
        self.call(move |conn| {
            let tx = conn.transaction()?;
            record.escalated = true;
            write_record(&tx, &record)?;
            let opened = t::open_ticket_in(&tx, &ticket, post.as_ref())?;
            tx.commit()?;
            Ok(match opened {
                Ok(id) => Opened::New(t::ticket(conn, id)?.ok_or(StoreError::Closed)?),
                Err(existing) => Opened::Existing(existing),
            })
        })
    }

    fn unticketed_escalations(&self) -> StoreFuture<'_, Vec<ConversationRecord>> {
        self.call(|conn| {
            let ids: Vec<i64> = conn
                .prepare(
                    "SELECT id FROM conversations WHERE stage = 'escalated' AND escalated = 0",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut records = Vec::with_capacity(ids.len());
            for id in ids {
                records.extend(read_record(conn, id)?);
            }
            Ok(records)
        })
    }

    fn link(&self, link: Link, conversation: u64) -> StoreFuture<'_, ()> {
        self.call(move |conn| {
            let (kind, key) = link_parts(link);
            conn.execute(
                "INSERT INTO conversation_links (kind, key, conversation) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, key) DO UPDATE SET conversation = ?3",
                params![kind, key, sql_id(conversation)],
            )?;
            Ok(())
        })
    }

    fn find(&self, link: Link) -> StoreFuture<'_, Option<ConversationRecord>> {
        self.call(move |conn| {
            let (kind, key) = link_parts(link);
            let id: Option<i64> = conn
                .query_row(
                    "SELECT conversation FROM conversation_links WHERE kind = ?1 AND key = ?2",
                    params![kind, key],
                    |r| r.get(0),
                )
                .optional()?;
            match id {
                Some(id) => read_record(conn, id),
                None => Ok(None),
            }
        })
    }

    fn get(&self, id: u64) -> StoreFuture<'_, Option<ConversationRecord>> {
        self.call(move |conn| read_record(conn, sql_id(id)))
    }

    fn answered(&self, message: u64) -> StoreFuture<'_, bool> {
        self.call(move |conn| {
            let found: Option<i64> = conn
                .query_row(
                    "SELECT 1 FROM answered WHERE message = ?1",
                    [sql_id(message)],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(found.is_some())
        })
    }

    fn mark_answered(&self, message: u64) -> StoreFuture<'_, ()> {
        self.call(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO answered (message, at) VALUES (?1, ?2)",
                params![sql_id(message), now()],
            )?;
            Ok(())
        })
    }

    fn backlog_push(&self, row: BacklogRow) -> StoreFuture<'_, ()> {
        self.call(move |conn| backlog::push(conn, &row))
    }

    fn backlog_oldest(&self, limit: usize) -> StoreFuture<'_, Vec<BacklogRow>> {
        self.call(move |conn| backlog::oldest(conn, limit))
    }

    fn backlog_remove(&self, message: u64) -> StoreFuture<'_, ()> {
        self.call(move |conn| backlog::remove(conn, message))
    }

    fn last_answered_at(&self) -> StoreFuture<'_, Option<i64>> {
        self.call(|conn| Ok(conn.query_row("SELECT MAX(at) FROM answered", [], |r| r.get(0))?))
    }

    fn live_channels(&self, since: i64, limit: usize) -> StoreFuture<'_, Vec<u64>> {
        self.call(move |conn| {
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
        })
    }

    fn prune(&self, before: i64) -> StoreFuture<'_, u64> {
        self.call(move |conn| {
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
        })
    }

    fn feedback(&self, intent: Option<String>) -> StoreFuture<'_, Vec<Feedback>> {
        self.call(move |conn| {
            let mut statement = conn.prepare(
                "SELECT conversation, intent, step, outcome FROM feedback
                 WHERE ?1 IS NULL OR intent = ?1 ORDER BY id",
            )?;
            let rows = statement.query_map([intent], |r| {
                Ok(Feedback {
                    conversation: r.get::<_, i64>(0)? as u64,
                    intent: r.get(1)?,
                    step: r.get::<_, i64>(2)? as usize,
                    fixed: r.get::<_, String>(3)? == "fixed",
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn unresolved_ticket(&self, asker: u64) -> StoreFuture<'_, Option<Ticket>> {
        self.call(move |conn| t::unresolved_ticket(conn, asker))
    }

    fn ticket(&self, id: i64) -> StoreFuture<'_, Option<Ticket>> {
        self.call(move |conn| t::ticket(conn, id))
    }

    fn move_ticket(
        &self,
        id: i64,
        to: TicketState,
        by: u64,
    ) -> StoreFuture<'_, Option<Result<Ticket, Ticket>>> {
        self.call(move |conn| t::move_ticket(conn, id, to, by))
    }

    fn enqueue(&self, ticket: Option<i64>, post: PostDraft) -> StoreFuture<'_, ()> {
        self.call(move |conn| t::enqueue(conn, ticket, &post))
    }

    fn due_posts(&self, now_ms: i64, limit: usize) -> StoreFuture<'_, Vec<Post>> {
        self.call(move |conn| t::due_posts(conn, now_ms, limit))
    }

    fn next_due(&self) -> StoreFuture<'_, Option<i64>> {
        self.call(|conn| t::next_due(conn))
    }

    fn post_sent(&self, id: i64, message: u64) -> StoreFuture<'_, ()> {
        self.call(move |conn| t::post_sent(conn, id, message))
    }

    fn post_dead(&self, id: i64, error: String) -> StoreFuture<'_, ()> {
        self.call(move |conn| t::post_dead(conn, id, &error))
    }

    fn post_failed(&self, id: i64, next_at_ms: i64, error: String) -> StoreFuture<'_, ()> {
        self.call(move |conn| t::post_failed(conn, id, next_at_ms, &error))
    }

    fn to_remind(&self, ceiling: u32) -> StoreFuture<'_, Vec<Ticket>> {
        self.call(move |conn| t::to_remind(conn, ceiling))
    }

    fn stats(&self, since: i64) -> StoreFuture<'_, Vec<super::IntentStats>> {
        self.call(move |conn| stats::intents(conn, since))
    }

    fn weekly_stats(&self, since: i64) -> StoreFuture<'_, Vec<super::WeekStats>> {
        self.call(move |conn| stats::weeks(conn, since))
    }

    fn remind(&self, id: i64, post: PostDraft) -> StoreFuture<'_, ()> {
        self.call(move |conn| t::remind(conn, id, &post))
    }

    fn review_add(&self, noticed: Noticed, conversation: Option<u64>) -> StoreFuture<'_, i64> {
        self.call(move |conn| review::add(conn, &noticed, conversation))
    }

    fn review_open(&self, limit: usize) -> StoreFuture<'_, Vec<Item>> {
        self.call(move |conn| review::open(conn, limit))
    }

    fn review_item(&self, id: i64) -> StoreFuture<'_, Option<Item>> {
        self.call(move |conn| review::item(conn, id))
    }

    fn review_for_conversation(&self, conversation: u64) -> StoreFuture<'_, Option<Item>> {
        self.call(move |conn| review::for_conversation(conn, conversation))
    }

    fn review_labelled(&self) -> StoreFuture<'_, Vec<Item>> {
        self.call(|conn| review::labelled(conn))
    }

    fn review_label(
        &self,
        id: i64,
        label: Label,
        by: u64,
        kept: Kept,
    ) -> StoreFuture<'_, Option<Change>> {
        self.call(move |conn| review::label(conn, id, &label, by, kept))
    }

    fn review_skip(&self, id: i64) -> StoreFuture<'_, Option<Change>> {
        self.call(move |conn| review::skip(conn, id))
    }

    fn review_counts(&self) -> StoreFuture<'_, Counts> {
        self.call(|conn| review::counts(conn))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        self.call(|conn| {
            conn.query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
    }

    fn close(&self) -> StoreFuture<'_, ()> {
        let (done, closed) = tokio::sync::oneshot::channel();
        Box::pin(async move {
            (self.jobs.send(Message::Close(done)).await).map_err(|_| StoreError::Closed)?;
            closed.await.map_err(|_| StoreError::Closed)?
        })
    }
}

fn link_parts(link: Link) -> (&'static str, i64) {
    match link {
        Link::Message(id) => ("message", sql_id(id)),
        Link::Channel(id) => ("channel", sql_id(id)),
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
