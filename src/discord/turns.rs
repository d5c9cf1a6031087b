//! A conversation's turns on Discord: an event fed to the dialog under the
//! authority policy, and the write that follows it (a hand-over's ticket
//! and staff post with it, in one go).

use super::data::Data;
use super::guard::{Target, Who};
use super::sessions::{Session, SessionId};
use crate::dialog::{self, CaseSummary, CaseUpdate, Event, Reply, ReplyKind};
use crate::escalation::{self, StaffPost};
use crate::metrics::Metrics;
use crate::policy::{Action, Authority, Denial};
use crate::review::{self, Noticed, Source};
use crate::store::{Before, Opened, PostDraft, PostKind, Redelivery};

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
    /// The message was taken in already and the conversation has moved on
    /// since: nothing to do.
    Applied,
}

impl Data {
    /// Waits until no other event of conversation `id` is under way, and
    /// holds it until the guard drops (see `turn_locks`).
    pub async fn one_at_a_time(&self, id: SessionId) -> tokio::sync::OwnedMutexGuard<()> {
        self.turn_locks.one_at_a_time(id).await
    }

    /// Whether conversation `id` has taken in a message newer than
    /// `message`.
    pub fn took_newer(&self, id: SessionId, message: u64) -> bool {
        (self.sessions().get_mut(id))
            .and_then(|s| s.applied.newest())
            .is_some_and(|newest| newest > message)
    }

    /// Feeds `event` from `who` to the session `id`, bumping its turn when
    /// it replies. An event the dialog turns into a hand-over (typed "talk
    /// to a human", the last step not helping, a picked reading that is a
    /// request for a person) is put to the policy here, whatever brought
    /// it: refused, the conversation is left as it was. `message` is the
    /// message that brought a typed event: one the conversation took in
    /// already is handled from where it stood before it, or not at all
    /// (see `store::Applied`).
    pub async fn advance(
        &self,
        id: SessionId,
        event: Event,
        who: &Who,
        message: Option<u64>,
    ) -> Advanced {
        // Evicted from memory while the event waited for its turn.
        if !self.load(id).await {
            return Advanced::Gone;
        }
        let engine = self.engine.current();
        let (turn, before, from) = {
            let mut sessions = self.sessions();
            let Some(session) = sessions.get_mut(id) else {
                return Advanced::Gone;
            };
            let before = (
                session.conversation.clone(),
                session.turn,
                session.applied.clone(),
            );
            let again = match message.map(|m| session.applied.judge(m)) {
                None | Some(Redelivery::New) => None,
                Some(Redelivery::Again(from)) => Some(from.clone()),
                Some(Redelivery::Applied) => return Advanced::Applied,
            };
            let from = match again {
                Some(from) => {
                    tracing::info!("a message handled again after a restart, from before it");
                    from
                }
                None => Before {
                    turn: session.turn,
                    conversation: session.conversation.clone(),
                },
            };
            let (conversation, reply) =
                dialog::handle(&engine, from.conversation.clone(), event.clone());
            session.conversation = conversation;
            session.turn = from.turn + u32::from(reply.is_some());
            match message {
                Some(message) => session.applied.took(message, from.clone()),
                None => session.applied.moved_otherwise(),
            }
            let turn = Turn {
                reply,
                turn: session.turn,
                session: session.clone(),
            };
            (turn, before, from)
        };
        // Outside the sessions' lock: it may classify the text again.
        let noticed = review::noticed(
            &engine,
            &from.conversation,
            &event,
            &turn.session.conversation,
            turn.reply.as_ref(),
        );
        let seen = Source {
            conversation: Some(id),
            message,
        };
        if !turn.hands_over() {
            self.queue_for_review(noticed, seen, who.user);
            return Advanced::Moved(Box::new(turn));
        }
        match self
            .authorize(who, Action::Escalate, Target::Session(id))
            .await
        {
            Authority::Allowed => {
                self.queue_for_review(noticed, seen, who.user);
                Advanced::Moved(Box::new(turn))
            }
            Authority::Denied(why) => {
                if let Some(session) = self.sessions().get_mut(id) {
                    (session.conversation, session.turn, session.applied) = before;
                }
                Advanced::Refused(why)
            }
        }
    }

