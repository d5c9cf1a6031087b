//! Gateway events: messages that may be questions, and forum posts.

use super::cases::{Anchor, Asked, follow_up, new_case};
use super::data::Data;
use super::guard::Who;
use super::members::Waiting;
use super::sessions::SessionId;
use super::{Error, catchup, interactions};
use crate::metrics::Metrics;
use crate::policy::{self, Arrival, CaseState, HomeCheck, Linked, Place, Route};
use crate::store::Link;
use serenity::all::{Context, FullEvent, Interaction, Message};
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument as _;

pub async fn handle(ctx: &Context, event: &FullEvent, data: &Arc<Data>) -> Result<(), Error> {
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
            let handled = on_message(ctx, new_message, data).instrument(span).await;
            Metrics::bump(&data.metrics.message_events);
            handled
        }
        FullEvent::Ready { .. } => {
            // The support channels first, then the backlog: a question both
            // read back and left in the backlog by the last run is answered
            // by one of the two (the backlog skips what is answered).
            let from = catchup::read_back_from(data).await;
            if let Some(from) = from {
                catchup::support_channels(ctx, data, from).await;
            }
            super::backlog::start(ctx, data);
            // The conversations' channels are many more: the backlog runs
            // beside them, so a question kept there does not wait for all.
            // The two share the in-memory ids already seen, and a message
            // read back while the backlog is busy is kept there once.
            if let Some(from) = from {
                catchup::conversations(ctx, data, from).await;
            }
            Ok(())
        }
        FullEvent::ThreadCreate { thread } => {
            let forum = thread
                .parent_id
                .is_some_and(|p| data.settings.discord.forum_channels.contains(&p.get()));
            if let (true, Some(owner)) = (forum, thread.owner_id) {
                tracing::debug!(thread = thread.id.get(), "new forum post");
                data.forum_threads().insert(thread.id.get(), owner.get());
            }
            data.threads().first_time(thread.id.get());
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

/// Where a message comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// The gateway: new to this run, and kept in the backlog if too many
    /// wait already.
    Gateway,
    /// Read back from a channel at start: as from the gateway, but written
    /// a while ago; an asker's follow-up is passed over when the case has
    /// taken a newer message of theirs since.
    ReadBack,
    /// The backlog, handing it back now that there is room.
    Backlog,
}

/// Every message the gateway brings: the routing policy decides where it
/// goes from the facts gathered here.
pub(super) async fn on_message(ctx: &Context, msg: &Message, data: &Data) -> Result<(), Error> {
    process(ctx, msg, data, Origin::Gateway).await
}

/// A message read back from a channel (`catchup`).
pub(super) async fn read_back(ctx: &Context, msg: &Message, data: &Data) -> Result<(), Error> {
    process(ctx, msg, data, Origin::ReadBack).await
}

/// A question the backlog kept, handled now as if it had just arrived.
pub(super) async fn from_backlog(ctx: &Context, msg: &Message, data: &Data) -> Result<(), Error> {
    process(ctx, msg, data, Origin::Backlog).await
}

