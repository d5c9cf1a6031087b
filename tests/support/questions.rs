//! Questions for long runs and the count behind "every message answered
//! exactly once", shared by the fault tests, the CI load test and the load
//! bench (which includes this file by path).
// Shared by a test module and a bench: each uses what it needs.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::HashMap;
use syncmedic::Engine;
use syncmedic::dialog::{self, Conversation, Event, ReplyKind};

/// Phrasings for scripted runs, sorted by what the bot must do with them in
/// a support channel, as decided by the same core the bot runs.
pub struct Pool {
    /// Answered with one message (not an escalation, which adds a ticket).
    pub answered: Vec<String>,
    /// Off-topic chatter: no answer at all.
    pub silent: Vec<String>,
}

/// The knowledge base's own example phrasings and some variations of them
/// (a greeting before, a plea after, shouted, a trailing question mark),
/// plus its off-topic examples.
pub fn pool(engine: &Engine) -> Pool {
    let mut answered = Vec::new();
    for intent in engine.kb.intents() {
        for example in &intent.examples {
            for text in variations(example) {
                if matches!(reply_kind(engine, &text), Some(k) if k != ReplyKind::Escalation) {
                    answered.push(text);
                }
            }
        }
    }
    let silent = (engine.kb.offtopic().examples.iter())
        .filter(|t| reply_kind(engine, t).is_none())
        .cloned()
        .collect();
    Pool { answered, silent }
}

fn variations(example: &str) -> [String; 4] {
    [
        example.to_string(),
        format!("hi all, {example}"),
        format!("{example}, any ideas?"),
        format!("{}?", example.to_uppercase()),
    ]
}

/// What the bot replies to `text` as a new message in a support channel.
fn reply_kind(engine: &Engine, text: &str) -> Option<ReplyKind> {
    let event = Event::Message {
        text: text.to_string(),
        addressed: false,
    };
    dialog::handle(engine, Conversation::default(), event)
        .1
        .map(|r| r.kind)
}

/// The question a message of the bot's answers, if it is one of
/// `questions`: the thread it is in (a thread takes its question's id) or
/// the message it replies to. Ticket posts answer nobody.
pub fn answers(channel: u64, message: &Value, is_question: impl Fn(u64) -> bool) -> Option<u64> {
    let ticket = message["content"]
        .as_str()
        .is_some_and(|c| c.starts_with("**Ticket #"));
    if ticket {
        return None;
    }
    if is_question(channel) {
        return Some(channel);
    }
    let reference = &message["message_reference"]["message_id"];
    let reference = reference
        .as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| reference.as_u64());
    reference.filter(|r| is_question(*r))
}

/// How the questions of a run were answered.
#[derive(Debug, Default)]
pub struct Tally {
    pub once: usize,
    pub lost: Vec<u64>,
    /// `(question, answers)` for those answered more than once.
    pub doubled: Vec<(u64, usize)>,
    /// Chatter that got an answer.
    pub unexpected: Vec<u64>,
}

impl Tally {
    pub fn perfect(&self) -> bool {
        self.lost.is_empty() && self.doubled.is_empty() && self.unexpected.is_empty()
    }
}

/// Counts the bot's messages (`(channel, message)`, as
/// `FakeDiscord::bot_messages` gives them) per question.
pub fn tally(bot_messages: &[(u64, Value)], expected: &[u64], silent: &[u64]) -> Tally {
    let mut counts: HashMap<u64, usize> = expected.iter().chain(silent).map(|q| (*q, 0)).collect();
    for (channel, message) in bot_messages {
        if let Some(q) = answers(*channel, message, |id| counts.contains_key(&id)) {
            *counts.entry(q).or_default() += 1;
        }
    }
    let mut tally = Tally::default();
    for q in expected {
        match counts[q] {
            0 => tally.lost.push(*q),
            1 => tally.once += 1,
            n => tally.doubled.push((*q, n)),
        }
    }
    tally.unexpected = silent.iter().filter(|q| counts[q] > 0).copied().collect();
    tally
}

/// SplitMix64: a seeded sequence, so a failing run can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}
