//! What the matcher concludes about a message: the decision, the ranking
//! behind it, and what it recognised on the way.

use crate::kb::{Device, IntentId};
use serde::Serialize;

/// What to do with a message, naming intents by id (or, inside the
/// matcher, by index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "intents", rename_all = "lowercase")]
pub enum Decision<T = IntentId> {
    Answer(T),
    /// The best two or three readings, best first.
    Clarify(Vec<T>),
    None,
}

impl<T> Decision<T> {
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Decision<U> {
        match self {
            Decision::Answer(t) => Decision::Answer(f(t)),
            Decision::Clarify(ts) => Decision::Clarify(ts.into_iter().map(f).collect()),
            Decision::None => Decision::None,
        }
    }
}

/// One intent and how well the message matches it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub intent: IntentId,
    pub score: f32,
}

/// A status line recognised in the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusSeen {
    pub intent: IntentId,
    /// The words of the status as found (normalised).
    pub text: String,
}

/// Everything the matcher concluded about one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub decision: Decision,
    /// The best few intents, best first (the off-topic class is not listed).
    pub ranked: Vec<Scored>,
    /// How likely the gate finds it that the message is chatter the bot
    /// must leave alone (1 minus its probability that the message is ours).
    pub offtopic: f32,
    pub device: Option<Device>,
    pub status: Option<StatusSeen>,
}

impl Classification {
    pub fn top(&self) -> Option<&Scored> {
        self.ranked.first()
    }
}
