//! Which messages a conversation has already taken in, so that one handled
//! again after a crash moves the case once.
//!
//! A follow-up's new state is written before its reply is sent, and the
//! message is marked answered only after: a crash in between leaves the
//! message unanswered, and the next start handles it again. Handled from
//! the state it left, it would move the case a second step and post a
//! second reply. Handled from the state *before* it, the pure dialog gives
//! the same reply at the same turn, so the reply carries the same nonce
//! and Discord keeps one message; and if the first reply never went out,
//! this one is it.

use crate::dialog::Conversation;
use serde::{Deserialize, Serialize};

/// How many of a conversation's newest messages are remembered. A restart
/// redelivers only what was not marked answered, which is at most the few
/// messages in flight when the bot stopped.
const REMEMBERED: usize = 8;

/// A conversation's newest messages (oldest first), and how the
/// conversation stood before the newest one while nothing else (a button,
/// a form, staff) has moved it since.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    messages: Vec<u64>,
    before: Option<Before>,
}

/// A conversation and its turn, as they stood before a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before {
    pub turn: u32,
    pub conversation: Conversation,
}

/// What to do with a message for a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redelivery<'a> {
    /// Not taken in yet: handle it from the conversation as it is.
    New,
    /// The newest message taken in, and nothing has moved the conversation
    /// since: handle it again from how it stood before.
    Again(&'a Before),
    /// Taken in, and the conversation has moved on: nothing to do.
    Applied,
}

impl Applied {
    /// What a message handled now for this conversation should do.
    pub fn judge(&self, message: u64) -> Redelivery<'_> {
        if !self.messages.contains(&message) {
            return Redelivery::New;
        }
        match &self.before {
            Some(before) if self.messages.last() == Some(&message) => Redelivery::Again(before),
            _ => Redelivery::Applied,
        }
    }

    /// `message` moved the conversation from `before`.
    pub fn took(&mut self, message: u64, before: Before) {
        self.messages.retain(|&m| m != message);
        self.messages.push(message);
        if self.messages.len() > REMEMBERED {
            self.messages.remove(0);
        }
        self.before = Some(before);
    }

    /// Something other than a message moved the conversation: the state
    /// before the newest message is no longer one to go back to.
    pub fn moved_otherwise(&mut self) {
        self.before = None;
    }

    /// The newest message taken in (by id: the order Discord gave them).
    pub fn newest(&self) -> Option<u64> {
        self.messages.iter().copied().max()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn before(turn: u32) -> Before {
        Before {
            turn,
            conversation: Conversation::default(),
        }
    }

    #[test]
    fn judges_a_message_by_what_the_conversation_took_in_since() {
        let nothing = Applied::default();
        let mut one = Applied::default();
        one.took(10, before(1));
        let mut two = one.clone();
        two.took(20, before(2));
        let mut pressed = two.clone();
        pressed.moved_otherwise();
        let mut many = Applied::default();
        for m in 1..=20 {
            many.took(m, before(m as u32));
        }
        let cases: [(&str, &Applied, u64, Redelivery<'_>); 9] = [
            ("nothing taken yet", &nothing, 10, Redelivery::New),
            (
                "the newest, untouched since",
                &one,
                10,
                Redelivery::Again(&before(1)),
            ),
            ("another message", &one, 11, Redelivery::New),
            ("an older one arriving late", &two, 15, Redelivery::New),
            ("the newest of two", &two, 20, Redelivery::Again(&before(2))),
            ("an older one taken", &two, 10, Redelivery::Applied),
            (
                "the newest, a button since",
                &pressed,
                20,
                Redelivery::Applied,
            ),
            (
                "the newest of many",
                &many,
                20,
                Redelivery::Again(&before(20)),
            ),
            ("one forgotten long ago", &many, 3, Redelivery::New),
        ];
        for (what, applied, message, expected) in cases {
            assert_eq!(applied.judge(message), expected, "{what}");
        }
        assert_eq!(
            (nothing.newest(), two.newest(), many.newest()),
            (None, Some(20), Some(20))
        );
    }

    #[test]
    fn remembers_a_bounded_number_of_messages() {
        let mut applied = Applied::default();
        for m in 0..100 {
            applied.took(m, before(0));
        }
        assert_eq!(applied.messages.len(), REMEMBERED);
        assert_eq!(applied.judge(99), Redelivery::Again(&before(0)));
        assert_eq!(applied.judge(92), Redelivery::Applied);
        assert_eq!(applied.judge(91), Redelivery::New);
    }

    #[test]
    fn reads_back_as_written() {
        let mut applied = Applied::default();
        applied.took(7, before(3));
        let json = serde_json::to_string(&applied).expect("serialises");
        let back: Applied = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, applied);
    }
}
