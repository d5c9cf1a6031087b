//! The one typed state every handler shares.

use super::backlog::Backlog;
use super::in_flight::InFlight;
use super::limits::{Cooldown, NoteAllowance, RateVerdict, ReplyLimits};
use super::members::Members;
use super::pace::Pacer;
use super::seen::Seen;
use super::sessions::{Session, SessionId, Sessions};
use super::turn_locks::TurnLocks;
use crate::engine::{Engine, SharedEngine};
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::store::{Link, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

/// How many conversations are kept in memory. They are a write-through
/// cache of the store, which answers a miss in well under a millisecond, so
/// a small cache covers the conversations going on now and keeps the
/// process's memory flat however many have come and gone. A thousand is
/// more than any team's channels hold open at once (a conversation waits
/// minutes between turns; at 200 new questions a second the oldest cached
/// one is five seconds old) for about 1 MiB.
const SESSIONS: usize = 1_000;
/// How many answered message ids are remembered against replays. A replay
/// comes within seconds of the original; the store remembers every id.
const SEEN: usize = 5_000;

/// Shared by all handlers. Each field owns its lock; the std `Mutex`es are
/// held only for in-memory work (the dialog takes microseconds) and never
/// across an `.await`, so they cannot stall the runtime.
pub struct Data {
    /// Swapped whole by a knowledge-base reload.
    pub engine: Arc<SharedEngine>,
    /// The folder the knowledge base was read from; `None` for the built-in
    /// copy, which cannot change while the bot runs.
    pub kb_dir: Option<PathBuf>,
    pub metrics: Arc<Metrics>,
    /// Handlers running now, so that a shutdown can wait for their replies.
    pub in_flight: Arc<InFlight>,
    pub settings: Arc<Settings>,
    /// What must survive a restart. The in-memory sessions are a cache of
    /// it: every change is written through, and a miss is looked up here.
    pub store: Arc<dyn Store>,
    /// Every answer's REST request takes its turn here.
    pub pacer: Arc<Pacer>,
    /// Wakes the outbox worker when a post is queued.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    pub sessions: Mutex<Sessions>,
    pub seen: Mutex<Seen>,
    /// Threads the bot has seen made (not its own): no thread can be
    /// opened inside one, so a mention there is answered by reply at once.
    pub threads: Mutex<Seen>,
    pub cooldown: Mutex<Cooldown>,
    /// What each user's silent messages may still add to the review queue.
    pub review_notes: Mutex<NoteAllowance>,
    pub reply_limits: Mutex<ReplyLimits>,
    /// Posts in the configured forum channels: thread id to the member who
    /// opened it (whose post may become their case).
    pub forum_threads: Mutex<std::collections::HashMap<u64, u64>>,
    /// The bot's own user id, known from READY.
    pub bot_id: OnceLock<u64>,
    /// The snowflake of this process's start: older messages are not caught
    /// up after a lost session, they predate this run.
    pub first_seen: AtomicU64,
    /// READY events so far; catch-up follows every one but the first.
    pub readies: AtomicU64,
    /// Questions waiting in the store while the send queue is long.
    pub backlog: Backlog,
    /// Whether DMs' authors are members of the home guild.
    pub members: Mutex<Members>,
    /// One lock per conversation with an event under way (`one_at_a_time`).
    pub turn_locks: TurnLocks,
}

impl Data {
    /// Where the running knowledge base comes from, for reloads and labels.
    pub fn kb_place(&self) -> crate::learn::KbPlace {
        crate::learn::KbPlace {
            dir: self.kb_dir.clone(),
        }
    }

    pub fn new(
        settings: Arc<Settings>,
        engine: Engine,
        kb_dir: Option<PathBuf>,
        store: Arc<dyn Store>,
        outbox_wake: Arc<tokio::sync::Notify>,
        metrics: Arc<Metrics>,
    ) -> Data {
        let cooldown = Cooldown::new(settings.user_cooldown);
        let reply_limits = ReplyLimits::new(settings.rates, Instant::now());
        Data {
            pacer: Arc::new(Pacer::new(
                settings.pace.requests_per_second,
                settings.pace.queue_warn,
                Arc::clone(&metrics),
            )),
            engine: Arc::new(SharedEngine::new(engine)),
            kb_dir,
            metrics,
            in_flight: Arc::new(InFlight::default()),
            reply_limits: Mutex::new(reply_limits),
            settings,
            store,
            outbox_wake,
            sessions: Mutex::new(Sessions::new(SESSIONS)),
            seen: Mutex::new(Seen::new(SEEN)),
            threads: Mutex::new(Seen::new(SEEN)),
            cooldown: Mutex::new(cooldown),
            review_notes: Mutex::new(NoteAllowance::default()),
            forum_threads: Mutex::new(Default::default()),
            bot_id: OnceLock::new(),
            first_seen: AtomicU64::new(snowflake_now()),
            readies: AtomicU64::new(0),
            backlog: Backlog::default(),
            members: Mutex::new(Members::default()),
            turn_locks: TurnLocks::default(),
        }
    }

    pub fn sessions(&self) -> MutexGuard<'_, Sessions> {
        lock(&self.sessions)
    }

    /// True the first time a message id is seen in this run, unless an
    /// earlier run handled it already.
    pub async fn first_time(&self, message: u64) -> bool {
        let forgotten_up_to = {
            let mut seen = lock(&self.seen);
            if !seen.first_time(message) {
                return false;
            }
            seen.forgotten_up_to()
        };
        // Written after this run started, and newer than any id this run
        // has forgotten: no run can have answered it, and the store stays
        // off the path of every new message. A replay of an older one
        // (after a long gateway gap under load) is asked of the store.
        if message >= self.first_seen.load(Ordering::Relaxed) && message > forgotten_up_to {
            return true;
        }
        match self.store.answered(message).await {
            Ok(answered) => !answered,
            Err(err) => {
                // Better to risk a rare double answer than to drop a question.
                tracing::error!(error = %err, "could not look up an answered message");
                true
            }
        }
    }

    /// Whether any run has handled this message already.
    pub async fn answered(&self, message: u64) -> bool {
        self.store.answered(message).await.unwrap_or_else(|err| {
            // Better to risk a rare double answer than to drop a question.
            tracing::error!(error = %err, "could not look up an answered message");
            false
        })
    }

    /// Records a message as handled, after its reply went out.
    pub async fn mark_answered(&self, message: u64) {
        if let Err(err) = self.store.mark_answered(message).await {
            tracing::error!(error = %err, "could not record an answered message");
        }
    }

    pub fn is_staff(&self, roles: &[u64]) -> bool {
        self.settings
            .discord
            .staff_role
            .is_some_and(|staff| roles.contains(&staff))
    }

    /// Keeps a new session, reachable from its channel (if any). Called
    /// before the reply is posted, so that a quick answer in the thread or
    /// a quick press finds it.
    pub async fn open(&self, id: SessionId, session: Session, channel: Option<u64>) {
        {
            let mut sessions = self.sessions();
            sessions.insert(id, session);
            if let Some(channel) = channel {
                sessions.link_channel(channel, id);
            }
        }
        self.persist(id).await;
        if let Some(channel) = channel {
            self.write_link(Link::Channel(channel), id).await;
        }
    }

    /// Makes a posted message's buttons lead to its session.
    pub async fn link_message(&self, message: u64, id: SessionId) {
        self.sessions().link_message(message, id);
        self.write_link(Link::Message(message), id).await;
    }

    async fn write_link(&self, link: Link, id: SessionId) {
        if let Err(err) = self.store.link(link, id).await {
            tracing::error!(error = %err, ?link, session = id, "could not store a conversation link");
        }
    }

    /// Writes the session as it is now.
    pub async fn persist(&self, id: SessionId) {
        let record = self.sessions().get_mut(id).map(|s| s.record(id));
        if let Some(record) = record
            && let Err(err) = self.store.save(record).await
        {
            tracing::error!(error = %err, session = id, "could not store a conversation");
        }
    }

    /// Makes sure session `id` is in memory, from the store if need be;
    /// false when it is in neither.
    pub async fn load(&self, id: SessionId) -> bool {
        if self.sessions().get_mut(id).is_some() {
            return true;
        }
        match self.store.get(id).await {
            Ok(Some(record)) => {
                let mut sessions = self.sessions();
                if sessions.get_mut(id).is_none() {
                    sessions.insert(id, Session::from_record(record));
                }
                true
            }
            Ok(None) => false,
            Err(err) => {
                tracing::error!(error = %err, session = id, "could not load a conversation");
                false
            }
        }
    }

    /// The session a link leads to: from memory, else from the store (after
    /// a restart), which it then caches.
    pub async fn find(&self, link: Link) -> Option<SessionId> {
        {
            let sessions = self.sessions();
            let cached = match link {
                Link::Message(m) => sessions.for_message(m),
                Link::Channel(c) => sessions.for_channel(c),
            };
            if cached.is_some() {
                return cached;
            }
            if let Link::Channel(c) = link
                && sessions.known_unlinked(c)
            {
                return None;
            }
        }
        let record = match self.store.find(link).await {
            Ok(Some(record)) => record,
            Ok(None) => {
                if let Link::Channel(c) = link {
                    self.sessions().mark_unlinked(c);
                }
                return None;
            }
            Err(err) => {
                tracing::error!(error = %err, ?link, "could not look a conversation up");
                return None;
            }
        };
        let id = record.id;
        let mut sessions = self.sessions();
        if sessions.get_mut(id).is_none() {
            sessions.insert(id, Session::from_record(record));
        }
        match link {
            Link::Message(m) => sessions.link_message(m, id),
            Link::Channel(c) => sessions.link_channel(c, id),
        }
        Some(id)
    }
}

