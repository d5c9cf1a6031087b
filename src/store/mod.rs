//! What must survive a restart, behind one small interface: SQLite by
//! default, and room for PostgreSQL behind the same trait.

mod applied;
mod sqlite;
mod sqlite_answered;
mod sqlite_backlog;
mod sqlite_conversations;
mod sqlite_migrate;
mod sqlite_review;
mod sqlite_stats;
mod sqlite_tickets;
mod tickets;

pub use applied::{Applied, Before, Redelivery};
pub use sqlite::SqliteStore;
pub use sqlite_tickets::now_ms;
pub use tickets::{NewTicket, Opened, Post, PostDraft, PostKind, Ticket, TicketState};

use crate::dialog::{Conversation, StepOutcome};
use crate::review::{Change, Counts, Item, Kept, Label, Noticed, Source};
use std::future::Future;
use std::pin::Pin;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("unsupported database URL {0:?}: use sqlite://PATH (or sqlite::memory:)")]
    Url(String),
    #[error("a stored conversation does not read back: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("migration {name}: {source}")]
    Migration {
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("a stored row does not read back: {0}")]
    Unreadable(String),
    #[error("the database worker has stopped")]
    Closed,
}

/// Boxed so that `dyn Store` works: adapters hold `Arc<dyn Store>`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// How a conversation is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Link {
    /// A bot message with components.
    Message(u64),
    /// A thread, forum post or DM channel where typed follow-ups continue it.
    Channel(u64),
}

/// One conversation with the facts around it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationRecord {
    pub id: u64,
    pub asker: u64,
    pub thread: Option<u64>,
    pub forum: bool,
    pub turn: u32,
    pub escalated: bool,
    pub conversation: Conversation,
    /// Its newest messages, against handling one twice.
    pub applied: Applied,
}

/// What happened to the conversations about one intent. Every
/// conversation is in exactly one of `resolved`, `escalated` and `open`,
/// so the three add up to `conversations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IntentStats {
    pub intent: String,
    pub conversations: u64,
    /// Solved without a person: resolved and never handed over. A case
    /// staff resolved after a hand-over counts as escalated, not here,
    /// or the bot would take the credit for a person's work.
    pub resolved: u64,
    /// Handed to a person, whatever happened after.
    pub escalated: u64,
    /// Neither yet: still being guided, or left without a verdict.
    pub open: u64,
    /// (step, how many cases it ended), by step.
    pub fixed_by_step: Vec<(usize, u64)>,
}

/// One week of conversations, for the trend: is the bot solving more
/// without a person as the knowledge base grows?
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WeekStats {
    /// Monday 00:00 UTC, unix seconds.
    pub week_start: i64,
    pub conversations: u64,
    /// Solved without a person, as in [`IntentStats::resolved`].
    pub resolved: u64,
    pub escalated: u64,
}

/// One verdict on one step, as statistics count them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub conversation: u64,
    pub intent: String,
    pub step: usize,
    pub fixed: bool,
}

impl ConversationRecord {
    /// The verdicts the conversation holds so far.
    pub fn feedback(&self) -> Vec<Feedback> {
        self.conversation
            .steps
            .iter()
            .filter(|s| s.outcome != StepOutcome::Shown)
            .map(|s| Feedback {
                conversation: self.id,
                intent: s.intent.to_string(),
                step: s.step,
                fixed: s.outcome == StepOutcome::Fixed,
            })
            .collect()
    }
}

/// A question waiting in the backlog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogRow {
    pub message: u64,
    pub author: u64,
    /// The gateway message as JSON.
    pub payload: String,
}

pub trait Store: Send + Sync {
    /// Writes the conversation and any new step verdicts, in one go.
    fn save(&self, record: ConversationRecord) -> StoreFuture<'_, ()>;
    fn link(&self, link: Link, conversation: u64) -> StoreFuture<'_, ()>;
    fn find(&self, link: Link) -> StoreFuture<'_, Option<ConversationRecord>>;
    fn get(&self, id: u64) -> StoreFuture<'_, Option<ConversationRecord>>;
    /// Whether a message was handled (answered, or deliberately left
    /// alone) by any run: a replayed or re-delivered one is skipped.
    fn answered(&self, message: u64) -> StoreFuture<'_, bool>;
    /// Records a message as handled, once its reply is sent: a question
    /// whose reply never went out (a crash, a failed send) is not marked,
    /// and the next start's catch-up answers it.
    fn mark_answered(&self, message: u64) -> StoreFuture<'_, ()>;
    /// Keeps a question that must wait for its turn to Discord while more
    /// wait than the bot holds in memory. Kept across a restart, handed out
    /// oldest first.
    fn backlog_push(&self, row: BacklogRow) -> StoreFuture<'_, ()>;
    fn backlog_oldest(&self, limit: usize) -> StoreFuture<'_, Vec<BacklogRow>>;
    /// Once its question is handled (or found handled already).
    fn backlog_remove(&self, message: u64) -> StoreFuture<'_, ()>;
    /// When the last message was marked handled (unix seconds), if ever:
    /// where a start's catch-up reads back from.
    fn last_answered_at(&self) -> StoreFuture<'_, Option<i64>>;
    /// The channels (threads, forum posts, DMs) of the conversations
    /// written since `since` (unix seconds), the most recent first, at most
    /// `limit`: where a start's catch-up looks for follow-ups written while
    /// the bot was away.
    fn live_channels(&self, since: i64, limit: usize) -> StoreFuture<'_, Vec<u64>>;
    /// Deletes what is older than `before` (unix seconds) and no longer
    /// needed: handled-message marks, sent or dead posts, conversations
    /// untouched since (with their links), resolved tickets. Returns the
    /// rows deleted.
    fn prune(&self, before: i64) -> StoreFuture<'_, u64>;
    fn feedback(&self, intent: Option<String>) -> StoreFuture<'_, Vec<Feedback>>;

