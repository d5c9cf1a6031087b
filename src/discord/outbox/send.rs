//! One round of the outbox: each due post to where it goes (a channel, or
//! a new post in a forum), under the pacer, with its nonce; a failure is
//! tried again later, or set aside when Discord refuses it for good.

use crate::discord::custom_id::{Action, ComponentId};
use crate::discord::pace::{Pacer, Route};
use crate::discord::render::{no_mentions, staff_mention};
use crate::metrics::Metrics;
use crate::store::{Post, PostKind, Store, TicketState, now_ms};
use serenity::all::{
    ButtonStyle, Channel, ChannelId, ChannelType, CreateActionRow, CreateButton, CreateForumPost,
    CreateMessage, ForumTagId, GuildId, Http, Nonce,
};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A send that takes longer is abandoned and retried (with the same nonce).
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const FIRST_BACKOFF_MS: i64 = 1_000;
const MAX_BACKOFF_MS: i64 = 60_000;

/// Sends the posts due by `due_by_ms`, oldest first.
pub(super) async fn deliver(
    http: &Http,
    store: &dyn Store,
    metrics: &Metrics,
    pacer: &Pacer,
    due_by_ms: i64,
) {
    let due = match store.due_posts(due_by_ms, 20).await {
        Ok(due) => due,
        Err(err) => {
            tracing::error!(error = %err, "could not read the outbox");
            return;
        }
    };
    for post in due {
        let span = tracing::info_span!(
            "outbox",
            post = post.id,
            kind = post.kind.as_str(),
            channel = post.channel
        );
        let _enter = span.enter();
        pacer.turn(Route::PostIn(post.channel)).await;
        metrics.outbox_alive_ms.store(now_ms(), Ordering::Relaxed);
        let outcome = tokio::time::timeout(SEND_TIMEOUT, send(http, store, &post)).await;
        let result = match outcome {
            Ok(Ok(message)) => store.post_sent(post.id, message).await,
            Ok(Err(Failed::ForGood(why))) => {
                tracing::error!(
                    attempt = post.attempts + 1,
                    "Discord refused a staff post for good; set aside: {why}"
                );
                Metrics::bump(&metrics.outbox_dead);
                store.post_dead(post.id, why).await
            }
            Ok(Err(Failed::ForNow { why, at_least_ms })) => {
                let backoff = exponential(post.attempts).max(at_least_ms);
                tracing::warn!(
                    attempt = post.attempts + 1,
                    retry_in_ms = backoff,
                    "post failed: {why}"
                );
                store.post_failed(post.id, now_ms() + backoff, why).await
            }
            Err(_) => {
                let backoff = exponential(post.attempts);
                tracing::warn!(
                    attempt = post.attempts + 1,
                    "post timed out; retrying with the same nonce"
                );
                store
                    .post_failed(post.id, now_ms() + backoff, "timed out".into())
                    .await
            }
        };
        if let Err(err) = result {
            tracing::error!(error = %err, "could not record a post's outcome");
        }
    }
}

/// Why a post did not go out.
#[derive(Debug)]
enum Failed {
    /// Worth another try later (a network error, a 5xx, a 429).
    ForNow { why: String, at_least_ms: i64 },
    /// Discord will refuse it however often it is sent (a 4xx).
    ForGood(String),
}

impl From<serenity::Error> for Failed {
    fn from(err: serenity::Error) -> Failed {
        let status = match &err {
            serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)) => {
                Some(response.status_code.as_u16())
            }
            _ => None,
        };
        match status {
            Some(429) => Failed::ForNow {
                why: "rate limited (429)".into(),
                at_least_ms: FIRST_BACKOFF_MS,
            },
            Some(408) => Failed::ForNow {
                why: "Discord answered 408".into(),
                at_least_ms: 0,
            },
            Some(code @ 400..=499) => Failed::ForGood(format!("Discord answered {code}: {err}")),
            Some(code) => Failed::ForNow {
                why: format!("Discord answered {code}"),
                at_least_ms: 0,
            },
            None => Failed::ForNow {
                why: err.to_string(),
                at_least_ms: 0,
            },
        }
    }
}

/// Where a post goes: a text channel takes a message; a forum takes a new
/// post per ticket (Discord refuses a plain message there, 50008), and the
/// ticket's later posts (reminders) go into that post.
enum Destination {
    Channel(ChannelId),
    NewForumPost {
        forum: ChannelId,
        guild: GuildId,
        open_tag: Option<ForumTagId>,
    },
}

