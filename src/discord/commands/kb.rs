//! `/kb stats [days]` — what helped, per intent, with a chart —,
//! `/kb reload` and `/kb review [item] [intent]`, all for staff only.

use super::{Context, Error, span};
use crate::dialog::render::clip;
use crate::discord::guard::Target;
use crate::discord::reload::Reloaded;
use crate::policy::Action;
use crate::store::now_ms;
use poise::serenity_prelude::CreateAttachment;
use tracing::Instrument as _;

/// Knowledge-base tools for the support team.
#[poise::command(
    slash_command,
    subcommands("stats", "reload", "review"),
    subcommand_required
)]
pub async fn kb(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Solved by the bot, handed to a person or open, per problem and week (staff only).
#[poise::command(slash_command)]
pub async fn stats(
    ctx: Context<'_>,
    #[description = "How many days back (default 7)"]
    #[min = 1]
    #[max = 3650]
    days: Option<u32>,
) -> Result<(), Error> {
    async move {
        if !super::permitted(ctx, Action::KbStats, Target::Nothing).await? {
            return Ok(());
        }
        // The counts can take the store a while; Discord allows 3 s.
        ctx.defer_ephemeral().await?;
        let days = days.unwrap_or(7);
        let report = crate::stats::gather(&*ctx.data().store, days, now_ms() / 1000).await?;
        let table = clip(&crate::stats::table(&report), 1_760);
        let review = crate::stats::review_line(&report);
        // The chart carries its own legend and every intent the clipped
        // table may have lost. Drawing it is some milliseconds of CPU: off
        // the runtime's threads, which serve every other conversation.
        let chart = tokio::task::spawn_blocking(move || crate::stats::chart_png(&report)).await??;
        ctx.send(
            poise::CreateReply::default()
                .content(format!("```\n{table}\n```{review}"))
                .attachment(CreateAttachment::bytes(chart, "syncmedic-stats.png"))
                .ephemeral(true),
        )
        .await?;
        Ok(())
    }
    .instrument(span(ctx))
    .await
}

/// Reload the knowledge base from its files (staff only).
#[poise::command(slash_command)]
pub async fn reload(ctx: Context<'_>) -> Result<(), Error> {
    async move {
        if !super::permitted(ctx, Action::KbReload, Target::Nothing).await? {
            return Ok(());
        }
        let content = {
            let data = ctx.data();
            let outcome = crate::discord::reload::reload(
                &data.kb_place(),
                data.store.as_ref(),
                data.settings.thresholds,
                &data.engine,
                &data.metrics,
            )
            .await;
            match outcome {
                Ok(Reloaded { intents, examples }) if data.kb_dir.is_some() => {
                    format!("Reloaded: {intents} intents, {examples} examples.")
                }
                Ok(Reloaded { intents, examples }) => format!(
                    "Reloaded the knowledge base built into the binary, with the reviewed examples \
                     the store keeps: {intents} intents, {examples} examples. Its files can't change \
                     while I run; start me with `--kb DIR` to reload from files."
                ),
                Err(err) => format!(
                    "The knowledge base on disk doesn't load, so I kept the running one.\n```\n{}\n```",
                    // Clipped inside the fence, which must stay closed.
                    clip(&err.to_string(), 1_850).replace("```", "'''")
                ),
            }
        };
        ctx.send(
            poise::CreateReply::default()
                .content(content)
                .ephemeral(true),
        )
        .await?;
        Ok(())
    }
    .instrument(span(ctx))
    .await
}

/// Work through the review queue: what the bot did not know (staff only).
#[poise::command(slash_command)]
pub async fn review(
    ctx: Context<'_>,
    #[description = "Item number (default: the next one in the queue)"]
    #[min = 1]
    item: Option<u32>,
    #[description = "Label the item as this intent (or none)"]
    #[autocomplete = "intents"]
    #[max_length = 100]
    intent: Option<String>,
) -> Result<(), Error> {
    async move {
        if !super::permitted(ctx, Action::KbReview, Target::Nothing).await? {
            return Ok(());
        }
        // Labelling writes a file and retrains the matcher: more than the
        // 3 s Discord gives a first answer.
        ctx.defer_ephemeral().await?;
        let drawn = crate::discord::review::command(
            ctx.data(),
            &super::who(ctx).await,
            item.map(i64::from),
            intent.as_deref(),
        )
        .await;
        ctx.send(
            poise::CreateReply::default()
                .content(drawn.content)
                .components(drawn.components)
                .allowed_mentions(crate::discord::render::no_mentions())
                .ephemeral(true),
        )
        .await?;
        Ok(())
    }
    .instrument(span(ctx))
    .await
}

/// Intents whose id or title holds what was typed, for `/kb review`'s
/// `intent`; nothing for someone the command would refuse. The reply
/// allowance is not spent here: Discord asks at every keystroke, and a
/// name typed out would use up the allowance of the command it leads to.
async fn intents(
    ctx: Context<'_>,
    partial: &str,
) -> poise::serenity_prelude::CreateAutocompleteResponse {
    let mut response = poise::serenity_prelude::CreateAutocompleteResponse::new();
    let data = ctx.data();
    let allowed = data
        .authorize(&super::who(ctx).await, Action::KbReview, Target::Nothing)
        .await
        == crate::policy::Authority::Allowed;
    if !allowed {
        return response;
    }
    for (name, value) in crate::review::complete(&data.engine.current().kb, partial, 25) {
        response = response.add_string_choice(clip(&name, 100), value);
    }
    response
}
