//! The case a person receives on escalation: what the user asked, what the
//! bot showed, and what the user said of each step.

use crate::kb::{Device, IntentId};
use serde::{Deserialize, Serialize};

use super::render::{DISCORD_LIMIT, clip, clip_lines, escape_markdown, plain};

/// What became of one step the bot showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// Shown; the user has not said how it went.
    Shown,
    /// The user moved on or said it did not help.
    DidntHelp,
    Fixed,
    /// Passed over: the user said they had done it already, so it did not
    /// help either.
    AlreadyDone,
}

impl StepOutcome {
    pub fn label(self) -> &'static str {
        match self {
            StepOutcome::Shown => "shown, no answer",
            StepOutcome::DidntHelp => "didn't help",
            StepOutcome::Fixed => "fixed it",
            StepOutcome::AlreadyDone => "skipped, the asker had done it already",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub intent: IntentId,
    /// 1-based, as the user saw it.
    pub step: usize,
    pub of: usize,
    pub text: String,
    pub outcome: StepOutcome,
}

/// Why the case went to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The user pressed "Talk to a person" or asked for one.
    Asked,
    /// The last step did not help.
    StepsExhausted,
    /// None of the offered readings fit.
    SomethingElse,
}

impl Reason {
    pub fn label(self) -> &'static str {
        match self {
            Reason::Asked => "the user asked for a person",
            Reason::StepsExhausted => "the last step did not help",
            Reason::SomethingElse => "none of the bot's readings fit",
        }
    }
}

/// What the user told the hand-over form: what a person needs first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseForm {
    pub device_model: String,
    pub os_version: String,
    pub library_size: String,
    pub status_text: String,
    pub tried: String,
}

impl CaseForm {
    /// The form's fields with their labels, in the order they are asked.
    pub fn fields(&self) -> [(&'static str, &str); 5] {
        [
            ("Device model", &self.device_model),
            ("OS version", &self.os_version),
            ("Library size", &self.library_size),
            ("What Photos says", &self.status_text),
            ("What was tried", &self.tried),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub reason: Reason,
    pub intent: Option<IntentId>,
    pub title: Option<String>,
    pub device: Option<Device>,
    /// The message in which a Photos status was recognised, as typed.
    pub status_text: Option<String>,
    pub said: Vec<String>,
    pub steps: Vec<StepRecord>,
    /// The hand-over form, when the user filled it in.
    #[serde(default)]
    pub form: Option<CaseForm>,
}

impl CaseSummary {
    /// The case as Discord Markdown, within one message and room to spare
    /// for a line around it.
    pub fn render(&self) -> String {
        self.render_within(DISCORD_LIMIT - 200)
    }

    /// The case in at most `max` characters, cut at whole lines.
    pub fn render_within(&self, max: usize) -> String {
        let mut out = String::new();
        let problem = match (&self.title, &self.intent) {
            (Some(title), Some(id)) => format!("{title} (`{id}`)"),
            _ => "not identified".to_string(),
        };
        out.push_str(&format!("**Problem:** {problem}\n"));
        out.push_str(&format!(
            "**Device:** {}\n",
            self.device.map_or("not known", Device::label)
        ));
        if let Some(status) = &self.status_text {
            out.push_str(&format!("**Status shown:** {}\n", quote_inline(status)));
        }
        out.push_str(&format!("**Why a person:** {}\n", self.reason.label()));
        if let Some(form) = &self.form {
            for (label, value) in form.fields() {
                let value = value.trim();
                if !value.is_empty() {
                    out.push_str(&format!(
                        "**{label}:** {}\n",
                        clip(&escape_markdown(value), 300)
                    ));
                }
            }
        }
        if !self.said.is_empty() {
            out.push_str("**What they wrote:**\n");
            for line in &self.said {
                out.push_str(&format!("> {}\n", clip(&escape_markdown(line), 200)));
            }
        }
        if self.steps.is_empty() {
            out.push_str("**Steps shown:** none\n");
        } else {
            out.push_str("**Steps shown:**\n");
            for record in &self.steps {
                let first_line = record.text.lines().next().unwrap_or_default();
                out.push_str(&format!(
                    "- {} step {}/{}: {} — *{}*\n",
                    record.intent,
                    record.step,
                    record.of,
                    clip(&plain(first_line), 90),
                    record.outcome.label()
                ));
            }
        }
        clip_lines(out.trim_end(), max)
    }
}

/// User text inside the case, without letting it break out of the quote.
pub(super) fn quote_inline(text: &str) -> String {
    format!(
        "“{}”",
        escape_markdown(&clip(&text.replace('\n', " "), 200))
    )
}