    /// Hands a case over in one write: the conversation (marked escalated),
    /// its ticket and the staff post, all or nothing, so a crash cannot
    /// leave an escalated case without its ticket or a ticket without its
    /// post. An asker with an unresolved ticket gets that one back, and
    /// only the conversation is written.
    fn escalate(
        &self,
        record: ConversationRecord,
        ticket: NewTicket,
        post: Option<PostDraft>,
    ) -> StoreFuture<'_, Opened>;
    /// Conversations whose stage is escalated but whose ticket was never
    /// written (from before the one-write hand-over, or an interrupted
    /// one): the start finishes them.
    fn unticketed_escalations(&self) -> StoreFuture<'_, Vec<ConversationRecord>>;
    fn ticket(&self, id: i64) -> StoreFuture<'_, Option<Ticket>>;
    /// The asker's ticket that staff have not resolved yet, if any.
    fn unresolved_ticket(&self, asker: u64) -> StoreFuture<'_, Option<Ticket>>;
    /// Moves a ticket: `Ok` with the moved ticket, `Err` with the ticket as
    /// it stands when the move is not allowed; `None` for no such ticket.
    fn move_ticket(
        &self,
        id: i64,
        to: TicketState,
        by: u64,
    ) -> StoreFuture<'_, Option<Result<Ticket, Ticket>>>;
    fn enqueue(&self, ticket: Option<i64>, post: PostDraft) -> StoreFuture<'_, ()>;
    /// Posts due by `now_ms`, oldest first.
    fn due_posts(&self, now_ms: i64, limit: usize) -> StoreFuture<'_, Vec<Post>>;
    fn next_due(&self) -> StoreFuture<'_, Option<i64>>;
    fn post_sent(&self, id: i64, message: u64) -> StoreFuture<'_, ()>;
    fn post_failed(&self, id: i64, next_at_ms: i64, error: String) -> StoreFuture<'_, ()>;
    /// Sets a post aside for good (Discord refused it permanently): it is
    /// no longer due, and `error` says why.
    fn post_dead(&self, id: i64, error: String) -> StoreFuture<'_, ()>;
    /// Open (unclaimed) tickets posted to a staff channel and reminded fewer
    /// than `ceiling` times; the reminder policy picks the due ones.
    fn to_remind(&self, ceiling: u32) -> StoreFuture<'_, Vec<Ticket>>;
    /// Per intent, conversations started since `since` (unix seconds).
    fn stats(&self, since: i64) -> StoreFuture<'_, Vec<IntentStats>>;
    /// The same conversations by the week they started in, oldest first;
    /// only weeks that have any (`stats::weeks::fill` adds the empty ones).
    fn weekly_stats(&self, since: i64) -> StoreFuture<'_, Vec<WeekStats>>;
    /// Counts a reminder on the ticket and queues it, together.
    fn remind(&self, id: i64, post: PostDraft) -> StoreFuture<'_, ()>;

    /// Puts a near-miss in the review queue, or counts it on the item its
    /// text groups under (unless `source` was counted there last); returns
    /// the item's id.
    fn review_add(&self, noticed: Noticed, source: Source) -> StoreFuture<'_, i64>;
    /// Open items, most often seen first.
    fn review_open(&self, limit: usize) -> StoreFuture<'_, Vec<Item>>;
    fn review_item(&self, id: i64) -> StoreFuture<'_, Option<Item>>;
    /// The newest item that came from a conversation.
    fn review_for_conversation(&self, conversation: u64) -> StoreFuture<'_, Option<Item>>;
    /// Every labelled item, oldest label first: the overlay over a
    /// read-only knowledge base, and `eval --reviews`' test set.
    fn review_labelled(&self) -> StoreFuture<'_, Vec<Item>>;
    /// Labels an item not labelled yet (one with a label is refused);
    /// `None` for no such item.
    fn review_label(
        &self,
        id: i64,
        label: Label,
        by: u64,
        kept: Kept,
    ) -> StoreFuture<'_, Option<Change>>;
    /// Sets an open item aside; refused when it is not open.
    fn review_skip(&self, id: i64) -> StoreFuture<'_, Option<Change>>;
    fn review_counts(&self) -> StoreFuture<'_, Counts>;

    /// Answers when the database does: what a health check asks.
    fn ping(&self) -> StoreFuture<'_, ()>;
    /// Finishes the work queued so far, writes everything to the main file
    /// and closes it; later calls fail with `StoreError::Closed`.
    fn close(&self) -> StoreFuture<'_, ()>;
}
