//! Answering a message the routing sent on: a new case (in a thread the
//! bot opens, a forum post, a DM, or a reply alone) or a follow-up in one,
//! each through the same per-user and global limits.

use super::data::Data;
use super::guard::Who;
use super::limits::{RateVerdict, Verdict};
use super::sessions::{Session, SessionId};
use super::turns::Advanced;
use super::{Error, post, render};
use crate::dialog::{Conversation, Event, Reply, ReplyKind};
use crate::metrics::Metrics;
use crate::store::Before;
use serenity::all::{ChannelId, Context, Message};
use std::time::Instant;

/// One message the routing sent on, with what is known of it.
pub(super) struct Asked<'a> {
    pub(super) msg: &'a Message,
    pub(super) who: Who,
    /// Without the bot's mention.
    pub(super) text: String,
    pub(super) mentioned: bool,
    pub(super) started: Instant,
    /// When it was written, for the per-user limits: now for a message
    /// from the gateway, earlier for one the backlog hands back.
    pub(super) at: Instant,
}

/// What a new case's conversation will run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Dm,
    ForumPost,
    /// A thread the bot opens on the message (beside it if that fails).
    NewThread,
    /// Only the reply to this message.
    ReplyOnly,
}

/// A message that continues the case of its thread, forum post or DM.
pub(super) async fn follow_up(
    ctx: &Context,
    data: &Data,
    asked: Asked<'_>,
    id: SessionId,
) -> Result<(), Error> {
    let msg = asked.msg;
    // Before the dialog moves: a follow-up held back must not skip a step.
    if !within_limits(ctx, data, msg, asked.at).await? {
        return Ok(());
    }
    let event = Event::Message {
        text: asked.text,
        addressed: true,
    };
    let turn = match data
        .advance(id, event, &asked.who, Some(msg.id.get()))
        .await
    {
        Advanced::Moved(turn) => turn,
        Advanced::Refused(why) => {
            note(ctx, data, msg, &why.message()).await?;
            return Ok(());
        }
        Advanced::Gone | Advanced::Applied => return Ok(()),
    };
    let Some(reply) = turn.reply else {
        return Ok(());
    };
    note_intent(&reply);
    data.persist_turn(id, &reply, msg.channel_id.get()).await;
    let sent = post::send(
        ctx,
        &data.pacer,
        msg.channel_id,
        &reply,
        turn.turn,
        None,
        msg.id,
    )
    .await?;
    sent_reply(data, &reply, asked.started);
    data.link_message(sent.id.get(), id).await;
    post::after(ctx, data, id, &reply).await
}

/// A first message. Its case owns the DM or forum post it came in, or a
/// thread the bot opens on it; where no thread can be opened (inside a
/// thread, a missing permission) or the routing says so, the case owns
/// only the reply, so the channel never becomes one person's conversation.
pub(super) async fn new_case(
    ctx: &Context,
    data: &Data,
    asked: Asked<'_>,
    anchor: Anchor,
) -> Result<(), Error> {
    let msg = asked.msg;
    let addressed = asked.mentioned || anchor == Anchor::Dm;
    let user = msg.author.id.get();
    let event = Event::Message {
        text: asked.text,
        addressed,
    };
    let own_thread = matches!(anchor, Anchor::ForumPost | Anchor::NewThread);
    let tried = data
        .try_new(
            Session::new(user, None, false),
            event,
            &asked.who,
            own_thread,
            Some(msg.id.get()),
        )
        .await;
    let turn = match tried {
        Ok(turn) => turn,
        Err(why) => {
            note(ctx, data, msg, &why.message()).await?;
            return Ok(());
        }
    };
    let Some(reply) = turn.reply else {
        tracing::debug!("not ours: staying silent");
        Metrics::bump(&data.metrics.silent);
        return Ok(());
    };
    note_intent(&reply);

    let verdict = data.cooldown().check(user, asked.at);
    match verdict {
        Verdict::Go => {}
        Verdict::TellOnce(left) => {
            let text = format!(
                "You're asking faster than I can keep up. I'll take a new question from you in {} s.",
                left.as_secs().max(1)
            );
            note(ctx, data, msg, &text).await?;
            Metrics::bump(&data.metrics.user_limited);
            return Ok(());
        }
        Verdict::Quiet => {
            Metrics::bump(&data.metrics.user_limited);
            return Ok(());
        }
    }
    if !within_limits(ctx, data, msg, asked.at).await? {
        return Ok(());
    }

    let channel = msg.channel_id.get();
    let mut session = turn.session;
    // The message is the case's first: handled again after a crash (as a
    // follow-up, its DM or post now linked), it starts from nothing again.
    session.applied.took(
        msg.id.get(),
        Before {
            turn: 0,
            conversation: Conversation::default(),
        },
    );
    let thread = match anchor {
        Anchor::Dm => Some(msg.channel_id),
        Anchor::ForumPost => {
            session.thread = Some(channel);
            session.forum = true;
            Some(msg.channel_id)
        }
        // Nothing to follow up on: answered beside the message.
        Anchor::NewThread if reply.kind == ReplyKind::OutOfScope => None,
        // Discord opens no thread inside a thread.
        Anchor::NewThread if data.threads().contains(channel) => None,
        Anchor::NewThread => match open_thread(ctx, data, msg, &reply).await {
            Ok(thread) => {
                session.thread = Some(thread.get());
                Some(thread)
            }
            Err(err) => {
                tracing::warn!(
                    error = format!("{err:#}"),
                    "could not open a thread; answering the message where it is"
                );
                None
            }
        },
        Anchor::ReplyOnly => None,
    };
    let Some(answer_in) = thread else {
        // Keyed by the question; reached through the reply's buttons.
        let id = msg.id.get();
        let keep = reply.kind != ReplyKind::OutOfScope;
        if keep {
            data.open(id, session, None).await;
            data.hand_over_if_asked(id, &reply, channel).await;
        }
        let sent = post::send(
            ctx,
            &data.pacer,
            msg.channel_id,
            &reply,
            turn.turn,
            Some(msg.id),
            msg.id,
        )
        .await?;
        sent_reply(data, &reply, asked.started);
        if !keep {
            return Ok(());
        }
        data.link_message(sent.id.get(), id).await;
        return post::after(ctx, data, id, &reply).await;
    };
    let id = answer_in.get();
    data.open(id, session, Some(id)).await;
    data.hand_over_if_asked(id, &reply, id).await;
    let sent = post::send(ctx, &data.pacer, answer_in, &reply, turn.turn, None, msg.id).await?;
    sent_reply(data, &reply, asked.started);
    data.link_message(sent.id.get(), id).await;
    post::after(ctx, data, id, &reply).await
}

