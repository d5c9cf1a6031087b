//! Sending what the dialog decided: replies, the one staff ping of an
//! escalation, and the solved mark on a thread.

use super::data::Data;
use super::pace::{Pacer, Route};
use super::render::{self, draw, no_mentions};
use super::retry;
use super::sessions::SessionId;
use crate::dialog::{Reply, ReplyKind};
use anyhow::Context as _;
use serenity::all::{
    ChannelId, Context, CreateMessage, CreateThread, EditThread, ForumTagId, GuildChannel, Message,
    MessageId, Nonce,
};

/// Discord's code for "A thread has already been created for this message".
const THREAD_EXISTS: isize = 160_004;

/// Posts a reply to the message `answering` in `channel`, optionally as a
/// Discord reply to `reference`.
///
/// The nonce is drawn from the message answered and the turn, and sent
/// with `enforce_nonce`, so Discord keeps one message however many tries
/// reached it: a retry after a lost answer, or the next run handling again
/// a question whose reply went out just before a crash (before the mark
/// that it was answered), within Discord's window of a few minutes. A
/// follow-up handled again is handled from where its case stood before
/// it (`store::Applied`), so its reply comes at the same turn; the turn
/// is in the nonce for a message its conversation no longer remembers
/// taking in, whose new turn carries the live buttons and must be posted.
pub async fn send(
    ctx: &Context,
    pacer: &Pacer,
    channel: ChannelId,
    reply: &Reply,
    turn: u32,
    reference: Option<MessageId>,
    answering: MessageId,
) -> anyhow::Result<Message> {
    let drawn = draw(reply, turn);
    let mut message = CreateMessage::new()
        .content(drawn.content)
        .components(drawn.components)
        .allowed_mentions(no_mentions())
        .nonce(Nonce::String(nonce(answering, turn)))
        .enforce_nonce(true);
    if let Some(reference) = reference {
        message = message.reference_message((channel, reference));
    }
    let what = format!("posting a reply in channel {channel}");
    retry::run(
        retry::ANSWER,
        pacer,
        Route::PostIn(channel.get()),
        &what,
        || channel.send_message(&ctx.http, message.clone()),
    )
    .await
    .inspect_err(|err| tracing::error!(error = %err, "{what} failed for good"))
    .with_context(|| what.clone())
}

/// Opens a thread on `message` and returns it. A try whose answer was lost
/// may have opened it: Discord then refuses the next try (160004), and the
/// thread is the one Discord made, which takes the message's id.
pub async fn open_thread(
    ctx: &Context,
    pacer: &Pacer,
    channel: ChannelId,
    message: MessageId,
    name: String,
) -> anyhow::Result<ChannelId> {
    let what = format!("opening a thread on message {message}");
    let opened = retry::run(retry::ANSWER, pacer, Route::Other, &what, || {
        channel.create_thread_from_message(&ctx.http, message, CreateThread::new(name.clone()))
    })
    .await;
    match opened {
        Ok(thread) => Ok(thread.id),
        Err(retry::Failure::Discord(err)) if retry::discord_code(&err) == Some(THREAD_EXISTS) => {
            tracing::debug!("the thread was opened by an earlier try");
            Ok(ChannelId::new(message.get()))
        }
        Err(err) => Err(err).context(what),
    }
}

/// The nonce of the reply to `answering` at `turn`: the same in every run.
/// At most 25 characters, Discord's limit, and never an outbox post's
/// (those start with letters beyond hex).
fn nonce(answering: MessageId, turn: u32) -> String {
    format!("{:x}.{turn:x}", answering.get())
}

/// What follows a reply: the solved mark on a resolution (a hand-over's
/// ticket was written with the turn, by `Data::persist_turn`).
pub async fn after(ctx: &Context, data: &Data, id: SessionId, reply: &Reply) -> anyhow::Result<()> {
    match reply.kind {
        ReplyKind::Resolved => mark_solved(ctx, data, id).await,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_discords_limit_and_name_message_and_turn() {
        assert!(nonce(MessageId::new(u64::MAX), u32::MAX).len() <= 25);
        let a = nonce(MessageId::new(1_234_567_890_123), 1);
        assert_eq!(a, nonce(MessageId::new(1_234_567_890_123), 1));
        assert_ne!(a, nonce(MessageId::new(1_234_567_890_123), 2));
        assert_ne!(a, nonce(MessageId::new(1_234_567_890_124), 1));
    }
}
