//! Recognising a status line of the Photos app in a message, pasted or
//! retold: the labelling rules make a quoted status win.

use super::{Matcher, features};
use crate::text;

/// A one-word status ("paused", "updating") is as often an ordinary word
/// ("shared album not updating"), so it counts only when it is at least
/// this share of the message's content words.
const WORD_STATUS_COVERAGE: f32 = 0.5;

/// Words a retold status puts between the words of the status itself
/// ("syncing is paused", "the upload was paused", "library is being
/// prepared"), passed over like the counts: the retelling names the same
/// state as the pasted line.
pub(super) fn passed_over(token: &str) -> bool {
    matches!(
        token,
        text::NUMBER | "is" | "was" | "are" | "were" | "been" | "being" | "has" | "had" | "got"
    )
}

/// A status the message says is not shown: "it doesn't say waiting to
/// upload", "not even uploading". A negation among the few words before
/// it, with only verbs of showing between ("no, it says waiting to
/// upload" answers a question and shows the status).
fn denied(before: &[&str]) -> bool {
    const NEGATIONS: &[&str] = &[
        "not", "doesnt", "dont", "didnt", "isnt", "wasnt", "never", "without",
    ];
    const BETWEEN: &[&str] = &[
        "say", "says", "show", "shows", "showing", "it", "even", "any",
    ];
    before
        .iter()
        .rev()
        .take(3)
        .take_while(|w| NEGATIONS.contains(w) || BETWEEN.contains(w))
        .any(|w| NEGATIONS.contains(w))
}

/// Words around a pasted status that do not make it less of a status.
fn status_filler(token: &str) -> bool {
    matches!(
        token,
        "it" | "says"
            | "said"
            | "shows"
            | "showing"
            | "status"
            | "items"
            | "item"
            | "photos"
            | "photo"
            | "icloud"
            | "on"
            | "still"
            | "app"
            | "bar"
            | "mac"
            | "iphone"
            | "ipad"
            | "to"
    )
}

impl Matcher {
    /// Every status line recognised in `tokens`, one per intent, longest
    /// first, then by place: (intent, start, len). More than one means the
    /// message quotes two states of the app ("Uploading 57 Items … Syncing
    /// Paused"), and it is not for the matcher to pick one.
    pub(super) fn statuses(&self, tokens: &[String]) -> Vec<(usize, usize, usize)> {
        // Counts sit inside statuses ("Uploading 1,234 Items"), so phrases
        // are matched with the numbers (and the verbs of a retelling) left
        // out and mapped back.
        let (words, at): (Vec<&str>, Vec<usize>) = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| !passed_over(t))
            .map(|(i, t)| (t.as_str(), i))
            .unzip();
        let mut hits = self.statuses.find(&words);
        hits.retain(|h| !denied(&words[..h.start]));
        if hits.is_empty() {
            return Vec::new();
        }
        let longest = hits.iter().map(|h| h.len).max().unwrap_or(0);
        let content = words
            .iter()
            .filter(|t| !status_filler(t) && !features::is_stopword(t))
            .count()
            .max(1);
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        // A one-word status beside a longer one ("optimizing system
        // performance … paused") is context, not a status of its own.
        let quoted = hits.iter().filter(|h| {
            h.len > 1 || (longest == 1 && 1.0 / content as f32 >= WORD_STATUS_COVERAGE)
        });
        for h in quoted {
            if found.iter().any(|&(intent, _, _)| intent == h.intent) {
                continue;
            }
            let start = at[h.start];
            let end = at[h.start + h.len - 1] + 1;
            found.push((h.intent, start, end - start));
        }
        found
    }
}
