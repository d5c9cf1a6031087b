//! `/help` — what the bot does and how to reach it.

use super::{Context, Error};
use crate::discord::guard::Target;
use crate::policy::Action;

/// What syncmedic can do, and how to ask.
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    if !super::permitted(ctx, Action::Ask, Target::Nothing).await? {
        return Ok(());
    }
    let text = "**syncmedic** helps when iCloud Photos won't sync.\n\
        • Write your problem in a support channel, mention me, or DM me.\n\
        • `/fix` — describe the problem or pick a known one.\n\
        • `/status` — paste what the Photos app says, like “Waiting to Upload 57 Items”.\n\
        • Right-click a message › Apps › **Diagnose with syncmedic** to answer someone else's question.\n\
        I answer one step at a time; press **Talk to a person** at any point to reach the support team.";
    let data = ctx.data();
    let mut text = text.to_string();
    if data.is_staff(&super::who(ctx).await.roles)
        && data
            .metrics
            .message_content_refused
            .load(std::sync::atomic::Ordering::Relaxed)
    {
        text.push_str(
            "\n\n**For the support team:** Discord refused the Message Content intent, so I only \
             answer @mentions, DMs, /fix, /status and the message menu. Turn on Bot › Privileged \
             Gateway Intents › Message Content in the Developer Portal, then restart me.",
        );
    }
    ctx.send(poise::CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}
