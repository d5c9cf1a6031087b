//! Sends the posts the store has queued (ticket posts, reminders) until
//! Discord takes them, and queues reminders for unclaimed tickets.
//!
//! Every try carries the post's nonce with `enforce_nonce`, so a retry after
//! a lost reply (a timeout, a crash between sending and recording) cannot
//! make a second copy. serenity cannot read a 429's `retry_after` when its
//! own limiter is off, so a 429 waits at least a second and doubles.

use super::custom_id::{Action, ComponentId};
use super::render::{no_mentions, staff_mention};
use crate::settings::Settings;
use crate::store::{Post, PostDraft, PostKind, Store, now_ms};
use serenity::all::{
    ButtonStyle, ChannelId, CreateActionRow, CreateButton, CreateMessage, Http, Nonce,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// A send that takes longer is abandoned and retried (with the same nonce).
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const FIRST_BACKOFF_MS: i64 = 1_000;
const MAX_BACKOFF_MS: i64 = 60_000;
/// How many batches a shutdown flush sends at most.
const FLUSH_ROUNDS: usize = 10;
/// The longest the worker sleeps without looking at the outbox.
const IDLE: Duration = Duration::from_secs(1);

/// The running outbox worker.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

pub fn spawn(
    http: Arc<Http>,
    store: Arc<dyn Store>,
    settings: Arc<Settings>,
    wake: Arc<Notify>,
) -> Worker {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut last_reminder_check = tokio::time::Instant::now();
        while !*stopped.borrow() {
            deliver(&http, store.as_ref(), now_ms()).await;
            if settings.reminders.ceiling() > 0
                && last_reminder_check.elapsed() >= reminder_check_every(&settings)
            {
                last_reminder_check = tokio::time::Instant::now();
                queue_reminders(store.as_ref(), &settings).await;
            }
            let wait = match store.next_due().await {
                Ok(Some(due)) => {
                    Duration::from_millis((due - now_ms()).clamp(10, IDLE.as_millis() as i64) as u64)
                }
                _ => IDLE,
            };
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(wait.min(reminder_check_every(&settings))) => {}
                _ = stopped.changed() => {}
            }
        }
    });
    Worker { stop, task }
}

impl Worker {
    /// Stops the worker between sends, then tries every queued post once
    /// more, backoff waived, until `deadline`. What is still unsent stays
    /// queued for the next start: nothing is lost.
    pub async fn flush_and_stop(
        self,
        http: &Http,
        store: &dyn Store,
        deadline: tokio::time::Instant,
    ) {
        let _ = self.stop.send(true);
        if tokio::time::timeout_at(deadline, self.task).await.is_err() {
            tracing::warn!("the outbox worker did not stop in time");
            return;
        }
        // Batch after batch; a post that fails stays due, so the rounds are
        // bounded as well as the time.
        let flush = async {
            for _ in 0..FLUSH_ROUNDS {
                match store.due_posts(i64::MAX, 1).await {
                    Ok(due) if !due.is_empty() => deliver(http, store, i64::MAX).await,
                    _ => break,
                }
            }
        };
        let flushed = tokio::time::timeout_at(deadline, flush).await;
        if flushed.is_err() {
            tracing::warn!(
                "the outbox could not be flushed in time; the rest is sent at the next start"
            );
        }
    }
}

fn reminder_check_every(settings: &Settings) -> Duration {
    (settings.reminders.after / 4).clamp(Duration::from_millis(100), Duration::from_secs(60))
}

/// Sends the posts due by `due_by_ms`, oldest first.
async fn deliver(http: &Http, store: &dyn Store, due_by_ms: i64) {
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
        let outcome = tokio::time::timeout(SEND_TIMEOUT, send(http, &post)).await;
        let result = match outcome {
            Ok(Ok(message)) => store.post_sent(post.id, message).await,
            Ok(Err(err)) => {
                let (backoff, why) = backoff(&post, &err);
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

async fn send(http: &Http, post: &Post) -> serenity::Result<u64> {
    let mentions = post.ping_role.map_or_else(no_mentions, staff_mention);
    let mut message = CreateMessage::new()
        .content(post.content.clone())
        .allowed_mentions(mentions)
        .nonce(Nonce::String(post.nonce.clone()))
        .enforce_nonce(true);
    if let (PostKind::Ticket, Some(ticket)) = (post.kind, post.ticket) {
        message = message.components(ticket_buttons(ticket, true));
    }
    // A channel id of 0 (a terminal ticket from an older version) would
    // panic in serenity and take the worker with it.
    let channel = std::num::NonZeroU64::new(post.channel)
        .map(ChannelId::from)
        .ok_or(serenity::Error::Other("a post without a channel"))?;
    let sent = channel.send_message(http, message).await?;
    Ok(sent.id.get())
}

/// Claim and Resolve for a ticket post (Resolve alone once claimed).
pub fn ticket_buttons(ticket: i64, claimable: bool) -> Vec<CreateActionRow> {
    let number = u32::try_from(ticket).unwrap_or(u32::MAX);
    let mut buttons = Vec::new();
    if claimable {
        buttons.push(
            CreateButton::new(ComponentId::new(Action::Claim, number).to_string())
                .label("Claim")
                .style(ButtonStyle::Primary),
        );
    }
    buttons.push(
        CreateButton::new(ComponentId::new(Action::Resolve, number).to_string())
            .label("Resolve")
            .style(ButtonStyle::Success),
    );
    vec![CreateActionRow::Buttons(buttons)]
}

fn exponential(attempts: u32) -> i64 {
    FIRST_BACKOFF_MS
        .saturating_mul(1 << attempts.min(6))
        .min(MAX_BACKOFF_MS)
}

fn backoff(post: &Post, err: &serenity::Error) -> (i64, String) {
    let status = match err {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    };
    let wait = exponential(post.attempts);
    match status {
        Some(429) => (wait.max(FIRST_BACKOFF_MS), "rate limited (429)".into()),
        Some(code) => (wait, format!("Discord answered {code}")),
        None => (wait, err.to_string()),
    }
}

async fn queue_reminders(store: &dyn Store, settings: &Settings) {
    let policy = settings.reminders;
    let now = now_ms() / 1000;
    let tickets = match store.to_remind(policy.ceiling()).await {
        Ok(tickets) => tickets,
        Err(err) => {
            tracing::error!(error = %err, "could not look for tickets to remind");
            return;
        }
    };
    let due = tickets
        .into_iter()
        .filter(|t| policy.due(t.created_at, t.reminders, t.reminded_at, now));
    for ticket in due {
        let role = settings.discord.staff_role;
        let mut content =
            String::from("**Ticket #{ticket}** is still waiting for someone to claim it.");
        if let Some(role) = role {
            content = format!("<@&{role}> {content}");
        }
        if let Some(thread) = ticket.thread {
            content.push_str(&format!(" The conversation: <#{thread}>"));
        }
        let draft = PostDraft {
            kind: PostKind::Reminder,
            channel: ticket.staff_channel,
            content,
            body: String::new(),
            ping_role: role,
        };
        if let Err(err) = store.remind(ticket.id, draft).await {
            tracing::error!(error = %err, ticket = ticket.id, "could not queue a reminder");
        }
    }
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
