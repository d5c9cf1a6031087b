//! What the matcher concludes about a message: the decision, the ranking
//! behind it, and what it recognised on the way.

use crate::kb::{Device, IntentId};
use serde::Serialize;

/// What to do with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "intents", rename_all = "lowercase")]
pub enum Decision {
    Answer(IntentId),
    /// The best two or three readings, best first.
    Clarify(Vec<IntentId>),
    None,
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
    /// How much the message looks like chatter the bot must leave alone.
    pub offtopic: f32,
    pub device: Option<Device>,
    pub status: Option<StatusSeen>,
}

impl Classification {
    pub fn top(&self) -> Option<&Scored> {
        self.ranked.first()
    }
}
