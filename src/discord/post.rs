//! Sending what the dialog decided: replies, the one staff ping of an
//! escalation, and the solved mark on a thread.

use super::data::Data;
use super::render::{self, draw, no_mentions};
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

/// What follows a reply: a ticket on an escalation, the solved mark on a
/// resolution. `channel` is where the conversation runs.
pub async fn after(
    ctx: &Context,
    data: &Data,
    id: SessionId,
    channel: ChannelId,
    reply: &Reply,
) -> anyhow::Result<()> {
    match (reply.kind, &reply.case) {
        (ReplyKind::Escalation, Some(case)) => super::tickets::open(data, id, channel, case).await,
        (ReplyKind::Resolved, _) => mark_solved(ctx, data, id).await,
        _ => Ok(()),
    }
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
