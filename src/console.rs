//! The terminal adapter: the same conversation as on Discord, with buttons
//! drawn as numbered choices.

use crate::dialog::{self, Action, Conversation, Event, Reply, ReplyKind};
use crate::engine::Engine;
use crate::review::{self, Noticed};
use std::io::{BufRead, IsTerminal as _, Write};

/// Whether to draw with ANSI colour. Only a terminal gets it, so piped and
/// scripted output stays plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Colour,
}

impl Style {
    pub fn for_stdout() -> Style {
        if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            Style::Colour
        } else {
            Style::Plain
        }
    }
}

/// What `chat` calls after every turn: which case of the session it is
/// (0 for the first, one more after each `new`), the conversation, the
/// reply, and the near-miss the turn was, if any.
pub type OnTurn<'a> = dyn FnMut(u64, &Conversation, Option<&Reply>, Option<Noticed>) + 'a;

/// One numbered choice and the event it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub event: Event,
}

/// The reply's actions as a flat numbered list.
pub fn choices(reply: &Reply) -> Vec<Choice> {
    let mut out = Vec::new();
    for action in &reply.actions {
        match action {
            Action::NextStep => out.push(choice("Next step", Event::NextStep)),
            Action::FixedIt => out.push(choice("That fixed it", Event::FixedIt)),
            Action::ShowAll => out.push(choice("Show all steps", Event::ShowAll)),
            Action::TalkToPerson => out.push(choice("Talk to a person", Event::TalkToPerson)),
            Action::ChooseDevice { devices } => {
                for device in devices {
                    out.push(choice(
                        &format!("I'm on {}", device.label()),
                        Event::ChooseDevice(*device),
                    ));
                }
            }
            Action::ChooseIntent { choices } => {
                for c in choices {
                    out.push(choice(&c.title, Event::ChooseIntent(c.intent.clone())));
                }
                out.push(choice("Something else", Event::SomethingElse));
            }
        }
    }
    out
}

fn choice(label: &str, event: Event) -> Choice {
    Choice {
        label: label.to_string(),
        event,
    }
}

/// The reply's text and its numbered choices.
pub fn render_reply(reply: &Reply, style: Style) -> String {
    let mut out = String::new();
    if reply.kind == ReplyKind::Escalation {
        out.push_str(&paint("── case for the support team ──", "36", style));
        out.push('\n');
    }
    out.push_str(&markdown(&reply.text, style));
    out.push('\n');
    let choices = choices(reply);
    if !choices.is_empty() {
        out.push('\n');
        for (i, c) in choices.iter().enumerate() {
            out.push_str(&format!(
                "  {} {}\n",
                paint(&format!("{})", i + 1), "33", style),
                c.label
            ));
        }
    }
    out
}

/// Runs a conversation over `input` until it ends or the user types `quit`;
/// `on_turn` sees the conversation and the reply after every message, and
/// the near-miss the turn was, if any (the CLI stores them, a hand-over's
/// ticket, and the review queue's item).
pub fn chat(
    engine: &Engine,
    input: impl BufRead,
    mut output: impl Write,
    style: Style,
    interactive: bool,
    on_turn: &mut OnTurn<'_>,
) -> std::io::Result<()> {
    writeln!(
        output,
        "{}",
        paint(
            "syncmedic: tell me what's wrong with iCloud Photos, or paste what the Photos app says. Type a number to pick an option, `new` to start a new case, `quit` to leave.",
            "2",
            style
        )
    )?;
    let mut conversation = Conversation::default();
    let mut case = 0;
    let mut offered: Vec<Choice> = Vec::new();
    prompt(&mut output, style, interactive)?;
    // Bytes, not `lines()`: a line that is not UTF-8 (a pasted Latin-1
    // "é") is read as well as it can be instead of ending the conversation,
    // and control characters (a pasted escape sequence) are dropped, so
    // nothing typed can drive the terminal when the case echoes it.
    for line in input.split(b'\n') {
        let line: String = String::from_utf8_lossy(&line?)
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let text = line.trim();
        if text.is_empty() {
            prompt(&mut output, style, interactive)?;
            continue;
        }
        if matches!(text, "quit" | "exit" | "/quit") {
            break;
        }
        // The terminal has no channel to ask a new question in, and a case
        // handed over stays with the person until staff resolve it.
        if matches!(text, "new" | "/new") {
            // A case of its own, so the one before (and its ticket) is
            // kept as it was.
            case += 1;
            conversation = Conversation::default();
            offered.clear();
            writeln!(output, "\nNew case: tell me what's wrong.")?;
            prompt(&mut output, style, interactive)?;
            continue;
        }
        let event = match text.parse::<usize>() {
            Ok(n) if (1..=offered.len()).contains(&n) => offered[n - 1].event.clone(),
            Ok(_) if !offered.is_empty() => {
                writeln!(
                    output,
                    "Pick a number from 1 to {}, or type a message.",
                    offered.len()
                )?;
                prompt(&mut output, style, interactive)?;
                continue;
            }
            _ => Event::Message {
                text: text.to_string(),
                addressed: true,
            },
        };
        let before = conversation.clone();
        let (next, reply) = dialog::handle(engine, conversation, event.clone());
        let noticed = review::noticed(engine, &before, &event, &next, reply.as_ref());
        conversation = next;
        on_turn(case, &conversation, reply.as_ref(), noticed);
        match reply {
            Some(reply) => {
                writeln!(output)?;
                write!(output, "{}", render_reply(&reply, style))?;
                let fresh = choices(&reply);
                // A note without actions keeps the previous choices usable.
                if !fresh.is_empty() || reply.kind != ReplyKind::Note {
                    offered = fresh;
                }
            }
            None => writeln!(output, "{}", paint("(no reply)", "2", style))?,
        }
        prompt(&mut output, style, interactive)?;
    }
    Ok(())
}

fn prompt(output: &mut impl Write, style: Style, interactive: bool) -> std::io::Result<()> {
    if interactive {
        write!(output, "\n{} ", paint("you>", "1", style))?;
        output.flush()?;
    }
    Ok(())
}

fn paint(text: &str, code: &str, style: Style) -> String {
    match style {
        Style::Colour => format!("\x1b[{code}m{text}\x1b[0m"),
        Style::Plain => text.to_string(),
    }
}

/// Discord's `**bold**` as terminal bold, or as plain text.
fn markdown(text: &str, style: Style) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split("**").enumerate() {
        if i % 2 == 1 && style == Style::Colour {
            out.push_str(&paint(part, "1", style));
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::fixture;

    /// What the terminal shows for `input`, as bytes typed.
    fn converse(input: &[u8]) -> String {
        let mut output = Vec::new();
        chat(
            &fixture::engine(),
            input,
            &mut output,
            Style::Plain,
            false,
            &mut |_: u64, _: &Conversation, _: Option<&Reply>, _: Option<Noticed>| {},
        )
        .expect("the conversation runs to the end of its input");
        String::from_utf8(output).expect("the terminal gets UTF-8")
    }

    #[test]
    fn odd_bytes_do_not_end_the_conversation_or_drive_the_terminal() {
        let shown = converse(b"Syncing Paused\r\nstill stuck \xe9\n\x1b[2Jescalate human\n");
        assert!(!shown.contains('\x1b'), "{shown}");
        // Every line was answered: the steps, the next step, the hand-over.
        assert!(shown.contains("Step 2 of"), "{shown}");
        assert!(shown.contains("case for the support team"), "{shown}");
    }
}
