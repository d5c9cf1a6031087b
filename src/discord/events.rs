//! Gateway events: messages that may be questions, and forum posts.

use super::data::Data;
use super::limits::{RateVerdict, Verdict};
use super::sessions::Session;
use super::{Error, interactions, post, render};
use crate::dialog::{Event, Reply, ReplyKind};
use crate::metrics::Metrics;
use crate::store::Link;
use serenity::all::{ChannelId, Context, FullEvent, Interaction, Message};
use std::time::Instant;
use tracing::Instrument as _;

pub async fn handle(ctx: &Context, event: &FullEvent, data: &Data) -> Result<(), Error> {
    if data.in_flight.is_closed() {
        tracing::debug!("shutting down: event not taken");
        return Ok(());
    }
    // Counted from here so that a shutdown waits for this reply.
    let _running = data.in_flight.enter();
    match event {
        FullEvent::Message { new_message } => {
            let span = tracing::info_span!(
                "message",
                guild = new_message.guild_id.map(|g| g.get()),
                channel = new_message.channel_id.get(),
                user = new_message.author.id.get(),
                message = new_message.id.get(),
                intent = tracing::field::Empty,
            );
            on_message(ctx, new_message, data).instrument(span).await
        }
        FullEvent::Ready { .. } => {
            super::catchup::after_ready(ctx, data).await;
            Ok(())
        }
        FullEvent::ThreadCreate { thread } => {
            let forum = thread
                .parent_id
                .is_some_and(|p| data.settings.discord.forum_channels.contains(&p.get()));
            if forum {
                tracing::debug!(thread = thread.id.get(), "new forum post");
                data.forum_threads().insert(thread.id.get());
            }
            Ok(())
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(press),
        } => {
            Metrics::bump(&data.metrics.interactions);
            let span = tracing::info_span!(
                "component",
                guild = press.guild_id.map(|g| g.get()),
                channel = press.channel_id.get(),
                user = press.user.id.get(),
                custom_id = %press.data.custom_id,
                intent = tracing::field::Empty,
            );
            interactions::on_component(ctx, press, data)
                .instrument(span)
                .await
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(submit),
        } => {
            Metrics::bump(&data.metrics.interactions);
            let span = tracing::info_span!(
                "modal",
                guild = submit.guild_id.map(|g| g.get()),
                channel = submit.channel_id.get(),
                user = submit.user.id.get(),
                intent = tracing::field::Empty,
            );
            super::form::on_submit(ctx, submit, data)
                .instrument(span)
                .await
        }
        _ => Ok(()),
    }
}

/// Where a first message arrived, which decides where the answer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Dm,
    ForumPost,
    SupportChannel,
    /// A guild channel that is not configured, where the bot was mentioned.
    Elsewhere,
}

pub(super) async fn on_message(ctx: &Context, msg: &Message, data: &Data) -> Result<(), Error> {
    let started = Instant::now();
    let bot = data.bot_id.get().copied();
    if msg.author.bot || msg.webhook_id.is_some() || Some(msg.author.id.get()) == bot {
        return Ok(());
    }
    let channel = msg.channel_id.get();
    let mentioned = bot.is_some_and(|b| msg.mentions.iter().any(|u| u.id.get() == b));
    let text = strip_mention(&msg.content, bot);

    // A message in a conversation's thread, forum post or DM continues it.
    let existing = data.find(Link::Channel(channel)).await;
    if let Some(id) = existing {
        if !first_time(data, msg).await {
            return Ok(());
        }
        Metrics::bump(&data.metrics.messages_seen);
        // Before the dialog moves: a follow-up held back must not skip a step.
        if !within_limits(ctx, data, msg).await? {
            return Ok(());
        }
        let Some(turn) = data.advance(
            id,
            Event::Message {
                text,
                addressed: true,
            },
        ) else {
            return Ok(());
        };
        let Some(reply) = turn.reply else {
            return Ok(());
        };
        note_intent(&reply);
        data.persist(id).await;
        let sent = post::send(ctx, msg.channel_id, &reply, turn.turn, None).await?;
        sent_reply(data, &reply, started);
        data.link_message(sent.id.get(), id).await;
        return post::after(ctx, data, id, msg.channel_id, &reply).await;
    }

    let place = if msg.guild_id.is_none() {
        Place::Dm
    } else if is_forum_post(ctx, data, msg).await {
        Place::ForumPost
    } else if data.settings.discord.support_channels.contains(&channel) {
        Place::SupportChannel
    } else if mentioned {
        Place::Elsewhere
    } else {
        return Ok(());
    };
    // Only messages the bot would read are remembered: chatter elsewhere
    // costs no database write.
    if !first_time(data, msg).await {
        return Ok(());
    }
    Metrics::bump(&data.metrics.messages_seen);
    let addressed = mentioned || place == Place::Dm;
    let user = msg.author.id.get();
    let turn = data.try_new(
        Session::new(user, None, false),
        Event::Message { text, addressed },
    );
    let Some(reply) = turn.reply else {
        tracing::debug!("not ours: staying silent");
        Metrics::bump(&data.metrics.silent);
        return Ok(());
    };
    note_intent(&reply);

    let verdict = data.cooldown().check(user, Instant::now());
    match verdict {
        Verdict::Go => {}
        Verdict::TellOnce(left) => {
            let note = Reply::note(&format!(
                "You're asking faster than I can keep up. I'll take a new question from you in {} s.",
                left.as_secs().max(1)
            ));
            post::send(ctx, msg.channel_id, &note, 0, Some(msg.id)).await?;
            Metrics::bump(&data.metrics.user_limited);
            return Ok(());
        }
        Verdict::Quiet => {
            Metrics::bump(&data.metrics.user_limited);
            return Ok(());
        }
    }
    if !within_limits(ctx, data, msg).await? {
        return Ok(());
    }

    let mut session = turn.session;
    let answer_in = match place {
        Place::Dm => msg.channel_id,
        Place::ForumPost => {
            session.thread = Some(channel);
            session.forum = true;
            msg.channel_id
        }
        Place::SupportChannel | Place::Elsewhere => {
            if reply.kind == ReplyKind::OutOfScope {
                // Nothing to follow up on: answer beside the message.
                post::send(ctx, msg.channel_id, &reply, turn.turn, Some(msg.id)).await?;
                sent_reply(data, &reply, started);
                return Ok(());
            }
            match open_thread(ctx, data, msg, &reply).await {
                Ok(thread) => {
                    session.thread = Some(thread.get());
                    thread
                }
                Err(err) if place == Place::SupportChannel => {
                    // Other questions share the channel: the conversation is
                    // keyed by this question and answered beside it, so the
                    // channel does not become this conversation.
                    tracing::warn!(
                        error = format!("{err:#}"),
                        "could not open a thread; answering beside the question"
                    );
                    let id = msg.id.get();
                    data.open(id, session, None).await;
                    let sent =
                        post::send(ctx, msg.channel_id, &reply, turn.turn, Some(msg.id)).await?;
                    sent_reply(data, &reply, started);
                    data.link_message(sent.id.get(), id).await;
                    return post::after(ctx, data, id, msg.channel_id, &reply).await;
                }
                Err(err) => {
                    // Already in a thread, or no permission: answer in place.
                    tracing::warn!(
                        error = format!("{err:#}"),
                        "could not open a thread; answering in the channel"
                    );
                    msg.channel_id
                }
            }
        }
    };
    let id = answer_in.get();
    data.open(id, session, Some(id)).await;
    let sent = post::send(ctx, answer_in, &reply, turn.turn, None).await?;
    sent_reply(data, &reply, started);
    data.link_message(sent.id.get(), id).await;
    post::after(ctx, data, id, answer_in, &reply).await
}

