//! Application commands, one file each, and the list poise registers.

mod diagnose;
mod escalate;
mod fix;
mod help;
mod kb;
mod status;

use super::data::Data;
use super::guard::{self, Target, Who};
use super::limits::Verdict;
use super::sessions::Session;
use super::{Context, Error, post, render};
use crate::dialog::{Event, Reply};
use crate::policy::{Action, Authority};
use std::time::Instant;

pub fn all() -> Vec<poise::Command<std::sync::Arc<Data>, Error>> {
    vec![
        fix::fix(),
        status::status(),
        help::help(),
        diagnose::diagnose(),
        kb::kb(),
        escalate::escalate(),
    ]
}

/// Who runs the command, from the interaction's own member data.
async fn who(ctx: Context<'_>) -> Who {
    let data = ctx.data();
    match ctx {
        poise::Context::Application(app) => {
            let interaction = app.interaction;
            let member = interaction.member.as_deref();
            (data.who(ctx.http(), &interaction.user, member, interaction.guild_id)).await
        }
        poise::Context::Prefix(prefix) => {
            (data.who(ctx.http(), &prefix.msg.author, None, prefix.msg.guild_id)).await
        }
    }
}

/// Asks the policy; a refusal, or a caller over their allowance, is
/// answered privately and ends the command (`false`).
async fn permitted(ctx: Context<'_>, action: Action, target: Target) -> Result<bool, Error> {
    match refusal(ctx, action, target).await {
        None => Ok(true),
        Some(refusal) => {
            refuse(ctx, refusal).await?;
            Ok(false)
        }
    }
}

/// The policy's private answer when `action` is refused, or `None`.
async fn refusal(
    ctx: Context<'_>,
    action: Action,
    target: Target,
) -> Option<poise::serenity_prelude::CreateInteractionResponse> {
    let who = who(ctx).await;
    let data = ctx.data();
    if !data.interaction_allowed(who.user) {
        Some(guard::slow_down())
    } else if let Authority::Denied(why) = data.authorize(&who, action, target).await {
        Some(guard::refusal(why))
    } else {
        None
    }
}

/// Sends a refusal as the command's (first) answer.
async fn refuse(
    ctx: Context<'_>,
    refusal: poise::serenity_prelude::CreateInteractionResponse,
) -> Result<(), Error> {
    if let poise::Context::Application(app) = ctx {
        app.interaction
            .create_response(&ctx.serenity_context().http, refusal)
            .await?;
    }
    Ok(())
}

/// Answers an event in reply to the command, with the conversation's
/// buttons; `asker` is whoever may close or escalate it.
async fn answer(ctx: Context<'_>, event: Event, asker: u64) -> Result<(), Error> {
    if !permitted(ctx, Action::Ask, Target::Nothing).await? {
        return Ok(());
    }
    let data = ctx.data();
    // A new question, like one typed in a channel: one per cooldown.
    let caller = ctx.author().id.get();
    let verdict = data.cooldown().check(caller, Instant::now());
    if verdict != Verdict::Go {
        let note = match verdict {
            Verdict::TellOnce(left) => format!(
                "You're asking faster than I can keep up. I'll take a new question from you in {} s.",
                left.as_secs().max(1)
            ),
            _ => "One new question at a time, please: try again in a few seconds.".to_string(),
        };
        if let poise::Context::Application(app) = ctx {
            app.interaction
                .create_response(&ctx.serenity_context().http, guard::private(&note))
                .await?;
        }
        return Ok(());
    }
    // A command's reply has no thread of its own: without an escalation
    // channel, its case cannot be handed over (the policy says how).
    let turn = match data
        .try_new(
            Session::new(asker, None, false),
            event,
            &who(ctx).await,
            false,
            None,
        )
        .await
    {
        Ok(turn) => turn,
        Err(why) => {
            if let poise::Context::Application(app) = ctx {
                app.interaction
                    .create_response(&ctx.serenity_context().http, guard::refusal(why))
                    .await?;
            }
            return Ok(());
        }
    };
    let reply = turn.reply.unwrap_or_else(|| {
        Reply::note("Tell me what the Photos app shows, or what you expected to see where.")
    });
    if let Some(intent) = &reply.intent {
        tracing::Span::current().record("intent", intent.as_str());
    }
    let drawn = render::draw(&reply, turn.turn);
    let handle = ctx
        .send(
            poise::CreateReply::default()
                .content(drawn.content)
                .components(drawn.components)
                .allowed_mentions(render::no_mentions()),
        )
        .await?;
    let message = handle.message().await?;
    let id = message.id.get();
    data.open(id, turn.session, None).await;
    data.hand_over_if_asked(id, &reply, ctx.channel_id().get())
        .await;
    data.link_message(id, id).await;
    post::after(ctx.serenity_context(), data, id, &reply).await
}

fn span(ctx: Context<'_>) -> tracing::Span {
    tracing::info_span!(
        "command",
        name = %ctx.command().name,
        guild = ctx.guild_id().map(|g| g.get()),
        channel = ctx.channel_id().get(),
        user = ctx.author().id.get(),
        intent = tracing::field::Empty,
    )
}
