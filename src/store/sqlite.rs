//! The SQLite store: one connection owned by a worker thread, so database
//! work never blocks the async runtime; callers await a reply.

use super::sqlite_answered as answered;
use super::sqlite_backlog as backlog;
use super::sqlite_conversations::{link_parts, live_channels, read_record, sql_id, write_record};
use super::sqlite_migrate::migrate;
use super::sqlite_review as review;
use super::sqlite_stats as stats;
use super::sqlite_tickets as t;
use super::{
    BacklogRow, ConversationRecord, Feedback, Link, NewTicket, Opened, Post, PostDraft, Store,
    StoreError, StoreFuture, Ticket, TicketState,
};
use crate::review::{Change, Counts, Item, Kept, Label, Noticed, Source};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

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
        self.call(move |conn| answered::answered(conn, message))
    }

    fn mark_answered(&self, message: u64) -> StoreFuture<'_, ()> {
        self.call(move |conn| answered::mark(conn, message))
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
        self.call(|conn| answered::last_at(conn))
    }

    fn live_channels(&self, since: i64, limit: usize) -> StoreFuture<'_, Vec<u64>> {
        self.call(move |conn| live_channels(conn, since, limit))
    }

    fn prune(&self, before: i64) -> StoreFuture<'_, u64> {
        self.call(move |conn| answered::prune(conn, before))
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

    fn review_add(&self, noticed: Noticed, source: Source) -> StoreFuture<'_, i64> {
        self.call(move |conn| review::add(conn, &noticed, source))
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

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