    /// Runs a first event for a conversation that does not exist yet; the
    /// caller stores it with `open` once there is somewhere to keep it.
    /// `own_thread` says whether the case will have a thread or post of its
    /// own (where, without an escalation channel, its ticket would go);
    /// `message` is the message that brought it, if one did.
    pub async fn try_new(
        &self,
        mut session: Session,
        event: Event,
        who: &Who,
        own_thread: bool,
        message: Option<u64>,
    ) -> Result<Turn, Denial> {
        let engine = self.engine.current();
        let before = session.conversation;
        let (conversation, reply) = dialog::handle(&engine, before.clone(), event.clone());
        let noticed = review::noticed(&engine, &before, &event, &conversation, reply.as_ref());
        drop(engine);
        session.conversation = conversation;
        if reply.is_some() {
            session.turn += 1;
        }
        let asker = session.asker;
        let seen = Source {
            conversation: None,
            message,
        };
        let turn = Turn {
            reply,
            turn: session.turn,
            session,
        };
        if !turn.hands_over() {
            self.queue_for_review(noticed, seen, who.user);
            return Ok(turn);
        }
        let target = Target::New { asker, own_thread };
        match self.authorize(who, Action::Escalate, target).await {
            Authority::Allowed => {
                self.queue_for_review(noticed, seen, who.user);
                Ok(turn)
            }
            Authority::Denied(why) => Err(why),
        }
    }

    /// Puts the turn's near-miss in the review queue, off the answer's
    /// path: the write runs on its own, and a failure costs one sighting,
    /// never a reply.
    fn queue_for_review(&self, noticed: Option<Noticed>, seen: Source, user: u64) {
        let Some(noticed) = noticed else {
            return;
        };
        // Presses and forms passed the reply limits already; silence did
        // not, so it has an allowance of its own.
        if noticed.reason == review::Reason::SilentInDomain
            && !self.review_notes().take(user, std::time::Instant::now())
        {
            tracing::debug!(user, "over the review-note allowance; not queued");
            return;
        }
        let store = std::sync::Arc::clone(&self.store);
        let metrics = std::sync::Arc::clone(&self.metrics);
        tokio::spawn(async move {
            match store.review_add(noticed, seen).await {
                Ok(_) => Metrics::bump(&metrics.review_queued),
                Err(err) => tracing::warn!(error = %err, "could not add to the review queue"),
            }
        });
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
        if let Some(update) = &reply.update {
            self.tell_ticket(id, update).await;
        }
    }

    /// Puts what the asker said since the hand-over on the case's ticket,
    /// through the outbox (so a restart cannot lose it), where its staff
    /// post is, and without pinging anyone: the role heard of the ticket
    /// once.
    async fn tell_ticket(&self, id: SessionId, update: &CaseUpdate) {
        let Some(asker) = self.sessions().get_mut(id).map(|s| s.asker) else {
            return;
        };
        let ticket = match self.store.unresolved_ticket(asker).await {
            Ok(Some(ticket)) if ticket.conversation == id => ticket,
            Ok(_) => {
                tracing::info!(session = id, "no open ticket of this case to tell");
                return;
            }
            Err(err) => {
                tracing::error!(error = %err, session = id, "could not look the case's ticket up");
                return;
            }
        };
        let draft = PostDraft {
            kind: PostKind::Note,
            channel: ticket.staff_channel,
            content: update.staff_line(ticket.id),
            body: String::new(),
            ping_role: None,
        };
        match self.store.enqueue(Some(ticket.id), draft).await {
            Ok(()) => self.outbox_wake.notify_one(),
            Err(err) => {
                tracing::error!(error = %err, ticket = ticket.id, "could not queue the ticket's update");
            }
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
}
