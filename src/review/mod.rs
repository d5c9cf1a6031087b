//! The review queue's rules: which turns of a conversation are near-misses
//! worth a person's look, how near-identical texts are grouped, and what a
//! label is. Pure: the adapters feed it what happened and keep what it
//! returns.
//!
//! A channel teaches the bot every day — a question it stayed silent on, a
//! "Did you mean" answered "Something else", a last step that did not help,
//! a case handed to a person — and staff turn each into an example with one
//! choice. This module decides what is put in front of them.

pub mod diff;
mod label;
pub mod overlay;

pub use label::{Label, Resolved, complete, resolve};

use crate::dialog::{Conversation, Event, Reason as HandOver, Reply, ReplyKind, Stage};
use crate::engine::Engine;
use crate::kb::IntentId;
use serde::{Deserialize, Serialize};

/// Longest text kept of a message: what an example may hold.
pub const MAX_TEXT: usize = crate::kb::MAX_EXAMPLE;
/// Readings kept with an item: what a select offers before "another".
pub const READINGS: usize = 3;
/// Longest grouping key, in bytes: two messages alike this far are one
/// item.
const MAX_KEY: usize = 400;

/// Why an item is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The bot stayed silent (or declined) on a message with its words.
    SilentInDomain,
    /// None of the offered readings fit.
    SomethingElse,
    /// The last step came and went without "That fixed it".
    NotHelped,
    /// The case went to a person.
    Escalated,
    /// Staff put a handed-over case under another problem.
    StaffRelabelled,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::SilentInDomain,
        Reason::SomethingElse,
        Reason::NotHelped,
        Reason::Escalated,
        Reason::StaffRelabelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::SilentInDomain => "silent_in_domain",
            Reason::SomethingElse => "something_else",
            Reason::NotHelped => "not_helped",
            Reason::Escalated => "escalated",
            Reason::StaffRelabelled => "staff_relabelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// For people: the line under an item.
    pub fn label(self) -> &'static str {
        match self {
            Reason::SilentInDomain => "I stayed silent, but it sounds like ours",
            Reason::SomethingElse => "none of my readings fit (\"Something else\")",
            Reason::NotHelped => "the last step did not help",
            Reason::Escalated => "handed to a person",
            Reason::StaffRelabelled => "staff put the case under another problem",
        }
    }
}

/// One of the matcher's readings of an item's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub intent: IntentId,
    pub score: f32,
}

/// Where a sighting came from: what makes a second sighting the same one.
/// One case counts once however often its text comes up in it, and one
/// message counts once however often it is handled (again after a crash,
/// when its note was written but it was not yet marked answered).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Source {
    /// The case it came from, if it has one yet.
    pub conversation: Option<u64>,
    /// The Discord message it was read in, if a message it was.
    pub message: Option<u64>,
}

impl Source {
    /// A sighting in a case, not tied to one message (a press, a form,
    /// staff, the terminal).
    pub fn conversation(id: u64) -> Source {
        Source {
            conversation: Some(id),
            message: None,
        }
    }
}

/// A near-miss, as the dialog saw it: what to put in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Noticed {
    pub reason: Reason,
    /// The message, as the user wrote it (trimmed, at most `MAX_TEXT`).
    pub text: String,
    pub readings: Vec<Reading>,
}

/// An item of the queue as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: i64,
    pub reason: Reason,
    pub text: String,
    pub readings: Vec<Reading>,
    /// How many times texts grouped under this item came up.
    pub count: u64,
    /// The conversation it came from, where there is one (a ticket's
    /// "Relabel" finds its item by it).
    pub conversation: Option<u64>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub state: State,
}

/// Where an item stands. A label carries who gave it and where it is kept,
/// so "labelled, but with nothing" cannot be written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    Open,
    Skipped,
    Labelled {
        label: Label,
        by: u64,
        at: i64,
        kept: Kept,
    },
}

/// Where a label's example lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// Appended to the knowledge base's files.
    File,
    /// The knowledge base is read-only (built in, or a read-only folder):
    /// kept in the store and applied over it at every load.
    Store,
}

impl Kept {
    pub fn as_str(self) -> &'static str {
        match self {
            Kept::File => "file",
            Kept::Store => "store",
        }
    }

    pub fn parse(raw: &str) -> Option<Kept> {
        [Kept::File, Kept::Store]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// What a label or a skip did to an item.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Done: the item as it stands now.
    Made(Item),
    /// Not allowed from where the item stands (labelled already, or not
    /// open to skip): the item as it stands.
    Refused(Item),
}

