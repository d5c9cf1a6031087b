//! Reminders for tickets nobody has claimed, queued as posts like any
//! other, at the pace `escalation.reminder_*` sets.

use crate::settings::Settings;
use crate::store::{PostDraft, PostKind, Store, now_ms};
use std::time::Duration;

pub(super) fn reminder_check_every(settings: &Settings) -> Duration {
    (settings.reminders.after / 4).clamp(Duration::from_millis(100), Duration::from_secs(60))
}

pub(super) async fn queue_reminders(store: &dyn Store, settings: &Settings) {
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