/// Whether the reply limits let this reply go; a user over theirs is told
/// once, quietly, and a reply over the global limit is dropped.
async fn within_limits(
    ctx: &Context,
    data: &Data,
    msg: &Message,
    at: Instant,
) -> Result<bool, Error> {
    match data.may_reply(msg.author.id.get(), at) {
        RateVerdict::Go => Ok(true),
        RateVerdict::UserOver { first: true } => {
            let text = "You're sending messages faster than I can answer well. Give me a minute, then carry on.";
            note(ctx, data, msg, text).await?;
            Ok(false)
        }
        RateVerdict::UserOver { first: false } => Ok(false),
        RateVerdict::Shed => {
            tracing::warn!("over the global reply limit: this message gets no answer");
            Ok(false)
        }
    }
}

/// A short note in answer to `msg`, as a Discord reply to it: why the bot
/// will not take it further now.
async fn note(ctx: &Context, data: &Data, msg: &Message, text: &str) -> Result<(), Error> {
    let note = Reply::note(text);
    post::send(
        ctx,
        &data.pacer,
        msg.channel_id,
        &note,
        0,
        Some(msg.id),
        msg.id,
    )
    .await?;
    Ok(())
}

/// A thread on the question, named after the problem when it is known.
async fn open_thread(
    ctx: &Context,
    data: &Data,
    msg: &Message,
    reply: &Reply,
) -> anyhow::Result<ChannelId> {
    let engine = data.engine.current();
    let title = reply
        .intent
        .as_ref()
        .and_then(|id| engine.kb.get(id))
        .map(|i| i.title.as_str());
    let name = render::thread_name(title.unwrap_or(&msg.content));
    post::open_thread(ctx, &data.pacer, msg.channel_id, msg.id, name).await
}

fn note_intent(reply: &Reply) {
    if let Some(intent) = &reply.intent {
        tracing::Span::current().record("intent", intent.as_str());
    }
}

/// Counts a reply Discord has taken, by kind, and its latency (escalations
/// are counted where the ticket is opened, whatever led to it).
fn sent_reply(data: &Data, reply: &Reply, started: Instant) {
    let m = &data.metrics;
    m.reply_latency.observe(started.elapsed());
    match (reply.kind, &reply.intent) {
        (ReplyKind::Clarify, _) => Metrics::bump(&m.clarified),
        (ReplyKind::Step | ReplyKind::AllSteps | ReplyKind::AskDevice, Some(intent)) => {
            m.answered(intent.as_str());
        }
        (ReplyKind::OutOfScope, _) => m.answered("out-of-scope"),
        _ => {}
    }
}
