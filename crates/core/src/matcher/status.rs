//! Recognising a status line of the Photos app in a message, pasted or
//! retold: the labelling rules make a quoted status win.

use super::{Matcher, features};
use crate::text;

/// A one-word status ("paused", "updating") is as often an ordinary word
/// ("shared album not updating"), so it counts only when it is at least
/// this share of the message's content words.
const WORD_STATUS_COVERAGE: f32 = 0.5;

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
    /// The status line recognised in `tokens`, if any: (intent, start, len).
    pub(super) fn status(&self, tokens: &[String]) -> Option<(usize, usize, usize)> {
        // Counts sit inside statuses ("Uploading 1,234 Items"), so phrases
        // are matched with the numbers left out and mapped back.
        let (words, at): (Vec<&str>, Vec<usize>) = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.as_str() != text::NUMBER)
            .map(|(i, t)| (t.as_str(), i))
            .unzip();
        let hits = self.statuses.find(&words);
        if hits.is_empty() {
            return None;
        }
        let longest = hits.iter().map(|h| h.len).max().unwrap_or(0);
        let content = words
            .iter()
            .filter(|t| !status_filler(t) && !features::is_stopword(t))
            .count()
            .max(1);
        hits.iter()
            // A shorter phrase beside a longer one ("optimizing system
            // performance … paused") is context, not the status.
            .filter(|h| h.len == longest)
            .find(|h| h.len > 1 || h.len as f32 / content as f32 >= WORD_STATUS_COVERAGE)
            .map(|h| {
                let start = at[h.start];
                let end = at[h.start + h.len - 1] + 1;
                (h.intent, start, end - start)
            })
    }
}