async fn process(ctx: &Context, msg: &Message, data: &Data, origin: Origin) -> Result<(), Error> {
    let started = Instant::now();
    let bot = data.bot_id.get().copied();
    let author = msg.author.id.get();
    let from_bot = msg.author.bot || msg.webhook_id.is_some() || Some(author) == bot;
    // Nothing to look up for these: no store read, no member check.
    if from_bot {
        return Ok(());
    }
    // Another guild's message goes no further; a DM's author is checked
    // once the message is known to be new and its turn has come.
    let home = data.home_check(msg.guild_id.map(|g| g.get()));
    if home == HomeCheck::Away {
        return Ok(());
    }
    let channel = msg.channel_id.get();
    let mentioned = bot.is_some_and(|b| msg.mentions.iter().any(|u| u.id.get() == b));
    let place = if msg.guild_id.is_none() {
        Place::Dm
    } else if let Some(owner) = forum_post_owner(ctx, data, msg).await {
        Place::ForumPost {
            by_owner: owner == author,
        }
    } else if data.settings.discord.support_channels.contains(&channel) {
        Place::SupportChannel
    } else {
        Place::Elsewhere
    };
    let roles: Vec<u64> = msg
        .member
        .as_ref()
        .map(|m| m.roles.iter().map(|r| r.get()).collect())
        .unwrap_or_default();
    let staff = data.is_staff(&roles);
    // Where the message goes, given the case its channel holds now.
    let route_with = |existing: Option<SessionId>| {
        let linked = existing.and_then(|id| {
            data.sessions().get_mut(id).map(|s| Linked {
                asker: s.asker,
                state: CaseState::of(&s.conversation),
            })
        });
        policy::route(&Arrival {
            author,
            from_bot,
            // Another guild's went no further; a DM's author is checked
            // below, before anything is answered.
            home: true,
            place,
            mentioned,
            staff,
            linked,
        })
    };
    let who = Who {
        user: author,
        roles,
        guild: msg.guild_id.map(|g| g.get()),
        home: true,
    };
    let asked = Asked {
        msg,
        who,
        text: strip_mention(&msg.content, bot),
        mentioned,
        started,
        at: match origin {
            Origin::Gateway => started,
            Origin::ReadBack | Origin::Backlog => super::backlog::written_at(msg, started),
        },
    };
    let existing = data.find(Link::Channel(channel)).await;
    if route_with(existing) == Route::Ignore {
        return Ok(());
    }
    match origin {
        Origin::Gateway | Origin::ReadBack => {
            if !first_time(data, msg).await {
                return Ok(());
            }
            Metrics::bump(&data.metrics.messages_seen);
            if data.backlog.should_wait(data.waiting_in_memory())
                && super::backlog::keep(data, msg).await
            {
                return Ok(());
            }
        }
        Origin::Backlog => {
            if data.answered(msg.id.get()).await {
                return Ok(());
            }
        }
    }
    if !data
        .settle_home(&ctx.http, home, author, Waiting::Paced)
        .await
    {
        return Ok(());
    }
    // One event at a time per conversation: the case this channel holds,
    // or the one a first message in a DM or forum post opens.
    let own_channel = matches!(place, Place::Dm | Place::ForumPost { by_owner: true });
    let lock_on = existing.or(own_channel.then_some(channel));
    let _one_at_a_time = match lock_on {
        Some(id) => Some(data.one_at_a_time(id).await),
        None => None,
    };
    // Read again under the lock: the event before this one may have
    // opened, handed over or closed the case.
    let existing = match lock_on {
        Some(_) => data.find(Link::Channel(channel)).await,
        None => existing,
    };
    // Only the asker's own follow-up can be overtaken: anyone else's
    // message in the thread is a question of its own.
    let route = match route_with(existing) {
        Route::FollowUp
            if origin == Origin::ReadBack
                && existing.is_some_and(|id| data.took_newer(id, msg.id.get())) =>
        {
            tracing::debug!("read back after a newer message of its case: passed over");
            Route::Ignore
        }
        route => route,
    };
    let handled = match (route, existing) {
        (Route::FollowUp, Some(id)) => follow_up(ctx, data, asked, id).await,
        (Route::NewCase, _) => {
            let anchor = match place {
                Place::Dm => Anchor::Dm,
                Place::ForumPost { .. } => Anchor::ForumPost,
                Place::SupportChannel | Place::Elsewhere => Anchor::NewThread,
            };
            new_case(ctx, data, asked, anchor).await
        }
        (Route::ReplyOnly, _) => new_case(ctx, data, asked, Anchor::ReplyOnly).await,
        (Route::Ignore | Route::FollowUp, _) => Ok(()),
    };
    // Marked once handled: a reply that never went out leaves the question
    // for the next start's catch-up.
    if handled.is_ok() {
        data.mark_answered(msg.id.get()).await;
    }
    handled
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

/// The member who opened the configured-forum post this message is in, or
/// `None` when it is not in one. Serenity runs each event in its own task,
/// so the post's THREAD_CREATE may not have been handled yet: a starter
/// message (whose id is its thread's id) is by the post's owner.
async fn forum_post_owner(ctx: &Context, data: &Data, msg: &Message) -> Option<u64> {
    let channel = msg.channel_id.get();
    if let Some(owner) = data.forum_threads().get(&channel).copied() {
        return Some(owner);
    }
    if msg.id.get() != channel || data.settings.discord.forum_channels.is_empty() {
        return None;
    }
    match msg.channel_id.to_channel(&ctx.http).await {
        Ok(found) => {
            let forum = found
                .guild()
                .and_then(|c| c.parent_id)
                .is_some_and(|p| data.settings.discord.forum_channels.contains(&p.get()));
            let owner = msg.author.id.get();
            if forum {
                data.forum_threads().insert(channel, owner);
            }
            forum.then_some(owner)
        }
        Err(err) => {
            tracing::warn!(error = %err, "could not look up the thread of a starter message");
            None
        }
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
