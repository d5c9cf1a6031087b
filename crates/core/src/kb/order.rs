//! The order a response keeps on every path a user can walk: quick and
//! safe steps first, then waits, then risky steps, each risky step after
//! its gate; and a hand-over sentence that reads as one sentence.
//!
//! Checked per path (shared steps, one device's steps, the last steps)
//! because that is what a user sees: a shared step can only be judged
//! beside the device steps it is shown with.

use super::device::Device;
use super::error::Problems;
use super::response_file::Response;
use super::step::{Pace, Risk, Step};
use std::collections::BTreeMap;
use std::path::Path;

/// What is out of order, at the line of the step that is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    #[error("step 1 is risky ({0}): start with a quick, safe step")]
    RiskyFirst(Risk),
    #[error(
        "a risky step ({risk}) needs its gate before it{}: mark an earlier step {{gate: {risk}}} that checks {}",
        on(.missing_on),
        .risk.gate()
    )]
    NoGate {
        risk: Risk,
        /// The devices whose path lacks the gate; empty when every path does.
        missing_on: Vec<Device>,
    },
    #[error("a quick step after the wait at line {0}: quick steps go before waits")]
    QuickAfterWait(usize),
    #[error("{} after the risky step at line {risky_line}: risky steps go last", .pace.describe())]
    SafeAfterRisky { pace: Pace, risky_line: usize },
    #[error(
        "the hand-over text reads “If …: If …”; write it as one sentence (the last step shows it as it is)"
    )]
    DoubleIf,
}

fn on(devices: &[Device]) -> String {
    if devices.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = devices.iter().map(|d| d.label()).collect();
    format!(" on {}", names.join(", "))
}

pub(crate) fn check(path: &Path, response: &Response, problems: &mut Problems) {
    let mut found: BTreeMap<usize, Vec<OrderError>> = BTreeMap::new();
    let mut add = |line: usize, error: OrderError| {
        let at = found.entry(line).or_default();
        if !at.contains(&error) {
            at.push(error);
        }
    };
    // line → (risk, paths that show the step, devices whose path lacks a gate)
    let mut ungated: BTreeMap<usize, (Risk, usize, Vec<Option<Device>>)> = BTreeMap::new();
    for (device, steps) in response.paths() {
        walk(&steps, &mut add, |step, risk, gated| {
            let entry = ungated.entry(step.line).or_insert((risk, 0, Vec::new()));
            entry.1 += 1;
            if !gated {
                entry.2.push(device);
            }
        });
    }
    for (line, (risk, shown, lacking)) in ungated {
        if lacking.is_empty() {
            continue;
        }
        let missing_on = if lacking.len() == shown {
            Vec::new()
        } else {
            lacking.into_iter().flatten().collect()
        };
        add(line, OrderError::NoGate { risk, missing_on });
    }
    if reads_if_if(&response.escalate) {
        add(response.escalate_line, OrderError::DoubleIf);
    }
    for (line, errors) in found {
        for error in errors {
            problems.push(path, line, error.to_string());
        }
    }
}

/// One path, in order. `risky` hears of every risky step but the first,
/// and whether a gate for it came before.
fn walk(
    steps: &[&Step],
    add: &mut impl FnMut(usize, OrderError),
    mut risky: impl FnMut(&Step, Risk, bool),
) {
    let mut wait: Option<usize> = None;
    let mut risky_at: Option<usize> = None;
    for (index, step) in steps.iter().enumerate() {
        // A gate is the check just before a risky step, so it may follow
        // a wait or another risky step.
        let neutral = !step.gates.is_empty();
        match step.pace {
            Pace::Risky(risk) => {
                if index == 0 {
                    add(step.line, OrderError::RiskyFirst(risk));
                } else {
                    let gated = steps[..index].iter().any(|s| s.is_gate_for(risk));
                    risky(step, risk, gated);
                }
                risky_at.get_or_insert(step.line);
            }
            pace => {
                if let (Some(risky_line), false) = (risky_at, neutral) {
                    add(step.line, OrderError::SafeAfterRisky { pace, risky_line });
                } else if let (Pace::Quick, Some(wait_line), false) = (pace, wait, neutral) {
                    add(step.line, OrderError::QuickAfterWait(wait_line));
                }
                if pace == Pace::Wait {
                    wait.get_or_insert(step.line);
                }
            }
        }
    }
}

