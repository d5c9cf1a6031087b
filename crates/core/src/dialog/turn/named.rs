//! Steps a reply names in words rather than by number.
//!
//! - Done already: "low power mode is already off", "tried restarting,
//!   nothing" name a step still ahead; when the steps reach it, it is
//!   passed over, so nobody is told to do again what they just reported. A
//!   risky step, or one that guards a risky step, is never passed over:
//!   its warning matters more than the repetition.
//! - The fix: "found them in hidden!" typed while a later step is on
//!   screen credits the Hidden step, not the one on screen, so the
//!   statistics learn which step helps; so does "the one about low power
//!   mode" in answer to "which step did it?".

use super::Turn;
use crate::dialog::Stage;
use crate::dialog::followup::{self, Said, same_word};
use crate::kb::Step;
use crate::matcher::is_stopword;

/// A word shorter than this says too little to name a step ("off", "it").
const MIN_WORD: usize = 4;

/// What a reply saying it is fixed says of the step that did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FixNamed {
    /// Nothing beyond the verdict: the step on screen, as the button.
    OnScreen,
    /// A step shown earlier (or on the list "Show all" gave), 1-based.
    Step(usize),
    /// No step of those shown: one not shown yet ("restarting fixed it"
    /// at step 2), or none at all ("it finished by itself"). Fixed, and
    /// no step credited: a wrong credit would teach the statistics wrong.
    Unknown,
}

/// The steps of the case, as a reply is read against them.
struct CaseSteps<'a> {
    /// The step on screen, 0-based; `None` once the case is solved.
    on_screen: Option<usize>,
    steps: Vec<&'a Step>,
    /// Each step's tokens.
    tokens: Vec<Vec<String>>,
}

impl<'a> Turn<'a> {
    fn steps_in_words(&self) -> Option<CaseSteps<'a>> {
        let intent = self.c.stage.intent()?;
        let on_screen = match &self.c.stage {
            Stage::Guiding { step, .. } => Some(*step),
            _ => None,
        };
        let engine = self.engine;
        let steps = engine
            .kb
            .get(intent)
            .and_then(|i| i.response.steps(self.c.device))?;
        let tokens = steps
            .iter()
            .map(|s| engine.matcher.tokens(&s.text))
            .collect();
        Some(CaseSteps {
            on_screen,
            steps,
            tokens,
        })
    }

    /// Remembers the steps ahead that a reply says were done already:
    /// cautiously, as passing over a step the user did not do loses it.
    /// Two words of the step at least ("already restarted" could be the
    /// router), the same state as the step's ("low power mode is already
    /// on" is the step undone), and no other device named ("already
    /// plugged my macbook in" in an iPhone case).
    pub(super) fn note_done_before(&mut self, said: &Said) {
        let Some(CaseSteps {
            on_screen: Some(on_screen),
            steps,
            tokens,
        }) = self.steps_in_words()
        else {
            return;
        };
        let words: Vec<Vec<String>> = tokens.iter().map(|t| content(t)).collect();
        for clause in followup::done_before(said) {
            let elsewhere = crate::matcher::devices_mentioned(&clause)
                .iter()
                .any(|d| Some(*d) != self.c.device);
            if elsewhere {
                continue;
            }
            let Some(named) = described(&content(&clause), &words, |i| i > on_screen, 2) else {
                continue;
            };
            let same_state = STATES
                .iter()
                .filter(|state| clause.iter().any(|t| t == *state))
                .all(|state| tokens[named].iter().any(|t| t == state));
            let step = steps[named];
            if same_state && passable(step) && !self.c.done_before.contains(&step.text) {
                self.c.done_before.push(step.text.clone());
            }
        }
    }

    /// What a reply saying it is fixed names of the step that did it,
    /// from the clauses that may say so (`Said::fix_clauses`).
    pub(super) fn fix_named(&self, reply: &Said) -> FixNamed {
        if reply.by_itself() {
            return FixNamed::Unknown;
        }
        let Some(CaseSteps {
            on_screen: Some(on_screen),
            tokens,
            ..
        }) = self.steps_in_words()
        else {
            return FixNamed::OnScreen;
        };
        let words: Vec<Vec<String>> = tokens.iter().map(|t| content(t)).collect();
        let said: Vec<String> = reply
            .fix_clauses()
            .into_iter()
            .flat_map(content)
            .filter(|w| !NAMES_NO_STEP.contains(&w.as_str()))
            .collect();
        // The steps shown first: the user has done those. Only when none
        // of them is named can a step not shown yet be.
        let shown = |i: usize| self.c.all_shown || i <= on_screen;
        match described(&said, &words, shown, 1) {
            Some(i) if i == on_screen => FixNamed::OnScreen,
            Some(i) => FixNamed::Step(i + 1),
            None if described(&said, &words, |i| !shown(i), 1).is_some() => FixNamed::Unknown,
            // "It was the ipad, icloud photos was off there": a cause no
            // step names.
            None if reply.names_a_cause() => FixNamed::Unknown,
            None => FixNamed::OnScreen,
        }
    }

    /// The step a reply describes in answer to "which step did it?" ("the
    /// one about low power mode"), 1-based: two of its words at least, and
    /// no other step sharing as many.
    pub(super) fn step_described(&self, text: &str) -> Option<usize> {
        let CaseSteps { tokens, .. } = self.steps_in_words()?;
        let words: Vec<Vec<String>> = tokens.iter().map(|t| content(t)).collect();
        let said = content(&self.engine.matcher.tokens(text));
        described(&said, &words, |_| true, 2).map(|i| i + 1)
    }

    /// Whether `step` is one the user said they had done already.
    pub(super) fn done_already(&self, step: &Step) -> bool {
        passable(step) && self.c.done_before.contains(&step.text)
    }
}

