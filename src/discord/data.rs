//! The one typed state every handler shares.

use super::guard::{Target, Who};
use super::limits::{Cooldown, RateVerdict, ReplyLimits, Seen};
use super::pace::Pacer;
use super::sessions::{Session, SessionId, Sessions};
use crate::dialog::{self, CaseSummary, Event, Reply, ReplyKind};
use crate::engine::{Engine, SharedEngine};
use crate::escalation::{self, StaffPost};
use crate::metrics::Metrics;
use crate::policy::{Action, Authority, Denial};
use crate::settings::Settings;
use crate::store::{Link, Opened, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

/// How many conversations are kept in memory. They are a write-through
/// cache of the store, which answers a miss in well under a millisecond, so
/// a small cache covers the conversations going on now and keeps the
/// process's memory flat however many have come and gone.
const SESSIONS: usize = 2_000;
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
}

/// The outcome of feeding an event to a session.
pub struct Turn {
    pub reply: Option<Reply>,
    pub turn: u32,
    pub session: Session,
}

impl Turn {
    /// The reply hands the case to a person.
    fn hands_over(&self) -> bool {
        self.reply
            .as_ref()
            .is_some_and(|r| r.kind == ReplyKind::Escalation)
    }
}

/// What became of an event for an existing session.
pub enum Advanced {
    Moved(Box<Turn>),
    /// The event would have handed the case over, and the policy refused;
    /// nothing changed.
    Refused(Denial),
    /// The session is no longer known.
    Gone,
}

