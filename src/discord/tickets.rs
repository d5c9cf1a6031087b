//! Escalations as tickets: written first, then posted to the staff by the
//! outbox; claimed and resolved by the staff with buttons.

use super::data::Data;
use super::guard::Who;
use super::outbox::ticket_buttons;
use super::render::{no_mentions, thread_name};
use super::sessions::SessionId;
use crate::dialog::{CaseSummary, render::clip};
use crate::policy::{Action, Authority};
use crate::store::{NewTicket, Opened, PostDraft, PostKind, Ticket, TicketState};
use anyhow::Context as _;
use serenity::all::{
    ChannelId, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditThread,
};

/// Writes the ticket and queues its staff post, unless the asker already
/// has a ticket open: then they are told which, and staff hear nothing new.
pub async fn open(
    data: &Data,
    id: SessionId,
    channel: ChannelId,
    case: &CaseSummary,
) -> anyhow::Result<Option<Ticket>> {
    let Some(asker) = data.sessions().get_mut(id).map(|s| s.asker) else {
        return Ok(None);
    };
    let discord = &data.settings.discord;
    let staff_channel = discord.escalation_channel.unwrap_or(channel.get());
    let role = discord.staff_role;
    // The bot's own words, with `{ticket}`, come first; the case (user
    // text, escaped by its renderer) is appended after the number is in.
    let mut content = String::from("**Ticket #{ticket}**");
    if let Some(role) = role {
        content.push_str(&format!(" · <@&{role}>"));
    }
    content.push_str(&format!(" a case needs a person: <#{channel}>\n\n"));
    let ticket = NewTicket {
        conversation: id,
        asker,
        thread: Some(channel.get()),
        intent: case.intent.as_ref().map(|i| i.to_string()),
        summary: case.render(),
        staff_channel,
    };
    let post = PostDraft {
        kind: PostKind::Ticket,
        channel: staff_channel,
        content,
        body: clip(&case.render(), 1_700),
        ping_role: role,
    };
    let opened = data
        .store
        .open_ticket_once(ticket, post)
        .await
        .context("writing the ticket")?;
    let ticket = match opened {
        Opened::New(ticket) => ticket,
        Opened::Existing(ticket) => {
            tracing::info!(ticket = ticket.id, "the asker already has this ticket open");
            return Ok(Some(ticket));
        }
    };
    crate::metrics::Metrics::bump(&data.metrics.escalations);
    tracing::info!(ticket = ticket.id, "ticket opened");
    if let Some(session) = data.sessions().get_mut(id) {
        session.escalated = true;
    }
    data.persist(id).await;
    data.outbox_wake.notify_one();
    Ok(None)
}

/// Claim or Resolve on a ticket post: staff only, each once, and only on
/// the post that ticket's buttons were drawn on.
pub async fn press(
    ctx: &Context,
    data: &Data,
    press: &ComponentInteraction,
    who: &Who,
    ticket: i64,
    to: TicketState,
) -> anyhow::Result<()> {
    let action = if to == TicketState::Claimed {
        Action::Claim
    } else {
        Action::Resolve
    };
    if let Authority::Denied(why) = data.authorize(who, action, None).await {
        return reply_privately(ctx, press, &why.message()).await;
    }
    let found = data.store.ticket(ticket).await?;
    if found.as_ref().and_then(|t| t.staff_message) != Some(press.message.id.get()) {
        tracing::warn!(ticket, "a ticket button on a message that is not its post");
        return reply_privately(
            ctx,
            press,
            "That button doesn't belong to a ticket post I know.",
        )
        .await;
    }
    let staff = press.user.id.get();
    let moved = data.store.move_ticket(ticket, to, staff).await?;
    let ticket = match moved {
        Some(Ok(ticket)) => ticket,
        Some(Err(current)) => {
            let why = match (current.state, current.claimed_by) {
                (TicketState::Resolved, _) => "This ticket is already resolved.".to_string(),
                (_, Some(by)) => format!("<@{by}> has already claimed this ticket."),
                _ => "That can't be done to this ticket now.".to_string(),
            };
            return reply_privately(ctx, press, &why).await;
        }
        None => return reply_privately(ctx, press, "I can't find that ticket.").await,
    };
    let verb = if to == TicketState::Claimed {
        "Claimed"
    } else {
        "Resolved"
    };
    let content = clip(
        &format!("{}\n\n**{verb}** by <@{staff}>", press.message.content),
        2_000,
    );
    let components = if to == TicketState::Claimed {
        ticket_buttons(ticket.id, false)
    } else {
        Vec::new()
    };
    let update = CreateInteractionResponseMessage::new()
        .content(content)
        .components(components)
        .allowed_mentions(no_mentions());
    press
        .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
        .await?;
    let Some(thread) = ticket.thread.map(ChannelId::new) else {
        return Ok(());
    };
    let name = press
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .unwrap_or_else(|| press.user.name.clone());
    let note = match to {
        TicketState::Claimed => format!("**{}** from the support team has picked this up and will reply here.", thread_name(&name)),
        _ => "A person from the support team has marked this case resolved. Thanks for your patience!".to_string(),
    };
    thread
        .send_message(
            &ctx.http,
            CreateMessage::new()
                .content(note)
                .allowed_mentions(no_mentions()),
        )
        .await
        .with_context(|| format!("telling thread {thread} about the ticket"))?;
    if to == TicketState::Resolved {
        // Archiving fails harmlessly in a DM or a plain channel.
        if let Err(err) = thread
            .edit_thread(&ctx.http, EditThread::new().archived(true))
            .await
        {
            tracing::debug!(error = %err, "could not archive the conversation's thread");
        }
    }
    Ok(())
}

async fn reply_privately(
    ctx: &Context,
    press: &ComponentInteraction,
    text: &str,
) -> anyhow::Result<()> {
    let message = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(no_mentions());
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}
