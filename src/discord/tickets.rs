//! Escalations as tickets: written first, then posted to the staff by the
//! outbox; claimed and resolved by the staff with buttons.

use super::data::Data;
use super::outbox::ticket_buttons;
use super::render::{no_mentions, thread_name};
use super::sessions::SessionId;
use crate::dialog::{CaseSummary, render::clip};
use crate::store::{NewTicket, PostDraft, PostKind, TicketState};
use anyhow::Context as _;
use serenity::all::{
    ChannelId, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditThread,
};

/// Writes the ticket and queues its staff post, once per conversation.
pub async fn open(
    data: &Data,
    id: SessionId,
    channel: ChannelId,
    case: &CaseSummary,
) -> anyhow::Result<()> {
    let fresh = data
        .sessions()
        .get_mut(id)
        .map(|s| !std::mem::replace(&mut s.escalated, true))
        .unwrap_or(false);
    if !fresh {
        return Ok(());
    }
    crate::metrics::Metrics::bump(&data.metrics.escalations);
    data.persist(id).await;
    let asker = data
        .sessions()
        .get_mut(id)
        .map(|s| s.asker)
        .unwrap_or_default();
    let discord = &data.settings.discord;
    let staff_channel = discord.escalation_channel.unwrap_or(channel.get());
    let role = discord.staff_role;
    let mut content = String::from("**Ticket #{ticket}**");
    if let Some(role) = role {
        content.push_str(&format!(" · <@&{role}>"));
    }
    content.push_str(&format!(" a case needs a person: <#{channel}>\n\n"));
    content.push_str(&clip(&case.render(), 1_700));
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
        ping_role: role,
    };
    let ticket = data
        .store
        .open_ticket(ticket, Some(post))
        .await
        .context("writing the ticket")?;
    tracing::info!(ticket = ticket.id, "ticket opened");
    data.outbox_wake.notify_one();
    Ok(())
}

/// Claim or Resolve on a ticket post: staff only, each once.
pub async fn press(
    ctx: &Context,
    data: &Data,
    press: &ComponentInteraction,
    ticket: i64,
    to: TicketState,
    roles: &[u64],
) -> anyhow::Result<()> {
    if !data.is_staff(roles) {
        return reply_privately(
            ctx,
            press,
            "Only the support team can claim or resolve tickets.",
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