async fn destination(http: &Http, store: &dyn Store, post: &Post) -> Result<Destination, Failed> {
    // An id of 0 (a terminal ticket from an older version) would panic in
    // serenity and take the worker with it.
    let channel = std::num::NonZeroU64::new(post.channel)
        .map(ChannelId::from)
        .ok_or_else(|| Failed::ForGood("a post without a channel".into()))?;
    let found = channel.to_channel(http).await?;
    let forum = match found {
        Channel::Guild(c) if c.kind == ChannelType::Forum => c,
        _ => return Ok(Destination::Channel(channel)),
    };
    if post.kind == PostKind::Ticket {
        let open_tag = forum
            .available_tags
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(TicketState::Open.as_str()))
            .map(|t| t.id);
        return Ok(Destination::NewForumPost {
            forum: channel,
            guild: forum.guild_id,
            open_tag,
        });
    }
    let ticket = match post.ticket {
        Some(id) => store.ticket(id).await.map_err(|err| Failed::ForNow {
            why: err.to_string(),
            at_least_ms: 0,
        })?,
        None => None,
    };
    match ticket.map(|t| t.staff_message) {
        // A forum post's first message has the post's (thread's) id.
        Some(Some(post_thread)) => std::num::NonZeroU64::new(post_thread)
            .map(|id| Destination::Channel(ChannelId::from(id)))
            .ok_or_else(|| Failed::ForGood("a ticket post with no id".into())),
        Some(None) => Err(Failed::ForNow {
            why: "the ticket's forum post is not up yet".into(),
            at_least_ms: FIRST_BACKOFF_MS,
        }),
        None => Err(Failed::ForGood(
            "a forum takes only ticket posts and their reminders".into(),
        )),
    }
}

async fn send(http: &Http, store: &dyn Store, post: &Post) -> Result<u64, Failed> {
    let mentions = post.ping_role.map_or_else(no_mentions, staff_mention);
    let mut message = CreateMessage::new()
        .content(post.content.clone())
        .allowed_mentions(mentions);
    if let (PostKind::Ticket, Some(ticket)) = (post.kind, post.ticket) {
        message = message.components(ticket_buttons(ticket, true, false));
    }
    match destination(http, store, post).await? {
        Destination::Channel(channel) => {
            let message = message
                .nonce(Nonce::String(post.nonce.clone()))
                .enforce_nonce(true);
            Ok(channel.send_message(http, message).await?.id.get())
        }
        Destination::NewForumPost {
            forum,
            guild,
            open_tag,
        } => {
            let name = format!("Ticket #{}", post.ticket.unwrap_or_default());
            // A forum post takes no nonce: after a try whose answer was
            // lost, look for the post before making another.
            if post.attempts > 0 {
                let active = guild.get_active_threads(http).await?;
                let made = active
                    .threads
                    .iter()
                    .find(|t| t.parent_id == Some(forum) && t.name == name);
                if let Some(made) = made {
                    tracing::info!("the forum post was made by an earlier try");
                    return Ok(made.id.get());
                }
            }
            let mut create = CreateForumPost::new(name, message);
            if let Some(tag) = open_tag {
                create = create.add_applied_tag(tag);
            }
            // The post's first message takes the post's id, which the
            // ticket keeps as its staff message.
            Ok(forum.create_forum_post(http, create).await?.id.get())
        }
    }
}

/// Claim and Resolve for a ticket post (Resolve alone once claimed,
/// neither once resolved), and Relabel, which puts the case in the review
/// queue for the presser, always.
pub fn ticket_buttons(ticket: i64, open: bool, claimed: bool) -> Vec<CreateActionRow> {
    let number = u32::try_from(ticket).unwrap_or(u32::MAX);
    let mut buttons = Vec::new();
    if open && !claimed {
        buttons.push(
            CreateButton::new(ComponentId::new(Action::Claim, number).to_string())
                .label("Claim")
                .style(ButtonStyle::Primary),
        );
    }
    if open {
        buttons.push(
            CreateButton::new(ComponentId::new(Action::Resolve, number).to_string())
                .label("Resolve")
                .style(ButtonStyle::Success),
        );
    }
    buttons.push(
        CreateButton::new(ComponentId::new(Action::Relabel, number).to_string())
            .label("Relabel")
            .style(ButtonStyle::Secondary),
    );
    vec![CreateActionRow::Buttons(buttons)]
}

fn exponential(attempts: u32) -> i64 {
    FIRST_BACKOFF_MS
        .saturating_mul(1 << attempts.min(6))
        .min(MAX_BACKOFF_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        assert_eq!(exponential(0), 1_000);
        assert_eq!(exponential(1), 2_000);
        assert_eq!(exponential(5), 32_000);
        assert_eq!(exponential(6), 60_000);
        assert_eq!(exponential(40), 60_000);
    }
}
