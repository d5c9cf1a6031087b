//! What the dialog asks an adapter to show: text plus the actions to offer.

use crate::kb::{Device, IntentId};
use serde::{Deserialize, Serialize};

use super::case::CaseSummary;

/// Where the user is in a list of steps (1-based, for display).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub step: usize,
    pub of: usize,
}

/// An intent offered in "Did you mean…".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub intent: IntentId,
    pub title: String,
}

/// Something the user can do next; each adapter draws it its own way
/// (a button, a select menu, a numbered line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    NextStep,
    FixedIt,
    ShowAll,
    TalkToPerson,
    /// Pick the device; the list is the devices the steps exist for.
    ChooseDevice {
        devices: Vec<Device>,
    },
    /// Pick one reading, or "Something else".
    ChooseIntent {
        choices: Vec<Choice>,
    },
}

/// What kind of message this is, for adapters that treat them differently
/// (Discord names threads after answers, pings staff on escalations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Step,
    AllSteps,
    AskDevice,
    Clarify,
    Resolved,
    Escalation,
    OutOfScope,
    Note,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub kind: ReplyKind,
    /// Discord Markdown, at most 2,000 characters.
    pub text: String,
    pub intent: Option<IntentId>,
    pub progress: Option<Progress>,
    pub actions: Vec<Action>,
    /// Present on escalations: the case a person receives.
    pub case: Option<CaseSummary>,
    /// News for the person who has the case, to be put on its ticket.
    pub update: Option<CaseUpdate>,
}

/// What the asker said after the hand-over that the person with the case
/// needs to know without reading the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "update", rename_all = "snake_case")]
pub enum CaseUpdate {
    /// The asker says it works now, in these words.
    Fixed { said: String },
    /// The asker, having said it worked, says it is stuck again.
    StuckAgain { said: String },
}

impl CaseUpdate {
    /// The line for ticket `ticket`'s staff post: the asker's words made
    /// inert, and no mention of anyone.
    pub fn staff_line(&self, ticket: i64) -> String {
        match self {
            CaseUpdate::Fixed { said } => format!(
                "**Ticket #{ticket}**: the asker says it's working now: {}. Resolve it when you agree.",
                super::case::quote_inline(said)
            ),
            CaseUpdate::StuckAgain { said } => format!(
                "**Ticket #{ticket}**: the asker says it's stuck again after all: {}. Keep it open.",
                super::case::quote_inline(said)
            ),
        }
    }
}

impl Reply {
    pub(crate) fn new(kind: ReplyKind, text: String) -> Reply {
        Reply {
            kind,
            text,
            intent: None,
            progress: None,
            actions: Vec::new(),
            case: None,
            update: None,
        }
    }

    /// A plain note with nothing to press.
    pub fn note(text: &str) -> Reply {
        Reply::new(ReplyKind::Note, text.to_string())
    }

    pub(crate) fn about(mut self, intent: &IntentId) -> Reply {
        self.intent = Some(intent.clone());
        self
    }

    pub(crate) fn with_actions(mut self, actions: Vec<Action>) -> Reply {
        self.actions = actions;
        self
    }
}