/// How many items stand where, for statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub open: u64,
    pub labelled: u64,
    pub skipped: u64,
}

/// The grouping key of a text: its normalised words, numbers as one mark,
/// so "Waiting to Upload 57 Items" and "waiting to upload 58 items!" are
/// one item with a count of two.
pub fn key(text: &str) -> String {
    let mut key = crate::text::normalize(text);
    if key.len() > MAX_KEY {
        let mut end = MAX_KEY;
        while !key.is_char_boundary(end) {
            end -= 1;
        }
        key.truncate(end);
    }
    key
}

/// How much of two keys' words must be shared for them to be one item.
const ALIKE: f32 = 0.8;

/// A grouping key's distinct words, worked out once to compare it with
/// many others.
pub struct Words(Vec<String>);

impl Words {
    pub fn of(key: &str) -> Words {
        let mut words: Vec<String> = key
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        words.sort_unstable();
        words.dedup();
        Words(words)
    }

    /// Whether `other` (a key) is near-identical: at least `ALIKE` of the
    /// two texts' distinct words in common ("every evening" and "every
    /// single evening"), so one wording a word longer is counted, not
    /// queued again. Short texts must match whole: one word of two is a
    /// different problem.
    pub fn alike(&self, other: &str) -> bool {
        let theirs = Words::of(other);
        let (a, b) = (self.0.len(), theirs.0.len());
        // The share cannot reach ALIKE when the counts differ that much.
        if a == 0 || b == 0 || (a.min(b) as f32) < ALIKE * a.max(b) as f32 {
            return false;
        }
        let shared = theirs
            .0
            .iter()
            .filter(|w| self.0.binary_search(w).is_ok())
            .count();
        shared as f32 / (a + b - shared) as f32 >= ALIKE
    }
}

/// The text as it is kept: trimmed and at most `MAX_TEXT` characters.
pub fn bounded(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_TEXT) {
        Some((end, _)) => text[..end].trim_end().to_string(),
        None => text.to_string(),
    }
}

/// Whether the turn that took `before` to `after` with `reply` is a
/// near-miss, and what to queue for it. The dialog has applied `event`
/// already; this only looks.
pub fn noticed(
    engine: &Engine,
    before: &Conversation,
    event: &Event,
    after: &Conversation,
    reply: Option<&Reply>,
) -> Option<Noticed> {
    let (reason, text) = match (event, reply) {
        (_, Some(reply)) if reply.kind == ReplyKind::Escalation => {
            let case = reply.case.as_ref()?;
            match case.reason {
                HandOver::SomethingElse => (Reason::SomethingElse, before.said.last()?),
                HandOver::StepsExhausted => (Reason::NotHelped, question(after)?),
                HandOver::Asked => (Reason::Escalated, question(after)?),
            }
        }
        (Event::NextStep, Some(_)) if at_last_step(engine, before) => {
            (Reason::NotHelped, question(after)?)
        }
        (Event::Message { text, .. }, None) => (Reason::SilentInDomain, text),
        (Event::Message { text, .. }, Some(reply)) if reply.kind == ReplyKind::OutOfScope => {
            (Reason::SilentInDomain, text)
        }
        _ => return None,
    };
    if reason == Reason::SilentInDomain && !engine.matcher.in_domain(text) {
        return None;
    }
    let text = bounded(text);
    if key(&text).is_empty() {
        return None;
    }
    Some(Noticed {
        reason,
        readings: readings(engine, &text),
        text,
    })
}

/// The matcher's best readings of `text`, best first.
pub fn readings(engine: &Engine, text: &str) -> Vec<Reading> {
    engine
        .matcher
        .classify(text)
        .ranked
        .into_iter()
        .take(READINGS)
        .map(|s| Reading {
            intent: s.intent,
            score: s.score,
        })
        .collect()
}

/// The message that opened the case: what staff label it by.
fn question(conversation: &Conversation) -> Option<&String> {
    conversation.said.first()
}

fn at_last_step(engine: &Engine, conversation: &Conversation) -> bool {
    let Stage::Guiding { intent, step } = &conversation.stage else {
        return false;
    };
    engine
        .kb
        .get(intent)
        .and_then(|i| i.response.steps(conversation.device))
        .is_some_and(|steps| step + 1 >= steps.len())
}

#[cfg(test)]
mod tests;
