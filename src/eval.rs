//! Scores the matcher on a labelled file: how often it does the right thing.

use crate::engine::Engine;
use crate::kb::NONE_LABEL;
use crate::matcher::Decision;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;

/// One labelled message.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub text: String,
    pub label: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EvalError {
    #[error("line 1: expected the header `text<TAB>label`")]
    Header,
    #[error("line {0}: expected `text<TAB>label`")]
    Row(usize),
    #[error("line {line}: unknown label {label:?}")]
    Label { line: usize, label: String },
    #[error("no rows to score")]
    Empty,
}

/// Parses `text<TAB>label` rows under a `text<TAB>label` header.
pub fn parse(tsv: &str, engine: &Engine) -> Result<Vec<Row>, EvalError> {
    let mut lines = tsv.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim_end() == "text\tlabel" => {}
        _ => return Err(EvalError::Header),
    }
    let mut rows = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let (text, label) = line.rsplit_once('\t').ok_or(EvalError::Row(line_no))?;
        let label = label.trim();
        if label != NONE_LABEL && engine.kb.find(label).is_none() {
            return Err(EvalError::Label {
                line: line_no,
                label: label.to_string(),
            });
        }
        rows.push(Row {
            line: line_no,
            text: text.to_string(),
            label: label.to_string(),
        });
    }
    if rows.is_empty() {
        return Err(EvalError::Empty);
    }
    Ok(rows)
}

/// What happened to one row.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub line: usize,
    pub text: String,
    pub label: String,
    /// The answered intent, `clarify`, or `none`.
    pub got: String,
    pub right: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LabelStats {
    pub n: usize,
    pub right: usize,
    pub recall: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub n: usize,
    pub accuracy: f64,
    pub top1: f64,
    pub top3: f64,
    pub wrong_answer: f64,
    pub offtopic_answered: f64,
    /// Share of `none` rows that got a "Did you mean" (they count in
    /// `offtopic_answered` too: any reply to chatter is one too many).
    pub offtopic_clarified: f64,
    /// Share of problem rows where the user was helped: the right answer,
    /// or the right reading among the "Did you mean" choices.
    pub helped: f64,
    pub clarified: f64,
    pub per_message_us: f64,
    pub per_label: BTreeMap<String, LabelStats>,
    /// "label -> got" and how often, for rows handled wrong.
    pub confusions: BTreeMap<String, usize>,
    #[serde(skip)]
    pub misses: Vec<Outcome>,
}

/// Classifies every row, then times a second pass (median of per-message
/// times, so one slow outlier does not skew it).
pub fn run(engine: &Engine, rows: &[Row]) -> Report {
    let (mut right, mut top1, mut top3, mut wrong, mut off_answered, mut clarified) =
        (0, 0, 0, 0, 0, 0);
    let (mut off_clarified, mut helped) = (0, 0);
    let (mut labelled, mut offtopic) = (0usize, 0usize);
    let mut per_label: BTreeMap<String, LabelStats> = BTreeMap::new();
    let mut confusions: BTreeMap<String, usize> = BTreeMap::new();
    let mut misses = Vec::new();
    for row in rows {
        let c = engine.matcher.classify(&row.text);
        let got = match &c.decision {
            Decision::Answer(id) => id.to_string(),
            Decision::Clarify(_) => "clarify".to_string(),
            Decision::None => NONE_LABEL.to_string(),
        };
        let is_right = got == row.label;
        if matches!(c.decision, Decision::Clarify(_)) {
            clarified += 1;
        }
        if row.label == NONE_LABEL {
            offtopic += 1;
            if !matches!(c.decision, Decision::None) {
                off_answered += 1;
            }
            if matches!(c.decision, Decision::Clarify(_)) {
                off_clarified += 1;
            }
        } else {
            labelled += 1;
            let rank = c.ranked.iter().position(|s| s.intent.as_str() == row.label);
            top1 += usize::from(rank == Some(0));
            top3 += usize::from(rank.is_some_and(|r| r < 3));
            if matches!(&c.decision, Decision::Answer(id) if id.as_str() != row.label) {
                wrong += 1;
            }
            let offered = match &c.decision {
                Decision::Answer(id) => id.as_str() == row.label,
                Decision::Clarify(ids) => ids.iter().any(|id| id.as_str() == row.label),
                Decision::None => false,
            };
            helped += usize::from(offered);
        }
        let stats = per_label.entry(row.label.clone()).or_default();
        stats.n += 1;
        if is_right {
            right += 1;
            stats.right += 1;
        } else {
            *confusions
                .entry(format!("{} -> {got}", row.label))
                .or_default() += 1;
            misses.push(Outcome {
                line: row.line,
                text: row.text.clone(),
                label: row.label.clone(),
                got,
                right: false,
            });
        }
    }
    for stats in per_label.values_mut() {
        stats.recall = ratio(stats.right, stats.n);
    }
    Report {
        n: rows.len(),
        accuracy: ratio(right, rows.len()),
        top1: ratio(top1, labelled),
        top3: ratio(top3, labelled),
        wrong_answer: ratio(wrong, labelled),
        offtopic_answered: ratio(off_answered, offtopic),
        offtopic_clarified: ratio(off_clarified, offtopic),
        helped: ratio(helped, labelled),
        clarified: ratio(clarified, rows.len()),
        per_message_us: median_us(engine, rows),
        per_label,
        confusions,
        misses,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn median_us(engine: &Engine, rows: &[Row]) -> f64 {
    let mut times: Vec<f64> = rows
        .iter()
        .map(|row| {
            let start = Instant::now();
            std::hint::black_box(engine.matcher.classify(std::hint::black_box(&row.text)));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}
