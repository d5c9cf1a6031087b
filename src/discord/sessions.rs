//! Conversations the bot is having on Discord, and how to find one from a
//! pressed button (its message) or a typed follow-up (its channel).

use crate::dialog::Conversation;
use crate::store::{Applied, ConversationRecord};
use std::collections::{HashMap, HashSet, VecDeque};

/// A conversation's id: the thread, forum post or DM channel it lives in, or
/// for a reply to a command outside a thread, the bot's first message.
pub type SessionId = u64;

/// One conversation with the Discord facts around it.
#[derive(Debug, Clone)]
pub struct Session {
    pub conversation: Conversation,
    /// Who asked: with the staff role, the only one who may close or
    /// escalate the case.
    pub asker: u64,
    /// Counts the bot's replies; buttons carry the turn they were drawn at.
    pub turn: u32,
    /// The thread or forum post the conversation runs in, if any.
    pub thread: Option<u64>,
    /// True for a forum post (which gets the solved tag).
    pub forum: bool,
    /// The staff role has been pinged for this case.
    pub escalated: bool,
    /// Its newest messages, so that one handled again after a crash moves
    /// the case once (see `store::Applied`).
    pub applied: Applied,
}

impl Session {
    /// The session as the store keeps it.
    pub fn record(&self, id: SessionId) -> ConversationRecord {
        ConversationRecord {
            id,
            asker: self.asker,
            thread: self.thread,
            forum: self.forum,
            turn: self.turn,
            escalated: self.escalated,
            conversation: self.conversation.clone(),
            applied: self.applied.clone(),
        }
    }

    pub fn from_record(record: ConversationRecord) -> Session {
        Session {
            conversation: record.conversation,
            asker: record.asker,
            turn: record.turn,
            thread: record.thread,
            forum: record.forum,
            escalated: record.escalated,
            applied: record.applied,
        }
    }

    pub fn new(asker: u64, thread: Option<u64>, forum: bool) -> Session {
        Session {
            conversation: Conversation::default(),
            asker,
            turn: 0,
            thread,
            forum,
            escalated: false,
            applied: Applied::default(),
        }
    }
}

/// Channels remembered as having no conversation: a few hundred KiB.
const UNLINKED_CAPACITY: usize = 20_000;

/// The registry, bounded: the oldest conversations are forgotten first.
#[derive(Debug)]
pub struct Sessions {
    /// Boxed: a session is a few hundred bytes, and a map holds up to
    /// twice its entries in slots; a slot is then a pointer, not a session.
    sessions: HashMap<SessionId, Box<Session>>,
    by_message: HashMap<u64, SessionId>,
    by_channel: HashMap<u64, SessionId>,
    order: VecDeque<SessionId>,
    capacity: usize,
    /// Channels the store has no conversation for: most messages arrive
    /// in channels no case runs in (the support channels themselves, chat
    /// elsewhere), and asking the store each time put it on every
    /// message's path. Bounded like the rest; forgetting one costs a read.
    unlinked: HashSet<u64>,
    unlinked_order: VecDeque<u64>,
}

impl Sessions {
    pub fn new(capacity: usize) -> Sessions {
        Sessions {
            sessions: HashMap::new(),
            by_message: HashMap::new(),
            by_channel: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            unlinked: HashSet::new(),
            unlinked_order: VecDeque::new(),
        }
    }

    pub fn insert(&mut self, id: SessionId, session: Session) {
        if self.sessions.insert(id, Box::new(session)).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.sessions.remove(&old);
                self.by_message.retain(|_, s| *s != old);
                self.by_channel.retain(|_, s| *s != old);
            }
        }
    }

    pub fn get_mut(&mut self, id: SessionId) -> Option<&mut Session> {
        self.sessions.get_mut(&id).map(|s| &mut **s)
    }

    /// The conversation a bot message with components belongs to.
    pub fn for_message(&self, message: u64) -> Option<SessionId> {
        self.by_message.get(&message).copied()
    }

    /// The conversation typed messages in this channel continue.
    pub fn for_channel(&self, channel: u64) -> Option<SessionId> {
        self.by_channel.get(&channel).copied()
    }

    pub fn link_message(&mut self, message: u64, id: SessionId) {
        if self.sessions.contains_key(&id) {
            self.by_message.insert(message, id);
        }
    }

    pub fn link_channel(&mut self, channel: u64, id: SessionId) {
        self.unlinked.remove(&channel);
        if self.sessions.contains_key(&id) {
            self.by_channel.insert(channel, id);
        }
    }

    /// True when the store has said no conversation continues in
    /// `channel`, and nothing has been linked to it since.
    pub fn known_unlinked(&self, channel: u64) -> bool {
        self.unlinked.contains(&channel)
    }

    /// Remembers the store's "no conversation in `channel`". A link made
    /// while the store was being asked wins: the answer is ignored if the
    /// channel is linked now. Later links clear it (`link_channel`), and a
    /// conversation forgotten from memory keeps its link in the store, so
    /// an eviction never turns into a wrong "none".
    pub fn mark_unlinked(&mut self, channel: u64) {
        if self.by_channel.contains_key(&channel) || !self.unlinked.insert(channel) {
            return;
        }
        self.unlinked_order.push_back(channel);
        while self.unlinked_order.len() > UNLINKED_CAPACITY {
            if let Some(old) = self.unlinked_order.pop_front() {
                self.unlinked.remove(&old);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_session_by_message_and_by_channel() {
        let mut s = Sessions::new(10);
        s.insert(7, Session::new(1, Some(7), false));
        s.link_message(100, 7);
        s.link_channel(7, 7);
        assert_eq!(s.for_message(100), Some(7));
        assert_eq!(s.for_channel(7), Some(7));
        assert_eq!(s.for_message(101), None);
        s.link_message(200, 99);
        assert_eq!(s.for_message(200), None, "links only to known sessions");
    }

    #[test]
    fn forgets_the_oldest_beyond_capacity() {
        let mut s = Sessions::new(2);
        for id in 1..=3 {
            s.insert(id, Session::new(1, None, false));
            s.link_message(id * 10, id);
        }
        assert_eq!(s.len(), 2);
        assert_eq!(s.for_message(10), None);
        assert_eq!(s.for_message(30), Some(3));
        assert!(s.get_mut(1).is_none());
    }

    #[test]
    fn a_channel_without_a_conversation_is_remembered_until_one_is_linked() {
        let mut s = Sessions::new(1);
        s.mark_unlinked(5);
        assert!(s.known_unlinked(5));
        s.insert(5, Session::new(1, Some(5), false));
        s.link_channel(5, 5);
        assert!(!s.known_unlinked(5), "a link clears it");
        assert_eq!(s.for_channel(5), Some(5));
        s.mark_unlinked(5);
        assert!(
            !s.known_unlinked(5),
            "a \"none\" from before a link is ignored"
        );
        // Evicted from memory, its link stays in the store: no "none" is
        // recorded until the store says so.
        s.insert(6, Session::new(1, None, false));
        assert_eq!(s.for_channel(5), None);
        assert!(!s.known_unlinked(5));
    }

    #[test]
    fn remembers_a_bounded_number_of_unlinked_channels() {
        let mut s = Sessions::new(1);
        for channel in 0..=UNLINKED_CAPACITY as u64 {
            s.mark_unlinked(channel);
        }
        assert!(!s.known_unlinked(0), "the oldest is forgotten");
        assert!(s.known_unlinked(UNLINKED_CAPACITY as u64));
        assert_eq!(s.unlinked.len(), UNLINKED_CAPACITY);
    }
}
