//! The "Diagnose with syncmedic" message menu: answers someone else's
//! message, for the person who wrote it.

use super::{Context, Error, answer, span};
use crate::dialog::Event;
use poise::serenity_prelude::Message;
use tracing::Instrument as _;

/// Diagnose this message's iCloud Photos problem.
#[poise::command(context_menu_command = "Diagnose with syncmedic")]
pub async fn diagnose(ctx: Context<'_>, message: Message) -> Result<(), Error> {
    // The message's author is the one with the problem: they (or staff) may
    // close or escalate it.
    let asker = message.author.id.get();
    let event = Event::Message {
        text: message.content.clone(),
        addressed: true,
    };
    answer(ctx, event, asker).instrument(span(ctx)).await
}
