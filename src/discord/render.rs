//! Draws a dialog `Reply` as Discord message content and components.

use super::custom_id::{Action as Id, ComponentId, SOMETHING_ELSE};
use crate::dialog::{Action, Reply, render::clip};
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption,
};

/// Discord allows 25 options in a select menu.
const MAX_OPTIONS: usize = 25;
/// And 100 characters in an option label.
const MAX_LABEL: usize = 100;

/// What to post: the text and the rows of components.
pub struct Drawn {
    pub content: String,
    pub components: Vec<CreateActionRow>,
}

/// No one is ever pinged by a reply: user text can hold `@everyone` or role
/// mentions, and Discord only pings what `allowed_mentions` lets through.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
        .replied_user(false)
}

/// Only the staff role, and only on an escalation.
pub fn staff_mention(role: u64) -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .roles(vec![role])
        .everyone(false)
        .replied_user(false)
}

pub fn draw(reply: &Reply, turn: u32) -> Drawn {
    let mut buttons = Vec::new();
    let mut rows = Vec::new();
    for action in &reply.actions {
        match action {
            Action::NextStep => buttons.push(button(
                Id::NextStep,
                turn,
                "Next step",
                ButtonStyle::Primary,
            )),
            Action::FixedIt => buttons.push(button(
                Id::FixedIt,
                turn,
                "That fixed it",
                ButtonStyle::Success,
            )),
            Action::ShowAll => buttons.push(button(
                Id::ShowAll,
                turn,
                "Show all steps",
                ButtonStyle::Secondary,
            )),
            Action::TalkToPerson => buttons.push(button(
                Id::TalkToPerson,
                turn,
                "Talk to a person",
                ButtonStyle::Secondary,
            )),
            Action::ChooseDevice { devices } => {
                let options = devices
                    .iter()
                    .map(|d| CreateSelectMenuOption::new(d.label(), d.slug()))
                    .collect();
                rows.push(select(Id::Device, turn, "Which device is it on?", options));
            }
            Action::ChooseIntent { choices } => {
                let mut options: Vec<CreateSelectMenuOption> = choices
                    .iter()
                    .take(MAX_OPTIONS - 1)
                    .map(|c| {
                        CreateSelectMenuOption::new(clip(&c.title, MAX_LABEL), c.intent.as_str())
                    })
                    .collect();
                options.push(CreateSelectMenuOption::new(
                    "Something else",
                    SOMETHING_ELSE,
                ));
                rows.push(select(Id::Pick, turn, "Did you mean…", options));
            }
        }
    }
    // Buttons first, at most five to a row; each select has a row of its own.
    let mut components: Vec<CreateActionRow> = buttons
        .chunks(5)
        .map(|chunk| CreateActionRow::Buttons(chunk.to_vec()))
        .collect();
    components.append(&mut rows);
    components.truncate(5);
    Drawn {
        content: clip(&reply.text, crate::dialog::render::DISCORD_LIMIT),
        components,
    }
}

fn button(action: Id, turn: u32, label: &str, style: ButtonStyle) -> CreateButton {
    CreateButton::new(ComponentId::new(action, turn).to_string())
        .label(label)
        .style(style)
}

fn select(
    action: Id,
    turn: u32,
    placeholder: &str,
    options: Vec<CreateSelectMenuOption>,
) -> CreateActionRow {
    CreateActionRow::SelectMenu(
        CreateSelectMenu::new(
            ComponentId::new(action, turn).to_string(),
            CreateSelectMenuKind::String { options },
        )
        .placeholder(placeholder),
    )
}

/// A thread name from a title or a message: one line, within Discord's 100.
pub fn thread_name(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("Question")
        .trim();
    let cleaned: String = line.chars().filter(|c| !c.is_control()).collect();
    let name = clip(cleaned.trim(), 90);
    if name.is_empty() {
        "Question".to_string()
    } else {
        name
    }
}

/// The name of a thread whose problem is solved.
pub fn solved_name(name: &str) -> String {
    if name.starts_with("✅") {
        name.to_string()
    } else {
        clip(&format!("✅ {name}"), 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialog::{Choice, ReplyKind};
    use crate::kb::{Device, IntentId};

    /// The components as Discord receives them: per row, each component's
    /// custom id (a select's options after a colon).
    fn rows(drawn: &Drawn) -> Vec<Vec<String>> {
        let json = serde_json::to_value(&drawn.components).expect("components serialise");
        let rows = json.as_array().expect("rows").iter();
        rows.map(|row| {
            let components = row["components"].as_array().expect("components");
            components
                .iter()
                .map(|c| {
                    let id = c["custom_id"].as_str().unwrap_or("").to_string();
                    match c["options"].as_array() {
                        Some(options) => {
                            let values: Vec<&str> =
                                options.iter().filter_map(|o| o["value"].as_str()).collect();
                            format!("{id}:{}", values.join(","))
                        }
                        None => id,
                    }
                })
                .collect()
        })
        .collect()
    }

    /// A "Did you mean" in the middle of the steps carries the step's own
    /// buttons first, then its readings and "Something else", and with a
    /// device choice too it stays within Discord's five rows.
    #[test]
    fn an_offer_in_a_case_keeps_the_steps_buttons() {
        let choice = |id: &str| Choice {
            intent: IntentId::parse(id).expect("valid id"),
            title: id.to_string(),
        };
        let reply = Reply {
            kind: ReplyKind::Clarify,
            text: "Is that a different problem?".into(),
            intent: None,
            progress: None,
            case: None,
            update: None,
            actions: vec![
                Action::NextStep,
                Action::FixedIt,
                Action::ChooseIntent {
                    choices: vec![choice("low-power-mode"), choice("storage-full")],
                },
                Action::ChooseDevice {
                    devices: vec![Device::Iphone, Device::Mac],
                },
            ],
        };
        let drawn = rows(&draw(&reply, 7));
        assert_eq!(drawn.len(), 3, "{drawn:?}");
        assert_eq!(drawn[0].len(), 2, "one row of the two buttons: {drawn:?}");
        assert!(
            drawn[0][0].contains("next") && drawn[0][1].contains("fixed"),
            "{drawn:?}"
        );
        assert!(
            drawn[1][0].ends_with(&format!(":low-power-mode,storage-full,{SOMETHING_ELSE}")),
            "{drawn:?}"
        );
        assert!(drawn[2][0].ends_with(":iphone,mac"), "{drawn:?}");
        assert!(
            drawn.iter().flatten().all(|id| id.contains(":7")),
            "{drawn:?}"
        );
    }

    #[test]
    fn thread_names_are_one_clean_line() {
        assert_eq!(thread_name("Photos says “Paused”"), "Photos says “Paused”");
        assert_eq!(thread_name("\n\n  first line\nsecond"), "first line");
        assert_eq!(thread_name("   "), "Question");
        assert_eq!(thread_name(&"x".repeat(300)).chars().count(), 90);
        assert_eq!(solved_name("Paused"), "✅ Paused");
        assert_eq!(solved_name("✅ Paused"), "✅ Paused");
    }
}
