//! `/fix question:` — describe the problem, or pick one of the known ones.

use super::{Context, Error, answer, span};
use crate::dialog::Event;
use poise::serenity_prelude::{AutocompleteChoice, CreateAutocompleteResponse};
use tracing::Instrument as _;

/// Describe an iCloud Photos problem and get the fix, one step at a time.
#[poise::command(slash_command)]
pub async fn fix(
    ctx: Context<'_>,
    #[description = "What's wrong, in your words, or a known problem from the list"]
    #[autocomplete = "titles"]
    #[max_length = 1000]
    question: String,
) -> Result<(), Error> {
    let asker = ctx.author().id.get();
    // An autocompleted choice carries the intent id itself.
    let engine = ctx.data().engine.current();
    let event = match engine.kb.find(question.trim()) {
        Some(intent) => Event::ChooseIntent(intent.id.clone()),
        None => Event::Message {
            text: question,
            addressed: true,
        },
    };
    answer(ctx, event, asker).instrument(span(ctx)).await
}

/// Known problems whose title contains what has been typed so far.
async fn titles(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let engine = ctx.data().engine.current();
    let choices = engine
        .kb
        .intents()
        .iter()
        .filter(|i| i.title.to_lowercase().contains(partial.trim()))
        .take(25)
        .map(|i| AutocompleteChoice::new(i.title.clone(), i.id.as_str()))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}