/// A poisoned lock means a handler panicked mid-update; the data is still
/// the best there is, so keep serving rather than fail every later event.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Data {
    /// Handlers held in memory waiting their turn: for the send queue, or
    /// for their conversation (`turn_locks`). Past the backlog's window,
    /// new questions wait in the store instead.
    pub fn waiting_in_memory(&self) -> usize {
        self.pacer.waiting() + self.turn_locks.waiting()
    }

    /// The reply limits' verdict for a reply to `user` now, counted in the
    /// metrics when it holds the reply back.
    /// `at` is when the message was written: a question handed back by
    /// the backlog is judged by when it was asked, not when its turn came.
    pub fn may_reply(&self, user: u64, at: Instant) -> RateVerdict {
        self.check_reply(user, at, true)
    }

    /// As `may_reply`, now; `global` is false for an interaction's answer.
    pub fn may_reply_as(&self, user: u64, global: bool) -> RateVerdict {
        self.check_reply(user, Instant::now(), global)
    }

    fn check_reply(&self, user: u64, at: Instant, global: bool) -> RateVerdict {
        let verdict = lock(&self.reply_limits).check(user, at, global);
        match verdict {
            RateVerdict::Go => {}
            RateVerdict::UserOver { .. } => Metrics::bump(&self.metrics.user_limited),
            RateVerdict::Shed => Metrics::bump(&self.metrics.shed),
        }
        verdict
    }

    pub fn threads(&self) -> MutexGuard<'_, Seen> {
        lock(&self.threads)
    }

    pub fn review_notes(&self) -> MutexGuard<'_, NoteAllowance> {
        lock(&self.review_notes)
    }

    pub fn cooldown(&self) -> MutexGuard<'_, Cooldown> {
        lock(&self.cooldown)
    }

    pub fn forum_threads(&self) -> MutexGuard<'_, std::collections::HashMap<u64, u64>> {
        lock(&self.forum_threads)
    }
}

/// A Discord id for this instant: milliseconds since 2015 in the top bits.
fn snowflake_now() -> u64 {
    const DISCORD_EPOCH_MS: u128 = 1_420_070_400_000;
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    u64::try_from(ms.saturating_sub(DISCORD_EPOCH_MS)).unwrap_or(0) << 22
}
