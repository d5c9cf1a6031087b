//! `/kb stats [days]` — what helped, per intent, with a chart — and
//! `/kb reload`, both for staff only.

use super::{Context, Error, span};
use crate::dialog::render::clip;
use crate::discord::guard::Target;
use crate::discord::reload::Reloaded;
use crate::policy::Action;
use crate::store::now_ms;
use poise::serenity_prelude::CreateAttachment;
use tracing::Instrument as _;

/// Knowledge-base tools for the support team.
#[poise::command(slash_command, subcommands("stats", "reload"), subcommand_required)]
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
        let table = clip(&crate::stats::table(&report), 1_880);
        // The chart carries its own legend and every intent the clipped
        // table may have lost. Drawing it is some milliseconds of CPU: off
        // the runtime's threads, which serve every other conversation.
        let chart = tokio::task::spawn_blocking(move || crate::stats::chart_png(&report)).await??;
        ctx.send(
            poise::CreateReply::default()
                .content(format!("```\n{table}\n```"))
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
                data.kb_dir.as_deref(),
                data.settings.thresholds,
                &data.engine,
                &data.metrics,
            )
            .await;
            match outcome {
                Ok(Reloaded::Swapped { intents, examples }) => {
                    format!("Reloaded: {intents} intents, {examples} examples.")
                }
                Ok(Reloaded::BuiltIn) => "I'm running on the knowledge base built into the binary, \
                     which can't change while I run. Start me with `--kb DIR` to reload from files."
                    .to_string(),
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
