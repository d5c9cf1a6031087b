//! Turns knowledge-base content into the Markdown of each kind of message.
//! The knowledge-base check uses the same functions, so a response that
//! passes `check` always fits in a Discord message.

use crate::kb::{Device, Intent, StepPlan};

/// Characters in one Discord message.
pub const DISCORD_LIMIT: usize = 2_000;

/// The steps and the device they were chosen for.
pub(crate) struct Path<'a> {
    pub device: Option<Device>,
    pub steps: Vec<&'a str>,
}

/// Every step path a response offers: one shared path, or one per device.
pub(crate) fn paths(intent: &Intent) -> Vec<Path<'_>> {
    let r = &intent.response;
    if !r.device_specific() {
        return vec![Path {
            device: None,
            steps: r.common.iter().map(String::as_str).collect(),
        }];
    }
    r.devices()
        .into_iter()
        .filter_map(|d| {
            r.steps(Some(d)).map(|steps| Path {
                device: Some(d),
                steps,
            })
        })
        .collect()
}

pub fn step(
    intent: &Intent,
    device: Option<Device>,
    index: usize,
    steps: &[&str],
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
    out.push_str(steps.get(index).copied().unwrap_or_default());
    if index + 1 == total && !intent.response.escalate.is_empty() {
        out.push_str("\n\n*If this was the last thing to try:* ");
        out.push_str(&intent.response.escalate);
    }
    out
}

pub fn all_steps(intent: &Intent, device: Option<Device>, steps: &[&str]) -> String {
    let mut out = format!("**{}** · all steps", intent.title);
    if let (Some(d), true) = (device, intent.response.device_specific()) {
        out.push_str(&format!(" for {}", d.label()));
    }
    out.push('\n');
    out.push_str(&intent.response.diagnosis);
    out.push_str("\n\n");
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, step.replace('\n', "\n   ")));
    }
    if !intent.response.escalate.is_empty() {
        out.push_str("\n**Still stuck?** ");
        out.push_str(&intent.response.escalate);
    }
    out
}

pub fn ask_device(intent: &Intent) -> String {
    let devices: Vec<&str> = intent
        .response
        .devices()
        .iter()
        .map(|d| d.label())
        .collect();
    format!(
        "**{}**\n{}\n\nThe steps differ by device. Which one is this on: {}?",
        intent.title,
        intent.response.diagnosis,
        devices.join(", ")
    )
}

/// The longest message of each kind an intent can produce, in characters.
pub fn longest_messages(intent: &Intent) -> Vec<(String, usize)> {
    let mut out = Vec::new();
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

/// At most `max` characters, with an ellipsis when cut.
/// User text made inert inside the bot's own Markdown: every character
/// Discord gives a meaning (emphasis, code, quotes, headings, lists, masked
/// links, spoilers, mentions) is escaped with a backslash, which Discord
/// shows as the character itself, and `@everyone`/`@here` are broken with
/// a zero-width space. A user's `**Claimed by**` then reads as typed, and
/// an unclosed fence cannot swallow the rest of a staff post.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        // Inline text: no line of its own, whatever the line break.
        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}') {
            out.push(' ');
            continue;
        }
        if "\\*_~|`><#-+[]():".contains(c) {
            out.push('\\');
        }
        out.push(c);
        if c == '@' {
            out.push('\u{200b}');
        }
    }
    out
}

/// At most `max` characters of whole lines, then "…" on a line of its own:
/// for text with Markdown on each line, where a cut inside a line could
/// leave a `**` open to pair with whatever comes after.
pub fn clip_lines(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for line in text.lines() {
        let len = line.chars().count() + 1;
        if used + len + 1 > max {
            break;
        }
        out.push_str(line);
        out.push('\n');
        used += len;
    }
    out.push('…');
    out
}

pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_markdown_is_shown_as_typed() {
        let table = [
            (
                "[click](https://evil.example)",
                "\\[click\\]\\(https\\://evil.example\\)",
            ),
            ("**Claimed by** x", "\\*\\*Claimed by\\*\\* x"),
            ("```rust", "\\`\\`\\`rust"),
            ("<@&123> <#9>", "\\<@\u{200b}&123\\> \\<\\#9\\>"),
            ("@everyone", "@\u{200b}everyone"),
            ("# big", "\\# big"),
            ("a\\*b", "a\\\\\\*b"),
            ("plain words, 57 items.", "plain words, 57 items."),
            ("a\r\n+ b\u{2028}c", "a  \\+ b c"),
        ];
        for (typed, escaped) in table {
            assert_eq!(escape_markdown(typed), escaped, "{typed}");
        }
    }

    #[test]
    fn clipping_by_lines_keeps_each_line_whole() {
        let text = "**A:** one\n**B:** two\n**C:** three";
        assert_eq!(clip_lines(text, 100), text);
        assert_eq!(clip_lines(text, 25), "**A:** one\n**B:** two\n…");
        assert_eq!(clip_lines(text, 5), "…");
        assert!(clip_lines(text, 25).chars().count() <= 25);
    }
}
