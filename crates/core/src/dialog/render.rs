//! Turns knowledge-base content into the Markdown of each kind of message.
//! The knowledge-base check uses the same functions, so a response that
//! passes `check` always fits in a Discord message.

use super::case::CaseSummary;
use crate::kb::{Device, Intent, Risk, Step, StepPlan};

pub use super::markdown::{clip, clip_lines, escape_markdown, no_previews, plain};

/// Characters in one Discord message.
pub const DISCORD_LIMIT: usize = 2_000;

/// Room the hand-over message keeps for the case below its opening; the
/// check refuses an opening that leaves less.
pub const CASE_ROOM: usize = 1_000;

/// Said on a hand-over when the knowledge base has no words for it.
const HAND_OVER: &str =
    "I'm handing this to a person from the support team. They'll see this summary and reply here.";

/// The steps and the device they were chosen for.
pub(crate) struct Path<'a> {
    pub device: Option<Device>,
    pub steps: Vec<&'a Step>,
}

/// Every step path a response offers: one shared path, or one per device.
pub(crate) fn paths(intent: &Intent) -> Vec<Path<'_>> {
    intent
        .response
        .paths()
        .into_iter()
        .map(|(device, steps)| Path { device, steps })
        .collect()
}

pub fn step(
    intent: &Intent,
    device: Option<Device>,
    index: usize,
    steps: &[&Step],
    with_diagnosis: bool,
) -> String {
    let total = steps.len();
    let mut out = format!("**{}**\n", intent.title);
    if with_diagnosis {
        out.push_str(&intent.response.diagnosis);
        out.push_str("\n\n");
    }
    out.push_str(&format!("**Step {} of {total}**", index + 1));
    if let (Some(d), true) = (device, intent.response.device_specific()) {
        out.push_str(&format!(" · {}", d.label()));
    }
    out.push('\n');
    if let Some(step) = steps.get(index) {
        if let Some(warning) = warning(steps, index) {
            out.push_str(&warning);
            out.push('\n');
        }
        out.push_str(&step.text);
    }
    // The hand-over text is a sentence of its own ("If …, ask for a
    // person"), so it follows the last step as a paragraph, with no lead
    // that would make it "If …: If …".
    if index + 1 == total && !intent.response.escalate.is_empty() {
        out.push_str("\n\n");
        out.push_str(&intent.response.escalate);
    }
    no_previews(&out)
}

pub fn all_steps(intent: &Intent, device: Option<Device>, steps: &[&Step]) -> String {
    let mut out = format!("**{}** · all steps", intent.title);
    if let (Some(d), true) = (device, intent.response.device_specific()) {
        out.push_str(&format!(" for {}", d.label()));
    }
    out.push('\n');
    out.push_str(&intent.response.diagnosis);
    out.push_str("\n\n");
    for (i, step) in steps.iter().enumerate() {
        let text = match warning(steps, i) {
            Some(warning) => format!("{warning}\n{}", step.text),
            None => step.text.clone(),
        };
        out.push_str(&format!("{}. {}\n", i + 1, text.replace('\n', "\n   ")));
    }
    if !intent.response.escalate.is_empty() {
        out.push('\n');
        out.push_str(&intent.response.escalate);
    }
    no_previews(&out)
}

/// The line above a risky step: what is at stake, and which earlier step
/// makes it safe, so someone who skipped ahead goes back to it.
pub fn warning(steps: &[&Step], index: usize) -> Option<String> {
    let risk: Risk = steps.get(index)?.risk()?;
    let gate = steps[..index].iter().rposition(|s| s.is_gate_for(risk));
    Some(match gate {
        Some(gate) => format!("⚠️ **{}** Only after step {}.", risk.warning(), gate + 1),
        None => format!("⚠️ **{}**", risk.warning()),
    })
}

/// Names joined as a sentence says them: "A", "A and B", "A, B and C".
pub fn list_of<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// How much of a passed-over step the line above the next one quotes.
const PASSED_QUOTE: usize = 48;

/// The line above a step that follows steps passed over (`skipped`: the
/// 0-based index and the step), so the count does not jump without a
/// word. Each is quoted: one step may do more than the user said they had
/// done ("Turn Low Power Mode off, then switch Airplane Mode on"), and
/// "Show all steps" still lists it. The quote drops the step's emphasis:
/// cut short, a `**` could pair with whatever follows.
pub fn passed_over(skipped: &[(usize, &Step)]) -> Option<String> {
    let named: Vec<String> = skipped
        .iter()
        .map(|(i, step)| {
            format!(
                "{} (“{}”)",
                i + 1,
                clip(&plain(&step.text).replace(['*', '`'], ""), PASSED_QUOTE)
            )
        })
        .collect();
    let named = match named.len() {
        0 => return None,
        1 => format!("step {}", named[0]),
        _ => format!("steps {}", list_of(named.iter().map(String::as_str))),
    };
    Some(format!(
        "Skipping {named}: you said you'd done that already. Show all steps lists it if you want it after all."
    ))
}

