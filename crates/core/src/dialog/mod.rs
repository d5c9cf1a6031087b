//! The conversation as a pure state machine: (state, event) -> (state,
//! reply). No adapter decides anything about intents or steps; they turn
//! their input into an `Event` and draw the `Reply`.

mod case;
mod followup;
mod markdown;
pub mod render;
mod reply;
mod turn;

use turn::Turn;

pub use case::{CaseForm, CaseSummary, Reason, StepOutcome, StepRecord};
pub use followup::FollowUp;
pub use reply::{Action, CaseUpdate, Choice, Progress, Reply, ReplyKind};

use crate::engine::Engine;
use crate::kb::{Device, IntentId};

use render::clip;
use serde::{Deserialize, Serialize};

/// Where a conversation stands. Each stage carries exactly what it needs,
/// so "guiding without an intent" cannot be written down.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    #[default]
    Idle,
    Clarifying {
        candidates: Vec<IntentId>,
    },
    AskingDevice {
        intent: IntentId,
    },
    /// Showing step `step` (0-based) of the intent's steps for the device.
    Guiding {
        intent: IntentId,
        step: usize,
    },
    Resolved {
        intent: IntentId,
    },
    Escalated {
        intent: Option<IntentId>,
        /// The asker has said it works now, and the ticket was told: once.
        #[serde(default)]
        asker_fixed: bool,
    },
}

impl Stage {
    /// The intent the conversation is about, if any.
    pub fn intent(&self) -> Option<&IntentId> {
        match self {
            Stage::AskingDevice { intent }
            | Stage::Guiding { intent, .. }
            | Stage::Resolved { intent } => Some(intent),
            Stage::Escalated { intent, .. } => intent.as_ref(),
            Stage::Idle | Stage::Clarifying { .. } => None,
        }
    }
}

/// Everything the bot remembers of one conversation; serialisable so the
/// store can keep it across restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub stage: Stage,
    pub device: Option<Device>,
    pub status_text: Option<String>,
    /// The user's messages, newest last, for the case summary.
    pub said: Vec<String>,
    pub steps: Vec<StepRecord>,
    /// The hand-over form, once filled in.
    #[serde(default)]
    pub form: Option<CaseForm>,
    /// Every step of the case was shown at once ("Show all") since the
    /// last single step: which one helped is not the one on screen.
    #[serde(default)]
    pub all_shown: bool,
    /// Steps further on that the user said they had done already ("low
    /// power mode is already off"), by their text: passed over when
    /// reached, so nobody is told to do again what they just reported.
    #[serde(default)]
    pub done_before: Vec<String>,
}

impl Conversation {
    /// The case as a person would receive it now (titles need the
    /// knowledge base, so the problem is named by its id here).
    pub fn case(&self, reason: Reason) -> CaseSummary {
        CaseSummary {
            reason,
            intent: self.stage.intent().cloned(),
            title: self.stage.intent().map(|i| i.to_string()),
            device: self.device,
            status_text: self.status_text.clone(),
            said: self.said.clone(),
            steps: self.steps.clone(),
            form: self.form.clone(),
        }
    }

    /// Whether the bot asked the user something and waits for the answer:
    /// which step did it, after "That fixed it" with every step on screen.
    pub fn awaits_answer(&self) -> bool {
        self.all_shown && matches!(self.stage, Stage::Resolved { .. })
    }

    /// The form as far as the conversation can fill it in already.
    pub fn prefilled_form(&self) -> CaseForm {
        let tried: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.outcome != StepOutcome::Fixed)
            .map(|s| {
                format!(
                    "{} ({})",
                    render::plain(s.text.lines().next().unwrap_or_default()),
                    s.outcome.label()
                )
            })
            .collect();
        CaseForm {
            device_model: self
                .device
                .map(|d| d.label().to_string())
                .unwrap_or_default(),
            status_text: self.status_text.clone().unwrap_or_default(),
            tried: clip(&tried.join("\n"), 900),
            ..CaseForm::default()
        }
    }
}

/// What the user did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A message. `addressed` is true when it was meant for the bot (a DM, a
    /// mention, a command, a message in the bot's thread); unaddressed
    /// chatter the bot cannot place gets no reply.
    Message {
        text: String,
        addressed: bool,
    },
    NextStep,
    ShowAll,
    FixedIt,
    DidntHelp,
    ChooseDevice(Device),
    ChooseIntent(IntentId),
    SomethingElse,
    TalkToPerson,
    /// The hand-over form, filled in: escalates with it. `none_fit`: the
    /// form was opened with "Something else" under a "Did you mean", so
    /// none of the readings fit, also when that was asked in the middle of
    /// a case's steps (which leaves the stage as it was).
    SubmitForm {
        form: CaseForm,
        none_fit: bool,
    },
    /// A person from the support team resolved the case's ticket: the case
    /// is over, and a later request for a person may open a new ticket.
    StaffResolved,
}

/// How much of a conversation is kept for the case.
const KEEP_SAID: usize = 12;
const KEEP_SAID_CHARS: usize = 500;
const KEEP_STEPS: usize = 40;

/// Applies one event. A reply of `None` means stay silent.
pub fn handle(
    engine: &Engine,
    conversation: Conversation,
    event: Event,
) -> (Conversation, Option<Reply>) {
    let mut turn = Turn {
        engine,
        c: conversation,
    };
    let reply = turn.apply(event);
    (turn.c, reply)
}

#[cfg(test)]
mod tests;