impl Data {
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
            forum_threads: Mutex::new(Default::default()),
            bot_id: OnceLock::new(),
            first_seen: AtomicU64::new(snowflake_now()),
            readies: AtomicU64::new(0),
        }
    }

    pub fn sessions(&self) -> MutexGuard<'_, Sessions> {
        lock(&self.sessions)
    }

    /// True the first time a message id is seen in this run, unless an
    /// earlier run handled it already.
    pub async fn first_time(&self, message: u64) -> bool {
        if !lock(&self.seen).first_time(message) {
            return false;
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

    /// Feeds `event` from `who` to the session `id`, bumping its turn when
    /// it replies. An event the dialog turns into a hand-over (typed "talk
    /// to a human", the last step not helping, a picked reading that is a
    /// request for a person) is put to the policy here, whatever brought
    /// it: refused, the conversation is left as it was.
    pub async fn advance(&self, id: SessionId, event: Event, who: &Who) -> Advanced {
        let (turn, before) = {
            let mut sessions = self.sessions();
            let Some(session) = sessions.get_mut(id) else {
                return Advanced::Gone;
            };
            let before = (session.conversation.clone(), session.turn);
            let conversation = std::mem::take(&mut session.conversation);
            let (conversation, reply) = dialog::handle(&self.engine.current(), conversation, event);
            session.conversation = conversation;
            if reply.is_some() {
                session.turn += 1;
            }
            let turn = Turn {
                reply,
                turn: session.turn,
                session: session.clone(),
            };
            (turn, before)
        };
        if !turn.hands_over() {
            return Advanced::Moved(Box::new(turn));
        }
        match self
            .authorize(who, Action::Escalate, Target::Session(id))
            .await
        {
            Authority::Allowed => Advanced::Moved(Box::new(turn)),
            Authority::Denied(why) => {
                if let Some(session) = self.sessions().get_mut(id) {
                    (session.conversation, session.turn) = before;
                }
                Advanced::Refused(why)
            }
        }
    }

    /// Runs a first event for a conversation that does not exist yet; the
    /// caller stores it with `open` once there is somewhere to keep it.
    /// `own_thread` says whether the case will have a thread or post of its
    /// own (where, without an escalation channel, its ticket would go).
    pub async fn try_new(
        &self,
        mut session: Session,
        event: Event,
        who: &Who,
        own_thread: bool,
    ) -> Result<Turn, Denial> {
        let (conversation, reply) =
            dialog::handle(&self.engine.current(), session.conversation, event);
        session.conversation = conversation;
        if reply.is_some() {
            session.turn += 1;
        }
        let asker = session.asker;
        let turn = Turn {
            reply,
            turn: session.turn,
            session,
        };
        if !turn.hands_over() {
            return Ok(turn);
        }
        let target = Target::New { asker, own_thread };
        match self.authorize(who, Action::Escalate, target).await {
            Authority::Allowed => Ok(turn),
            Authority::Denied(why) => Err(why),
        }
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

    /// Writes the session after `reply`. A hand-over is written with its
    /// ticket and staff post in one go (see `Store::escalate`), built from
    /// the case the reply carries; `channel` is where the conversation
    /// runs, which the staff post links to.
    pub async fn persist_turn(&self, id: SessionId, reply: &Reply, channel: u64) {
        let case = reply
            .case
            .as_ref()
            .filter(|_| reply.kind == ReplyKind::Escalation);
        match case {
            Some(case) => self.hand_over(id, case, channel).await,
            None => self.persist(id).await,
        }
    }

    /// Writes session `id` as handed over with `case`: the conversation,
    /// its ticket and the staff post, in one write.
    pub async fn hand_over(&self, id: SessionId, case: &CaseSummary, channel: u64) {
        let record = {
            let mut sessions = self.sessions();
            let Some(session) = sessions.get_mut(id) else {
                return;
            };
            session.escalated = true;
            session.record(id)
        };
        let discord = &self.settings.discord;
        // The policy let the hand-over through only with somewhere for it.
        let Some(staff_channel) = discord.escalation_channel.or(record.thread) else {
            tracing::error!("a hand-over with no escalation channel and no thread of its own");
            return self.persist(id).await;
        };
        let post = StaffPost {
            channel: staff_channel,
            role: discord.staff_role,
            conversation_in: channel,
        };
        let asker = escalation::Asker {
            conversation: id,
            user: record.asker,
            thread: record.thread,
        };
        let (ticket, draft) = escalation::ticket(asker, case, Some(post));
        match self.store.escalate(record, ticket, draft).await {
            Ok(Opened::New(ticket)) => {
                Metrics::bump(&self.metrics.escalations);
                tracing::info!(ticket = ticket.id, "ticket opened");
                self.outbox_wake.notify_one();
            }
            Ok(Opened::Existing(ticket)) => {
                tracing::info!(ticket = ticket.id, "the asker already has this ticket open");
            }
            Err(err) => {
                tracing::error!(error = %err, session = id, "could not write the hand-over");
            }
        }
    }

    /// For a conversation just opened (`open` wrote it): when its first
    /// reply already hands it over, the ticket is written now.
    pub async fn hand_over_if_asked(&self, id: SessionId, reply: &Reply, channel: u64) {
        if reply.kind == ReplyKind::Escalation {
            self.persist_turn(id, reply, channel).await;
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
        let cached = {
            let sessions = self.sessions();
            match link {
                Link::Message(m) => sessions.for_message(m),
                Link::Channel(c) => sessions.for_channel(c),
            }
        };
        if cached.is_some() {
            return cached;
        }
        let record = match self.store.find(link).await {
            Ok(record) => record?,
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
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Data {
    /// The reply limits' verdict for a reply to `user` now, counted in the
    /// metrics when it holds the reply back.
    pub fn may_reply(&self, user: u64) -> RateVerdict {
        self.may_reply_as(user, true)
    }

    /// As `may_reply`; `global` is false for an interaction's answer.
    pub fn may_reply_as(&self, user: u64, global: bool) -> RateVerdict {
        let verdict = lock(&self.reply_limits).check(user, Instant::now(), global);
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

/// Counts running handlers; a shutdown waits until the count is zero.
#[derive(Debug, Default)]
pub struct InFlight {
    running: AtomicUsize,
    idle: tokio::sync::Notify,
    /// Set once the replies in flight are done at shutdown: an event that
    /// still arrives (from a gateway that would not close) is not taken,
    /// since the store is about to close under it.
    closed: AtomicBool,
}

/// Held while a handler runs.
pub struct InFlightGuard<'a>(&'a InFlight);

impl InFlight {
    pub fn enter(&self) -> InFlightGuard<'_> {
        self.begin();
        InFlightGuard(self)
    }

    /// As `enter`, for a guard that must outlive a borrow (a command's
    /// invocation data).
    pub fn enter_owned(self: &Arc<Self>) -> OwnedInFlightGuard {
        self.begin();
        OwnedInFlightGuard(Arc::clone(self))
    }

    fn begin(&self) {
        self.running.fetch_add(1, Ordering::SeqCst);
    }

    fn end(&self) {
        let before = self
            .running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_sub(1))
            })
            .unwrap_or(0);
        if before <= 1 {
            self.idle.notify_waiters();
        }
    }

    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Resolves once no handler is running.
    pub async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.running() == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Held while a command runs.
pub struct OwnedInFlightGuard(Arc<InFlight>);

impl Drop for OwnedInFlightGuard {
    fn drop(&mut self) {
        self.0.end();
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}