pub fn ask_device(intent: &Intent) -> String {
    let devices: Vec<&str> = intent
        .response
        .devices()
        .iter()
        .map(|d| d.label())
        .collect();
    no_previews(&format!(
        "**{}**\n{}\n\nThe steps differ by device. Which one is this on: {}?",
        intent.title,
        intent.response.diagnosis,
        devices.join(", ")
    ))
}

/// What the user is told on a hand-over: the `escalate-human` response's
/// words, its list of what a person asks first (unless the form already
/// gathered it), then the case as staff will see it.
pub fn hand_over(guide: Option<&Intent>, case: &CaseSummary) -> String {
    let mut out = hand_over_opening(guide, case.form.is_none());
    out.push_str("\n\n");
    let room = DISCORD_LIMIT.saturating_sub(count(&out));
    out.push_str(&case.render_within(room));
    out
}

fn hand_over_opening(guide: Option<&Intent>, with_list: bool) -> String {
    let Some(guide) = guide else {
        return HAND_OVER.to_string();
    };
    let mut out = guide.response.diagnosis.clone();
    let steps = guide.response.steps(None).unwrap_or_default();
    if with_list && !steps.is_empty() {
        out.push_str("\n\n**What they'll ask first; post it here if you can:**");
        for (i, step) in steps.iter().enumerate() {
            out.push_str(&format!(
                "\n{}. {}",
                i + 1,
                step.text.replace('\n', "\n   ")
            ));
        }
    }
    no_previews(&out)
}

/// The longest message of each kind an intent can produce, in characters.
pub fn longest_messages(intent: &Intent) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    if intent.id.as_str() == crate::kb::ESCALATE {
        out.push((
            format!("the hand-over message (with {CASE_ROOM} characters kept for the case)"),
            count(&hand_over_opening(Some(intent), true)) + CASE_ROOM,
        ));
    }
    if let StepPlan::AskDevice = intent.response.plan(None) {
        out.push((
            "the device question".to_string(),
            count(&ask_device(intent)),
        ));
    }
    for path in paths(intent) {
        let label = path
            .device
            .map_or(String::new(), |d| format!(" for {}", d.label()));
        let longest_step = (0..path.steps.len())
            .map(|i| count(&step(intent, path.device, i, &path.steps, true)))
            .max()
            .unwrap_or(0);
        out.push((format!("a step message{label}"), longest_step));
        out.push((
            format!("the all-steps message{label}"),
            count(&all_steps(intent, path.device, &path.steps)),
        ));
    }
    out
}

fn count(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Kb, SourceFile};

    /// One intent from a response text, through the real loader.
    fn intent(response: &str) -> Intent {
        let mut files = crate::kb::fixture::files();
        let path = std::path::PathBuf::from("responses/status-paused.md");
        files.files.retain(|f| f.path != path);
        files.files.push(SourceFile {
            path,
            text: response.to_string(),
        });
        let kb = Kb::from_files(&files).unwrap_or_else(|e| panic!("{e}"));
        kb.find("status-paused").cloned().expect("the intent")
    }

    #[test]
    fn the_last_step_ends_with_the_hand_over_sentence_as_written() {
        let i = intent(
            "Why.\n\n## Steps\n1. Charge it.\n2. Restart it.\n\n## Ask a person\nIf it stays paused for a day, ask for a person.\n",
        );
        let steps = i.response.steps(None).expect("shared");
        let last = step(&i, None, 1, &steps, false);
        assert!(
            last.ends_with("Restart it.\n\nIf it stays paused for a day, ask for a person."),
            "{last}"
        );
        assert!(!step(&i, None, 0, &steps, false).contains("ask for a person"));
        let all = all_steps(&i, None, &steps);
        assert!(
            all.ends_with("\nIf it stays paused for a day, ask for a person."),
            "{all}"
        );
    }

    #[test]
    fn risky_steps_carry_a_warning_naming_their_gate() {
        let i = intent(
            "Why.\n\n## Steps\n1. Restart.\n2. Check iCloud.com has everything. {gate: turns-off-sync}\n3. Turn it off and on. {risk: turns-off-sync}\n",
        );
        let steps = i.response.steps(None).expect("shared");
        let risky = step(&i, None, 2, &steps, false);
        assert!(
            risky.contains(
                "**Step 3 of 3**\n⚠️ **This turns iCloud Photos off on this device.** Only after step 2.\nTurn it off and on."
            ),
            "{risky}"
        );
        assert!(!step(&i, None, 1, &steps, false).contains("⚠️"));
        let all = all_steps(&i, None, &steps);
        assert!(
            all.contains("3. ⚠️ **This turns iCloud Photos off on this device.** Only after step 2.\n   Turn it off and on."),
            "{all}"
        );
    }

    #[test]
    fn links_in_steps_are_sent_without_previews() {
        let i = intent(
            "Why.\n\n## Steps\n1. Open [Get Support](https://getsupport.apple.com).\n2. Call.\n",
        );
        let steps = i.response.steps(None).expect("shared");
        assert!(
            step(&i, None, 0, &steps, false)
                .contains("Open [Get Support](<https://getsupport.apple.com>).")
        );
    }
}