/// "If it stays paused: if nothing helps, ask…": two conditions joined by
/// a colon, what the old "*If this was the last thing to try:*" lead made
/// of every hand-over sentence.
fn reads_if_if(text: &str) -> bool {
    let first = text.split_once(". ").map_or(text, |(sentence, _)| sentence);
    first
        .split_once(':')
        .is_some_and(|(lead, rest)| opens_condition(lead) && opens_condition(rest))
}

fn opens_condition(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || "*_".contains(c));
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    matches!(word.as_str(), "if" | "when" | "once" | "unless")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::response_file::parse;

    fn problems(text: &str) -> Vec<String> {
        let mut problems = Problems::default();
        parse(Path::new("responses/x.md"), text, &mut problems);
        problems.0.iter().map(|p| p.to_string()).collect()
    }

    /// One response per kind of problem, and the problems `check` gives.
    #[test]
    fn each_kind_of_misorder_is_named_at_its_line() {
        let table: &[(&str, &str, &[&str])] = &[
            (
                "a risky step with no gate",
                "Why.\n\n## Steps\n1. Restart.\n2. Sign out. {risk: signs-out}\n",
                &[
                    "responses/x.md:5: a risky step (signs-out) needs its gate before it: mark an earlier step {gate: signs-out} that checks Photos shows nothing waiting or uploading",
                ],
            ),
            (
                "a gate for another kind does not count",
                "Why.\n\n## Steps\n1. Check iCloud.com. {gate: turns-off-sync}\n2. Sign out. {risk: signs-out}\n",
                &[
                    "responses/x.md:5: a risky step (signs-out) needs its gate before it: mark an earlier step {gate: signs-out} that checks Photos shows nothing waiting or uploading",
                ],
            ),
            (
                "a risky first step",
                "Why.\n\n## Steps\n1. Delete it. {risk: deletes}\n2. Restart.\n",
                &[
                    "responses/x.md:4: step 1 is risky (deletes): start with a quick, safe step",
                    "responses/x.md:5: a quick step after the risky step at line 4: risky steps go last",
                ],
            ),
            (
                "a wait before a quick step",
                "Why.\n\n## Steps\n1. Leave it overnight. {wait}\n2. Toggle Airplane Mode.\n",
                &[
                    "responses/x.md:5: a quick step after the wait at line 4: quick steps go before waits",
                ],
            ),
            (
                "a shared wait before a device's quick step",
                "Why.\n\n## Steps\n1. Check space.\n2. Leave it overnight. {wait}\n\n## Mac\n1. Click Resume.\n\n## Windows\n1. Wait more. {wait}\n",
                &[
                    "responses/x.md:8: a quick step after the wait at line 5: quick steps go before waits",
                ],
            ),
            (
                "a risky step before a wait",
                "Why.\n\n## Steps\n1. Check. {gate: permanent}\n2. Empty it. {risk: permanent}\n3. Wait a day. {wait}\n",
                &["responses/x.md:6: a wait after the risky step at line 5: risky steps go last"],
            ),
            (
                "a gate missing on one device only",
                "Why.\n\n## Steps\n1. Restart.\n\n## Mac\n1. Check iCloud.com. {gate: turns-off-sync}\n\n## Windows\n1. Restart again.\n\n## Last steps\n1. Turn it off and on. {risk: turns-off-sync}\n",
                &[
                    "responses/x.md:13: a risky step (turns-off-sync) needs its gate before it on Windows: mark an earlier step {gate: turns-off-sync} that checks iCloud.com has the items (on Windows: local copies saved first)",
                ],
            ),
            (
                "If …: If …",
                "Why.\n\n## Steps\n1. Restart.\n\n## Ask a person\nIf this was the last thing to try: if it stays paused, ask for a person.\n",
                &[
                    "responses/x.md:7: the hand-over text reads “If …: If …”; write it as one sentence (the last step shows it as it is)",
                ],
            ),
            (
                "quick, wait, gate, risky in order",
                "Why.\n\n## Steps\n1. Restart.\n2. Wait a night. {wait}\n\n## Mac\n1. Wait more. {wait}\n2. Check iCloud.com. {gate: turns-off-sync}\n\n## Last steps\n1. Untick iCloud Photos. {risk: turns-off-sync}\n\n## Ask a person\nIf it is still stuck, ask for a person: say what you tried.\n",
                &[],
            ),
        ];
        for (what, text, expected) in table {
            assert_eq!(&problems(text), expected, "{what}");
        }
    }
}