/// Whether the reply limits let this reply go; a user over theirs is told
/// once, quietly, and a reply over the global limit is dropped.
async fn within_limits(ctx: &Context, data: &Data, msg: &Message) -> Result<bool, Error> {
    match data.may_reply(msg.author.id.get()) {
        RateVerdict::Go => Ok(true),
        RateVerdict::UserOver { first: true } => {
            let note = Reply::note(
                "You're sending messages faster than I can answer well. Give me a minute, then carry on.",
            );
            post::send(ctx, msg.channel_id, &note, 0, Some(msg.id)).await?;
            Ok(false)
        }
        RateVerdict::UserOver { first: false } => Ok(false),
        RateVerdict::Shed => {
            tracing::warn!("over the global reply limit: this message gets no answer");
            Ok(false)
        }
    }
}

/// False for a message already handled (a replay after a resume, or a
/// redelivery after a restart).
async fn first_time(data: &Data, msg: &Message) -> bool {
    let first = data.first_time(msg.id.get()).await;
    if !first {
        tracing::debug!("already handled (a replayed event)");
    }
    first
}

/// A thread on the question, named after the problem when it is known.
/// True for the first message of a post in a configured forum. Serenity
/// runs each event in its own task, so the post's THREAD_CREATE may not
/// have been handled yet: a starter message (whose id is its thread's id)
/// is checked with Discord directly.
async fn is_forum_post(ctx: &Context, data: &Data, msg: &Message) -> bool {
    let channel = msg.channel_id.get();
    if data.forum_threads().contains(&channel) {
        return true;
    }
    if msg.id.get() != channel || data.settings.discord.forum_channels.is_empty() {
        return false;
    }
    match msg.channel_id.to_channel(&ctx.http).await {
        Ok(found) => {
            let forum = found
                .guild()
                .and_then(|c| c.parent_id)
                .is_some_and(|p| data.settings.discord.forum_channels.contains(&p.get()));
            if forum {
                data.forum_threads().insert(channel);
            }
            forum
        }
        Err(err) => {
            tracing::warn!(error = %err, "could not look up the thread of a starter message");
            false
        }
    }
}

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
    post::open_thread(ctx, msg.channel_id, msg.id, name).await
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

/// The message without the bot's own mention ("<@123> my photos…").
fn strip_mention(content: &str, bot: Option<u64>) -> String {
    match bot {
        Some(id) => content
            .replace(&format!("<@{id}>"), " ")
            .replace(&format!("<@!{id}>"), " ")
            .trim()
            .to_string(),
        None => content.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_the_bots_mention() {
        assert_eq!(
            strip_mention("<@42> photos paused", Some(42)),
            "photos paused"
        );
        assert_eq!(
            strip_mention("hey <@!42>, paused <@7>", Some(42)),
            "hey  , paused <@7>"
        );
        assert_eq!(strip_mention(" paused ", None), "paused");
    }
}
