//! Sending what the dialog decided: replies, the one staff ping of an
//! escalation, and the solved mark on a thread.

use super::data::Data;
use super::render::{self, draw, no_mentions, staff_mention};
use super::sessions::SessionId;
use crate::dialog::{Reply, ReplyKind};
use anyhow::Context as _;
use serenity::all::{
    ChannelId, Context, CreateMessage, EditThread, ForumTagId, GuildChannel, Message, MessageId,
};

/// Posts a reply in `channel`, optionally as a reply to `reference`.
pub async fn send(
    ctx: &Context,
    channel: ChannelId,
    reply: &Reply,
    turn: u32,
    reference: Option<MessageId>,
) -> anyhow::Result<Message> {
    let drawn = draw(reply, turn);
    let mut message = CreateMessage::new()
        .content(drawn.content)
        .components(drawn.components)
        .allowed_mentions(no_mentions());
    if let Some(reference) = reference {
        message = message.reference_message((channel, reference));
    }
    channel
        .send_message(&ctx.http, message)
        .await
        .with_context(|| format!("posting a reply in channel {channel}"))
}

/// What follows a reply: the staff ping on an escalation, the solved mark
/// on a resolution. `channel` is where the conversation runs.
pub async fn after(
    ctx: &Context,
    data: &Data,
    id: SessionId,
    channel: ChannelId,
    reply: &Reply,
) -> anyhow::Result<()> {
    match reply.kind {
        ReplyKind::Escalation => ping_staff(ctx, data, id, channel).await,
        ReplyKind::Resolved => mark_solved(ctx, data, id).await,
        _ => Ok(()),
    }
}

/// Pings the staff role once per case, the only mention the bot ever makes.
async fn ping_staff(
    ctx: &Context,
    data: &Data,
    id: SessionId,
    channel: ChannelId,
) -> anyhow::Result<()> {
    let Some(role) = data.settings.discord.staff_role else {
        return Ok(());
    };
    let first = data
        .sessions()
        .get_mut(id)
        .map(|s| !std::mem::replace(&mut s.escalated, true))
        .unwrap_or(false);
    if !first {
        return Ok(());
    }
    let target = data
        .settings
        .discord
        .escalation_channel
        .map(ChannelId::new)
        .unwrap_or(channel);
    let mut text = format!("<@&{role}> a case needs a person");
    if target != channel {
        text.push_str(&format!(": <#{channel}>"));
    }
    text.push('.');
    data.persist(id).await;
    target
        .send_message(
            &ctx.http,
            CreateMessage::new()
                .content(text)
                .allowed_mentions(staff_mention(role)),
        )
        .await
        .with_context(|| format!("pinging the staff role in channel {target}"))?;
    Ok(())
}

/// Renames the thread as solved and, in a forum, applies the solved tag.
async fn mark_solved(ctx: &Context, data: &Data, id: SessionId) -> anyhow::Result<()> {
    let Some((thread, forum)) = data
        .sessions()
        .get_mut(id)
        .and_then(|s| s.thread.map(|t| (t, s.forum)))
    else {
        return Ok(());
    };
    let thread = ChannelId::new(thread);
    let current: GuildChannel = thread
        .to_channel(&ctx.http)
        .await
        .with_context(|| format!("reading thread {thread}"))?
        .guild()
        .context("a solved conversation's thread is not a guild channel")?;
    let mut edit = EditThread::new().name(render::solved_name(&current.name));
    if let (true, Some(tag)) = (forum, data.settings.discord.solved_tag) {
        let mut tags: Vec<ForumTagId> = current.applied_tags.clone();
        if !tags.contains(&ForumTagId::new(tag)) {
            tags.push(ForumTagId::new(tag));
        }
        edit = edit.applied_tags(tags);
    }
    thread
        .edit_thread(&ctx.http, edit)
        .await
        .with_context(|| format!("marking thread {thread} solved"))?;
    Ok(())
}