/// Whether a step may be passed over at all: not a risky step or one
/// that guards one, and not a step of two actions ("Turn Low Power Mode
/// off, then switch Airplane Mode on"), of which the user may have done
/// one.
fn passable(step: &Step) -> bool {
    step.risk().is_none() && step.gates.is_empty() && !step.text.contains(" then ")
}

/// The states a step may ask for: a reply that names one says the step
/// was done only if the step names the same ("low power mode is already
/// off" for "Turn Low Power Mode off").
const STATES: &[&str] = &["on", "off"];

/// The words of a stretch of tokens that can name a step.
fn content(tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| t.chars().count() >= MIN_WORD && !is_stopword(t))
        .cloned()
        .collect()
}

/// Words of a reply saying it is fixed that name no step: the verdict,
/// the subject and words any step may hold ("found them, photos are
/// syncing again", "theyre coming in now").
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
    "theyre",
    "there",
    "their",
    "thats",
    "coming",
    "after",
];

/// The step among those `allowed` that the words `said` describe: the one
/// sharing most of them, with no other step sharing as many; `least`
/// words at least, or one that no other step of the list holds
/// ("hidden" where only one step opens the Hidden album) when `least` is
/// one.
fn described(
    said: &[String],
    steps: &[Vec<String>],
    allowed: impl Fn(usize) -> bool,
    least: usize,
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
    (best >= least.max(2) || (least <= 1 && words.iter().any(|w| distinctive(w)))).then_some(*index)
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
            ("tried safari, pages open", Some(4)),
            // One word, found in one step only.
            ("already restarted", Some(3)),
            ("charging already", Some(1)),
            // Behind the step on screen, or nothing of a step: none.
            ("already read the status line", None),
            ("already did that", None),
            // Two steps alike: none.
            ("already checked the device", None),
        ];
        for (text, expected) in table {
            assert_eq!(
                described(&words(text), &steps, |i| i >= 1, 1),
                expected,
                "{text:?}"
            );
        }
    }
}
