//! `/status text:` — paste the status line the Photos app shows.

use super::{Context, Error, answer, span};
use crate::dialog::Event;
use tracing::Instrument as _;

/// Paste what the Photos app says (e.g. "Waiting to Upload 57 Items").
#[poise::command(slash_command)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "The status line, as the Photos app shows it"]
    #[max_length = 500]
    text: String,
) -> Result<(), Error> {
    let asker = ctx.author().id.get();
    answer(
        ctx,
        Event::Message {
            text,
            addressed: true,
        },
        asker,
    )
    .instrument(span(ctx))
    .await
}
