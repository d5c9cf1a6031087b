//! From scores to what the bot does: answer, ask "Did you mean…", or stay
//! silent. One rule, applied alike when classifying and when
//! cross-validation chooses the lines.

use super::{CLARIFY_CHOICES, CLARIFY_SHARE, Cut, Decision};

/// A message's scores: the best over its parts, and each part's own.
pub(super) struct Reading {
    /// The gate's probability that the whole message is ours.
    pub ours: f32,
    /// The status lines in the whole message: (intent, start, len), the
    /// most specific first.
    pub statuses: Vec<(usize, usize, usize)>,
    pub scores: Vec<f32>,
    pub units: Vec<Vec<f32>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Ranked {
    pub index: usize,
    pub score: f32,
}

/// The three things the bot can do with a message, before it knows which
/// readings to offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Answer,
    Ask,
    Silent,
}

/// Where a message's best score falls against the lines: the one rule that
/// both the matcher and the cross-validation that chooses its lines apply.
pub(super) fn verdict(cut: Cut, top: f32, runner_up: f32, has_status: bool) -> Verdict {
    if top >= cut.answer && (top - runner_up >= cut.margin || has_status) {
        Verdict::Answer
    } else if top >= cut.clarify {
        Verdict::Ask
    } else {
        Verdict::Silent
    }
}

/// Words that name the bot's subject and no problem in it: a message of
/// these alone ("icloud", "its for icloud", "icloud problem") says which
/// service, not what is wrong, so it is asked about, never answered.
const SUBJECT_ONLY: &[&str] = &[
    "icloud", "photos", "photo", "pics", "pictures", "apple", "problem", "problems", "issue",
    "issues", "help", "trouble", "question",
];

/// Whether a message's words name the subject and nothing more.
pub(super) fn names_nothing(tokens: &[String]) -> bool {
    let mut words = tokens
        .iter()
        .filter(|t| !super::features::is_stopword(t))
        .peekable();
    words.peek().is_some() && words.all(|t| SUBJECT_ONLY.contains(&t.as_str()))
}

/// The readings a "Did you mean" offers: the best few, each within reach
/// of the best.
pub(super) fn offer(ranked: &[Ranked]) -> Vec<usize> {
    let top = ranked.first().map_or(0.0, |r| r.score);
    ranked
        .iter()
        .take(CLARIFY_CHOICES)
        .filter(|s| s.score >= top * CLARIFY_SHARE)
        .map(|s| s.index)
        .collect()
}

/// What to do, by intent index.
pub(super) fn decide(
    cut: Cut,
    ranked: &[Ranked],
    units: &[Vec<f32>],
    has_status: bool,
) -> Decision<usize> {
    let Some(top) = ranked.first() else {
        return Decision::None;
    };
    let runner_up = ranked.get(1).map_or(0.0, |s| s.score);
    match verdict(cut, top.score, runner_up, has_status) {
        Verdict::Silent => Decision::None,
        Verdict::Ask => Decision::Clarify(offer(ranked)),
        Verdict::Answer => {
            // Two sentences, each clearly about a different problem: offer
            // both rather than pick one. A status line settles it.
            let mut choices = vec![top.index];
            for unit in units.iter().skip(1) {
                let best = unit.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1));
                if let Some((i, &s)) = best
                    && s >= cut.answer
                    && !choices.contains(&i)
                    && choices.len() < CLARIFY_CHOICES
                {
                    choices.push(i);
                }
            }
            if choices.len() > 1 && !has_status {
                Decision::Clarify(choices)
            } else {
                Decision::Answer(top.index)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    #[test]
    fn a_message_naming_only_the_subject_says_nothing_to_answer() {
        let table = [
            ("icloud", true),
            ("its for icloud", true),
            ("icloud photos problem", true),
            ("help with my photos please", true),
            ("", false),
            ("icloud down?", false),
            ("icloud photos not syncing", false),
            ("waiting to upload", false),
        ];
        for (text, expected) in table {
            assert_eq!(names_nothing(&tokens(text)), expected, "{text:?}");
        }
    }
}
