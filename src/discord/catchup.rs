//! Reading back the support channels, and the threads, forum posts and DMs
//! of recent conversations: at start, for questions and follow-ups written
//! while the bot was stopped (or whose reply a crash cut off), and after a
//! lost gateway session.
//!
//! serenity 0.12 does not resume after a zombie connection (heartbeats
//! without ACK): it restarts the shard, which identifies afresh, and Discord
//! replays nothing to a new session. The same holds after an INVALID
//! SESSION that cannot be resumed. Questions sent in between never arrive
//! as events, so after every READY but the first the newest messages of
//! each support channel are read back and handed to the message handler,
//! which skips those already handled (their ids are remembered).

use super::data::Data;
use super::pace::Route;
use super::{events, retry};
use crate::metrics::Metrics;
use serenity::all::{ChannelId, Context, GetMessages, Message};
use std::sync::atomic::Ordering;

/// Messages read back per channel: more than a reconnect takes to gather.
const READ_BACK: u8 = 100;
/// Conversations written this long ago are looked in for follow-ups: a
/// user may come back to their thread days later, just while the bot is
/// down.
const LIVE_FOR_S: i64 = 7 * 86_400;
/// At most this many conversations' channels are read back, the most
/// recent first: one request each, paced like everything else.
const LIVE_CHANNELS: usize = 200;
/// At start, read back from a little before the last message handled:
/// marks are written after the reply, so a question just before it may
/// not be marked yet.
const START_MARGIN_S: i64 = 60;
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// From where to read back after this READY: at start, from the last
/// message the store marks handled (nothing on a first install, which
/// owes no one an answer); later, from this run's start.
pub async fn read_back_from(data: &Data) -> Option<u64> {
    if data.readies.fetch_add(1, Ordering::SeqCst) > 0 {
        return Some(data.first_seen.load(Ordering::Relaxed));
    }
    match data.store.last_answered_at().await {
        Ok(Some(at)) => {
            let ms = (at - START_MARGIN_S).saturating_mul(1_000) - DISCORD_EPOCH_MS;
            Some(u64::try_from(ms).unwrap_or(0) << 22)
        }
        Ok(None) => None,
        Err(err) => {
            tracing::error!(error = %err, "could not read where the last run stopped");
            None
        }
    }
}

/// Reads the support channels back, from where this READY's read-back
/// starts (`read_back_from`).
pub async fn support_channels(ctx: &Context, data: &Data, from: u64) {
    let support = data.settings.discord.support_channels.clone();
    hand_over(ctx, data, support.into_iter(), from).await;
}

/// Reads back the threads, forum posts and DMs of the conversations
/// written lately, after the support channels and beside the backlog.
pub async fn conversations(ctx: &Context, data: &Data, from: u64) {
    let support = &data.settings.discord.support_channels;
    let channels = live_channels(data).await;
    let channels = channels.into_iter().filter(|c| !support.contains(c));
    if hand_over(ctx, data, channels, from).await {
        Metrics::bump(&data.metrics.read_backs);
    }
}

/// Hands each channel's messages written since `from` to the message
/// handler, oldest first, until the bot begins to stop; false if it did.
async fn hand_over(
    ctx: &Context,
    data: &Data,
    channels: impl Iterator<Item = u64>,
    from: u64,
) -> bool {
    for channel in channels {
        if data.in_flight.is_closed() {
            return false;
        }
        let channel = ChannelId::new(channel);
        let missed = match read_back(ctx, data, channel, from).await {
            Ok(missed) => missed,
            Err(err) => {
                tracing::error!(error = %err, %channel, "could not read a channel back");
                continue;
            }
        };
        for msg in missed {
            if data.in_flight.is_closed() {
                return false;
            }
            if let Err(err) = events::read_back(ctx, &msg, data).await {
                tracing::warn!(
                    error = format!("{err:#}"),
                    message = msg.id.get(),
                    "a read-back message failed"
                );
            }
        }
    }
    true
}

/// The channels of the conversations written lately, where follow-ups
/// may wait.
async fn live_channels(data: &Data) -> Vec<u64> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    match data
        .store
        .live_channels(now - LIVE_FOR_S, LIVE_CHANNELS)
        .await
    {
        Ok(channels) => channels,
        Err(err) => {
            tracing::error!(error = %err, "could not list the recent conversations");
            Vec::new()
        }
    }
}

/// The channel's newest messages from this run, oldest first, as the
/// gateway would have sent them (REST leaves out the guild).
async fn read_back(
    ctx: &Context,
    data: &Data,
    channel: ChannelId,
    first_seen: u64,
) -> Result<Vec<Message>, retry::Failure> {
    let what = format!("reading back channel {channel}");
    let mut messages = retry::run(retry::ANSWER, &data.pacer, Route::Other, &what, || {
        channel.messages(&ctx.http, GetMessages::new().limit(READ_BACK))
    })
    .await?;
    messages.retain(|m| m.id.get() >= first_seen && !m.author.bot);
    if messages.is_empty() {
        return Ok(messages);
    }
    let guild = retry::run(retry::ANSWER, &data.pacer, Route::Other, &what, || {
        channel.to_channel(&ctx.http)
    })
    .await?
    .guild()
    .map(|c| c.guild_id);
    messages.sort_by_key(|m| m.id);
    for m in &mut messages {
        m.guild_id = guild;
    }
    Ok(messages)
}
