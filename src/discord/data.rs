//! The one typed state every handler shares.

use super::limits::{Cooldown, Seen};
use super::sessions::{Session, SessionId, Sessions};
use crate::dialog::{self, Event, Reply};
use crate::engine::Engine;
use crate::settings::Settings;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// How many conversations are kept in memory.
const SESSIONS: usize = 20_000;
/// How many answered message ids are remembered against replays.
const SEEN: usize = 50_000;

/// Shared by all handlers. Each field owns its lock; the std `Mutex`es are
/// held only for in-memory work (the dialog takes microseconds) and never
/// across an `.await`, so they cannot stall the runtime.
pub struct Data {
    pub engine: Arc<Engine>,
    pub settings: Arc<Settings>,
    pub sessions: Mutex<Sessions>,
    pub seen: Mutex<Seen>,
    pub cooldown: Mutex<Cooldown>,
    /// Threads of the configured forum channels, by thread id.
    pub forum_threads: Mutex<std::collections::HashSet<u64>>,
    /// The bot's own user id, known from READY.
    pub bot_id: OnceLock<u64>,
}

/// The outcome of feeding an event to a session.
pub struct Turn {
    pub reply: Option<Reply>,
    pub turn: u32,
    pub session: Session,
}

impl Data {
    pub fn new(settings: Settings, engine: Engine) -> Data {
        let cooldown = Cooldown::new(settings.user_cooldown);
        Data {
            engine: Arc::new(engine),
            settings: Arc::new(settings),
            sessions: Mutex::new(Sessions::new(SESSIONS)),
            seen: Mutex::new(Seen::new(SEEN)),
            cooldown: Mutex::new(cooldown),
            forum_threads: Mutex::new(Default::default()),
            bot_id: OnceLock::new(),
        }
    }

    pub fn sessions(&self) -> MutexGuard<'_, Sessions> {
        lock(&self.sessions)
    }

    /// True the first time a message id is seen.
    pub fn first_time(&self, message: u64) -> bool {
        lock(&self.seen).first_time(message)
    }

    pub fn is_staff(&self, roles: &[u64]) -> bool {
        self.settings
            .discord
            .staff_role
            .is_some_and(|staff| roles.contains(&staff))
    }

    /// Feeds `event` to the session `id`, bumping its turn when it replies.
    pub fn advance(&self, id: SessionId, event: Event) -> Option<Turn> {
        let mut sessions = self.sessions();
        let session = sessions.get_mut(id)?;
        let conversation = std::mem::take(&mut session.conversation);
        let (conversation, reply) = dialog::handle(&self.engine, conversation, event);
        session.conversation = conversation;
        if reply.is_some() {
            session.turn += 1;
        }
        Some(Turn {
            reply,
            turn: session.turn,
            session: session.clone(),
        })
    }

    /// Runs a first event for a conversation that does not exist yet; the
    /// caller stores it with `open` once there is somewhere to keep it.
    pub fn try_new(&self, mut session: Session, event: Event) -> Turn {
        let (conversation, reply) = dialog::handle(&self.engine, session.conversation, event);
        session.conversation = conversation;
        if reply.is_some() {
            session.turn += 1;
        }
        Turn {
            reply,
            turn: session.turn,
            session,
        }
    }

    /// Keeps a new session, reachable from its channel (if any). Called
    /// before the reply is posted, so that a quick answer in the thread or
    /// a quick press finds it.
    pub fn open(&self, id: SessionId, session: Session, channel: Option<u64>) {
        let mut sessions = self.sessions();
        sessions.insert(id, session);
        if let Some(channel) = channel {
            sessions.link_channel(channel, id);
        }
    }

    /// Makes a posted message's buttons lead to its session.
    pub fn link_message(&self, message: u64, id: SessionId) {
        self.sessions().link_message(message, id);
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
    pub fn cooldown(&self) -> MutexGuard<'_, Cooldown> {
        lock(&self.cooldown)
    }

    pub fn forum_threads(&self) -> MutexGuard<'_, std::collections::HashSet<u64>> {
        lock(&self.forum_threads)
    }
}
