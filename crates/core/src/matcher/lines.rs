//! Where the matcher draws its lines: as the operator may set them, and as
//! they are in use.

use serde::{Deserialize, Serialize};

/// Where the matcher draws its lines, as the operator may set them
/// (`[matcher]` in the settings). A line left unset is chosen by
/// cross-validation over the knowledge base's examples when it loads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// At or above this joint score, with a clear lead, the bot answers.
    #[serde(default)]
    pub answer: Option<f32>,
    /// At or above this (and below an answer) it asks "Did you mean…".
    #[serde(default)]
    pub clarify: Option<f32>,
    /// The lead over the runner-up needed to answer outright.
    #[serde(default)]
    pub margin: Option<f32>,
}

/// The lines in use. Scores are the gate's probability that a message is
/// ours times the intent model's probability of the intent, in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cut {
    pub answer: f32,
    pub clarify: f32,
    pub margin: f32,
}

impl Thresholds {
    /// All three lines, when all are set.
    pub fn complete(self) -> Option<Cut> {
        Some(Cut {
            answer: self.answer?,
            clarify: self.clarify?,
            margin: self.margin?,
        })
    }

    /// The operator's lines where set, the chosen ones elsewhere; `clarify`
    /// never above `answer`.
    pub(super) fn over(self, chosen: Cut) -> Cut {
        let answer = self.answer.unwrap_or(chosen.answer);
        Cut {
            answer,
            clarify: self.clarify.unwrap_or(chosen.clarify).min(answer),
            margin: self.margin.unwrap_or(chosen.margin),
        }
    }
}
