//! How a review item looks on Discord: its text quoted, why it is here,
//! and a select of what it could be; the "Another intent…" form.

use crate::dialog::render::{clip, escape_markdown};
use crate::discord::custom_id::{Action, ComponentId, REVIEW_OTHER, REVIEW_SKIP};
use crate::discord::render::Drawn;
use crate::kb::Kb;
use crate::review::{Item, Label, State};
use serenity::all::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateModal, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption, InputTextStyle, ModalInteraction,
};

/// The field of the "Another intent…" form.
const INTENT_FIELD: &str = "intent";
/// How much of an item's text the message quotes.
const QUOTED: usize = 1_200;

/// One item: its text quoted, why it is here, and a select of what it
/// could be. A labelled item shows its label and no select.
pub fn draw(item: &Item, kb: &Kb, note: &str) -> Drawn {
    let mut content = String::new();
    if !note.is_empty() {
        content.push_str(note);
        content.push_str("\n\n");
    }
    let seen = match item.count {
        1 => "seen once".to_string(),
        n => format!("seen {n} times"),
    };
    content.push_str(&format!(
        "**Review item #{}** · {} · {seen}\n",
        item.id,
        item.reason.label()
    ));
    for line in clip(&item.text, QUOTED).lines() {
        content.push_str("> ");
        content.push_str(&escape_markdown(line));
        content.push('\n');
    }
    if !item.readings.is_empty() {
        let readings: Vec<String> = item
            .readings
            .iter()
            .map(|r| format!("`{}` {:.2}", r.intent, r.score))
            .collect();
        content.push_str(&format!("My readings: {}\n", readings.join(" · ")));
    }
    let components = match &item.state {
        State::Labelled { label, .. } => {
            content.push_str(&format!("Labelled `{label}` already."));
            Vec::new()
        }
        State::Open | State::Skipped => {
            content.push_str("What is it about? The text becomes an example of your pick.");
            vec![select(item, kb)]
        }
    };
    Drawn {
        content: clip(&content, 1_990),
        components,
    }
}

fn select(item: &Item, kb: &Kb) -> CreateActionRow {
    let mut options: Vec<CreateSelectMenuOption> = item
        .readings
        .iter()
        .filter_map(|r| kb.get(&r.intent))
        .map(|intent| {
            CreateSelectMenuOption::new(clip(&intent.title, 100), intent.id.as_str())
                .description(clip(intent.id.as_str(), 100))
        })
        .collect();
    options.push(
        CreateSelectMenuOption::new("Another intent…", REVIEW_OTHER)
            .description("Type its id or title"),
    );
    options.push(
        CreateSelectMenuOption::new("Not ours", Label::NotOurs.as_str())
            .description("Chatter the bot must leave alone"),
    );
    options.push(CreateSelectMenuOption::new("Skip", REVIEW_SKIP).description("Decide later"));
    let number = u32::try_from(item.id).unwrap_or(u32::MAX);
    CreateActionRow::SelectMenu(
        CreateSelectMenu::new(
            ComponentId::new(Action::Review, number).to_string(),
            CreateSelectMenuKind::String { options },
        )
        .placeholder("Label this message"),
    )
}

pub(super) fn other_form(item: u32) -> CreateModal {
    let input = CreateInputText::new(
        InputTextStyle::Short,
        "Intent id or title, or none",
        INTENT_FIELD,
    )
    .required(true)
    .max_length(100);
    CreateModal::new(
        ComponentId::new(Action::ReviewForm, item).to_string(),
        format!("Label review item #{item}"),
    )
    .components(vec![CreateActionRow::InputText(input)])
}

pub(super) fn typed_intent(submit: &ModalInteraction) -> String {
    submit
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            ActionRowComponent::InputText(input) if input.custom_id == INTENT_FIELD => {
                input.value.clone()
            }
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{IntentId, fixture};
    use crate::review::{Kept, Reading, Reason};

    fn item(state: State) -> Item {
        Item {
            id: 17,
            reason: Reason::SilentInDomain,
            text: "@everyone my **photos** ```stuck```\nsecond line".to_string(),
            readings: vec![Reading {
                intent: IntentId::parse("status-paused").expect("id"),
                score: 0.4,
            }],
            count: 3,
            conversation: None,
            first_seen: 0,
            last_seen: 0,
            state,
        }
    }

    #[test]
    fn an_open_item_is_quoted_escaped_with_a_select_of_readings() {
        let kb = fixture::kb();
        let drawn = draw(&item(State::Open), &kb, "Labelled #16.");
        assert!(
            drawn
                .content
                .starts_with("Labelled #16.\n\n**Review item #17**"),
            "{}",
            drawn.content
        );
        assert!(drawn.content.contains("seen 3 times"));
        assert!(
            drawn.content.contains("> @\u{200b}everyone"),
            "{}",
            drawn.content
        );
        assert!(!drawn.content.contains("```"), "{}", drawn.content);
        assert!(drawn.content.contains("> second line"));
        let json = serde_json::to_value(&drawn.components).expect("serialises");
        let options = &json[0]["components"][0]["options"];
        let values: Vec<&str> = options
            .as_array()
            .expect("options")
            .iter()
            .filter_map(|o| o["value"].as_str())
            .collect();
        assert_eq!(values, ["status-paused", REVIEW_OTHER, "none", REVIEW_SKIP]);
        assert_eq!(json[0]["components"][0]["custom_id"], "sm1:review:17");
    }

    #[test]
    fn a_labelled_item_has_no_select() {
        let kb = fixture::kb();
        let labelled = State::Labelled {
            label: Label::NotOurs,
            by: 1,
            at: 0,
            kept: Kept::File,
        };
        let drawn = draw(&item(labelled), &kb, "");
        assert!(drawn.components.is_empty());
        assert!(drawn.content.ends_with("Labelled `none` already."));
    }
}
