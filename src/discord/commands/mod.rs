//! Application commands, one file each, and the list poise registers.

mod diagnose;
mod escalate;
mod fix;
mod help;
mod kb;
mod status;

use super::data::Data;
use super::sessions::Session;
use super::{Context, Error, post, render};
use crate::dialog::{Event, Reply};

pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        fix::fix(),
        status::status(),
        help::help(),
        diagnose::diagnose(),
        kb::kb(),
        escalate::escalate(),
    ]
}

/// Answers an event in reply to the command, with the conversation's
/// buttons; `asker` is whoever may close or escalate it.
async fn answer(ctx: Context<'_>, event: Event, asker: u64) -> Result<(), Error> {
    let data = ctx.data();
    let turn = data.try_new(Session::new(asker, None, false), event);
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
    data.link_message(id, id).await;
    post::after(ctx.serenity_context(), data, id, ctx.channel_id(), &reply).await
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
