//! Steps a reply names in words rather than by number.
//!
//! - Done already: "low power mode is already off", "tried restarting,
//!   nothing" name a step still ahead; when the steps reach it, it is
//!   passed over, so nobody is told to do again what they just reported. A
//!   risky step, or one that guards a risky step, is never passed over:
//!   its warning matters more than the repetition.
//! - The fix: "found them in hidden!" typed while a later step is on
//!   screen credits the Hidden step, not the one on screen, so the
//!   statistics learn which step helps.

use super::Turn;
use crate::dialog::Stage;
use crate::dialog::followup::{self, Said, same_word};
use crate::kb::Step;
use crate::matcher::is_stopword;

/// A word shorter than this says too little to name a step ("off", "it").
const MIN_WORD: usize = 4;

impl Turn<'_> {
    /// Remembers the steps ahead that a reply says were done already.
    pub(super) fn note_done_before(&mut self, said: &Said) {
        let Stage::Guiding { intent, step } = &self.c.stage else {
            return;
        };
        let engine = self.engine;
        let Some(steps) = engine
            .kb
            .get(intent)
            .and_then(|i| i.response.steps(self.c.device))
        else {
            return;
        };
        let words: Vec<Vec<String>> = steps
            .iter()
            .map(|s| content(&self.engine.matcher.tokens(&s.text)))
            .collect();
        for clause in followup::done_before(said) {
            let Some(named) = described(&content(&clause), &words, |i| i > *step) else {
                continue;
            };
            let named = steps[named];
            if passable(named) && !self.c.done_before.contains(&named.text) {
                self.c.done_before.push(named.text.clone());
            }
        }
    }

    /// The step, shown already, that a reply saying it is fixed names in
    /// words ("found them in hidden!"), 1-based; `None` for the one on
    /// screen, which the plain verdict credits anyway. After "Show all"
    /// any step may be named.
    pub(super) fn fix_described(&self, said: &Said) -> Option<usize> {
        let Stage::Guiding { intent, step } = &self.c.stage else {
            return None;
        };
        let steps = self
            .engine
            .kb
            .get(intent)
            .and_then(|i| i.response.steps(self.c.device))?;
        let words: Vec<Vec<String>> = steps
            .iter()
            .map(|s| content(&self.engine.matcher.tokens(&s.text)))
            .collect();
        let said: Vec<String> = content(&said.tokens())
            .into_iter()
            .filter(|w| !NAMES_NO_STEP.contains(&w.as_str()))
            .collect();
        let shown = |i: usize| self.c.all_shown || i <= *step;
        described(&said, &words, shown)
            .filter(|&i| i != *step)
            .map(|i| i + 1)
    }

    /// Whether `step` is one the user said they had done already.
    pub(super) fn done_already(&self, step: &Step) -> bool {
        passable(step) && self.c.done_before.contains(&step.text)
    }
}

/// Whether a step may be passed over at all.
fn passable(step: &Step) -> bool {
    step.risk().is_none() && step.gates.is_empty()
}

/// The words of a stretch of tokens that can name a step.
fn content(tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| t.chars().count() >= MIN_WORD && !is_stopword(t))
        .cloned()
        .collect()
}

/// Words of a reply saying it is fixed that name no step: the verdict
/// and the subject ("found them, photos are syncing again").
const NAMES_NO_STEP: &[&str] = &[
    "fixed",
    "worked",
    "works",
    "working",
    "solved",
    "helped",
    "found",
    "thanks",
    "thank",
    "photos",
    "photo",
    "pics",
    "pictures",
    "icloud",
    "items",
    "sync",
    "syncing",
    "synced",
    "uploading",
    "uploaded",
    "back",
    "there",
    "again",
    "finally",
    "now",
];

/// The step among those `allowed` that the words `said` describe: the one
/// sharing most of them, with no other step sharing as many; two words at
/// least, or one that no other step of the list holds ("restarted" where
/// only one step restarts anything).
fn described(
    said: &[String],
    steps: &[Vec<String>],
    allowed: impl Fn(usize) -> bool,
) -> Option<usize> {
    let holds = |step: &[String], word: &str| step.iter().any(|w| same_word(w, word));
    let shared: Vec<(usize, Vec<&String>)> = steps
        .iter()
        .enumerate()
        .filter(|(i, _)| allowed(*i))
        .map(|(i, step)| (i, said.iter().filter(|w| holds(step, w)).collect()))
        .collect();
    let best = shared.iter().map(|(_, words)| words.len()).max()?;
    let mut leaders = shared.iter().filter(|(_, words)| words.len() == best);
    let (index, words) = leaders.next()?;
    if best == 0 || leaders.next().is_some() {
        return None;
    }
    let distinctive = |word: &str| {
        steps
            .iter()
            .enumerate()
            .all(|(i, step)| i == *index || !holds(step, word))
    };
    (best >= 2 || words.iter().any(|w| distinctive(w))).then_some(*index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let done = ["already", "tried", "checked", "did"];
        let tokens: Vec<String> = crate::text::tokens(text)
            .into_iter()
            .filter(|t| !done.contains(&t.as_str()))
            .collect();
        content(&tokens)
    }

    #[test]
    fn a_clause_names_the_step_it_shares_words_with() {
        let steps: Vec<Vec<String>> = [
            "Read the status line at the bottom of Library",
            "Plug the device into power and keep it charging",
            "Turn Low Power Mode off in Settings > Battery",
            "Restart the device, then open Photos again",
            "Check the connection: open a web page in Safari",
        ]
        .iter()
        .map(|s| words(s))
        .collect();
        let table = [
            ("low power mode is already off", Some(2)),
            ("already restarted", Some(3)),
            ("tried safari, pages open", Some(4)),
            ("charging already", Some(1)),
            // Behind the step on screen, or nothing of a step: none.
            ("already read the status line", None),
            ("already did that", None),
            // Two steps alike: none.
            ("already checked the device", None),
        ];
        for (text, expected) in table {
            assert_eq!(
                described(&words(text), &steps, |i| i >= 1),
                expected,
                "{text:?}"
            );
        }
    }
}
