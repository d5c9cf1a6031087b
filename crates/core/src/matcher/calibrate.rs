//! Choosing where to answer, ask or stay silent, by cross-validation over
//! the knowledge base's own examples rather than by eye.
//!
//! Each example is scored by models that never saw it (k folds), and the
//! lines are the ones that would have served those held-out examples best:
//! a right answer is worth most, a "Did you mean" that holds the right
//! reading something, and a wrong answer or a reply to chatter costs more
//! than silence. Chatter counts as much in all as problems do, because a
//! channel holds at least as much of it as of questions.

use super::training::Example;
use super::{CLARIFY_CHOICES, CLARIFY_SHARE, Cut, Matcher, STATUS_SCORE, Verdict, verdict};

/// Mixed into the keys for the folds, so that a fold is not the training
/// order's first stretch.
const FOLD_SALT: u64 = 0xF01D_5EED;
/// How many folds.
const FOLDS: usize = 5;

/// What each outcome is worth, against silence at 0.
const RIGHT: f32 = 1.0;
const WRONG: f32 = -1.5;
const CLARIFY_RIGHT: f32 = 0.4;
const CLARIFY_WRONG: f32 = -0.3;
const CHATTER_ANSWERED: f32 = -1.5;
const CHATTER_CLARIFIED: f32 = -0.5;

/// One held-out example as the decision sees it.
struct Held {
    /// The example's intent; `None` for chatter.
    label: Option<usize>,
    weight: f32,
    top: f32,
    runner_up: f32,
    top_right: bool,
    /// The right reading is among the "Did you mean" choices.
    offered: bool,
    has_status: bool,
}

/// The lines that serve the held-out examples best.
pub(super) fn choose(matcher: &Matcher, examples: &[Example]) -> Cut {
    let held = held_out(matcher, examples);
    best_cut(&held)
}

fn held_out(matcher: &Matcher, examples: &[Example]) -> Vec<Held> {
    // Only whole phrasings are scored; keywords and titles train but are
    // not what people send. A phrasing's fold comes from its key, so an
    // example added or removed moves no other example to another fold
    // (dealt by position, one edit reshuffled every later example of its
    // intent, and the lines chosen with them).
    let fold_of: Vec<usize> = examples
        .iter()
        .map(|e| (super::model::mix(e.key ^ FOLD_SALT) % FOLDS as u64) as usize)
        .collect();
    let mut held = Vec::new();
    for fold in 0..FOLDS {
        let train: Vec<usize> = (0..examples.len())
            .filter(|&r| fold_of[r] != fold)
            .collect();
        let models = matcher.train(examples, &train);
        for (r, e) in examples.iter().enumerate() {
            if fold_of[r] != fold || e.weight < 1.0 {
                continue;
            }
            let (_, mut scores) = matcher.unit_scores(&models, &e.features);
            if e.tool {
                // As `Matcher::scores` rules: the tool's, not ours.
                scores.iter_mut().for_each(|s| *s = 0.0);
            }
            matcher.weigh_devices(&mut scores, &e.devices);
            if let Some(s) = e.status {
                scores[s] = scores[s].max(STATUS_SCORE);
            }
            let ranked = matcher.rank(&scores);
            let top = ranked
                .first()
                .map_or((usize::MAX, 0.0), |s| (s.index, s.score));
            let offered = e.intent.is_some_and(|label| {
                ranked
                    .iter()
                    .take(CLARIFY_CHOICES)
                    .filter(|s| s.score >= top.1 * CLARIFY_SHARE)
                    .any(|s| s.index == label)
            });
            held.push(Held {
                label: e.intent,
                weight: 1.0,
                top: top.1,
                runner_up: ranked.get(1).map_or(0.0, |s| s.score),
                top_right: e.intent == Some(top.0),
                offered,
                has_status: e.status.is_some(),
            });
        }
    }
    // Chatter weighs as much in all as problems.
    let chatter = held.iter().filter(|h| h.label.is_none()).count();
    let problems = held.len() - chatter;
    if chatter > 0 {
        let w = problems as f32 / chatter as f32;
        held.iter_mut()
            .filter(|h| h.label.is_none())
            .for_each(|h| h.weight = w);
    }
    held
}

fn value(cut: Cut, h: &Held) -> f32 {
    let v = match (h.label, verdict(cut, h.top, h.runner_up, h.has_status)) {
        (_, Verdict::Silent) => 0.0,
        (None, Verdict::Answer) => CHATTER_ANSWERED,
        (None, Verdict::Ask) => CHATTER_CLARIFIED,
        (Some(_), Verdict::Answer) if h.top_right => RIGHT,
        (Some(_), Verdict::Answer) => WRONG,
        (Some(_), Verdict::Ask) if h.offered => CLARIFY_RIGHT,
        (Some(_), Verdict::Ask) => CLARIFY_WRONG,
    };
    v * h.weight
}

fn best_cut(held: &[Held]) -> Cut {
    let steps = |from: f32, to: f32, by: f32| {
        let n = ((to - from) / by).round() as usize;
        (0..=n).map(move |i| from + by * i as f32)
    };
    let mut best = (
        f32::NEG_INFINITY,
        Cut {
            answer: 0.5,
            clarify: 0.3,
            margin: 0.1,
        },
    );
    for answer in steps(0.05, 0.95, 0.025) {
        for margin in steps(0.0, 0.3, 0.025) {
            for clarify in steps(0.025, answer, 0.025) {
                let cut = Cut {
                    answer,
                    clarify,
                    margin,
                };
                let total: f32 = held.iter().map(|h| value(cut, h)).sum();
                // Ties go to the higher lines (the later ones in this
                // order): the quieter bot.
                if total >= best.0 - 1e-6 {
                    best = (best.0.max(total), cut);
                }
            }
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(label: Option<usize>, top: f32, runner_up: f32, top_right: bool) -> Held {
        Held {
            label,
            weight: 1.0,
            top,
            runner_up,
            top_right,
            offered: top_right,
            has_status: false,
        }
    }

    #[test]
    fn lines_fall_between_chatter_and_problems() {
        // Problems score 0.6-0.9 and are right; chatter scores up to 0.3.
        let mut rows: Vec<Held> = (0..20)
            .map(|i| held(Some(0), 0.6 + 0.015 * i as f32, 0.05, true))
            .collect();
        rows.extend((0..20).map(|i| held(None, 0.3 * i as f32 / 20.0, 0.01, false)));
        let cut = best_cut(&rows);
        assert!(cut.answer > 0.3 && cut.answer <= 0.6, "{cut:?}");
        assert!(cut.clarify > 0.28, "{cut:?}");
    }

    #[test]
    fn wrong_top_readings_raise_the_answer_line() {
        // High-scoring problems whose best reading is wrong: better asked
        // about than answered.
        let rows: Vec<Held> = (0..20)
            .map(|i| Held {
                offered: true,
                ..held(Some(0), 0.5 + 0.01 * i as f32, 0.45, false)
            })
            .collect();
        let cut = best_cut(&rows);
        let answered = rows
            .iter()
            .filter(|h| verdict(cut, h.top, h.runner_up, false) == Verdict::Answer)
            .count();
        assert_eq!(answered, 0, "{cut:?}");
        assert!(cut.clarify <= 0.5, "{cut:?}");
    }
}
