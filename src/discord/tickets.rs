//! Tickets on Discord: written with the hand-over (`Data::persist_turn`),
//! posted to the staff by the outbox, claimed and resolved by the staff
//! with buttons.

use super::data::Data;
use super::deferred::Deferred;
use super::guard::{Target, Who};
use super::outbox::ticket_buttons;
use super::render::{Drawn, no_mentions, thread_name};
use super::sessions::Session;
use super::turns::Advanced;
use crate::dialog::render::clip;
use crate::dialog::{Event, Reason};
use crate::policy::{Action, Authority};
use crate::store::TicketState;
use anyhow::Context as _;
use serenity::all::{
    ChannelId, ComponentInteraction, Context, CreateMessage, EditThread, ForumTagId,
};

/// At start, finishes hand-overs a crash interrupted: a conversation
/// written as escalated whose ticket never was (from a version that wrote
/// them apart) gets its ticket and staff post now.
pub async fn finish_interrupted(data: &Data) {
    let waiting = match data.store.unticketed_escalations().await {
        Ok(waiting) => waiting,
        Err(err) => {
            tracing::error!(error = %err, "could not look for interrupted hand-overs");
            return;
        }
    };
    for record in waiting {
        let id = record.id;
        let mut case = record.conversation.case(Reason::Asked);
        case.title = case
            .intent
            .as_ref()
            .and_then(|i| data.engine.current().kb.get(i).map(|i| i.title.clone()))
            .or(case.title);
        let conversation_in = record.thread.unwrap_or(id);
        data.sessions().insert(id, Session::from_record(record));
        tracing::info!(
            session = id,
            "finishing a hand-over interrupted before its ticket"
        );
        data.hand_over(id, &case, conversation_in).await;
    }
}

/// Claim or Resolve on a ticket post: staff only, each once, and only on
/// the post that ticket's buttons were drawn on.
pub async fn press(
    ctx: &Context,
    data: &Data,
    press: &ComponentInteraction,
    reply: Deferred<'_>,
    who: &Who,
    ticket: i64,
    to: TicketState,
) -> anyhow::Result<()> {
    let action = if to == TicketState::Claimed {
        Action::Claim
    } else {
        Action::Resolve
    };
    if let Authority::Denied(why) = data.authorize(who, action, Target::Nothing).await {
        return reply.private(&why.message()).await;
    }
    // The post's id is recorded a moment after Discord took it: a press
    // that quick finds it on a second look.
    let mut found = data.store.ticket(ticket).await?;
    for _ in 0..3 {
        if found.as_ref().is_none_or(|t| t.staff_message.is_some()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        found = data.store.ticket(ticket).await?;
    }
    if found.as_ref().and_then(|t| t.staff_message) != Some(press.message.id.get()) {
        tracing::warn!(ticket, "a ticket button on a message that is not its post");
        return reply
            .private("That button doesn't belong to a ticket post I know.")
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
            return reply.private(&why).await;
        }
        None => return reply.private("I can't find that ticket.").await,
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
    // Resolved, the case may still be relabelled: staff often learn only
    // then which problem it really was.
    let components = ticket_buttons(
        ticket.id,
        to != TicketState::Resolved,
        to == TicketState::Claimed,
    );
    reply
        .update(Drawn {
            content,
            components,
        })
        .await?;
    // The case is over for the bot too: a later request for a person
    // opens a new ticket instead of hearing that one is on its way.
    if to == TicketState::Resolved && data.load(ticket.conversation).await {
        let id = ticket.conversation;
        let _one_at_a_time = data.one_at_a_time(id).await;
        if let Advanced::Moved(_) = data.advance(id, Event::StaffResolved, who, None).await {
            data.persist(id).await;
        }
    }
    // A ticket kept as a forum post: its first message (the one pressed)
    // has the post's id. Its tag follows the ticket.
    if press.message.id.get() == press.channel_id.get()
        && let Err(err) = follow_tag(ctx, press.channel_id, to).await
    {
        tracing::warn!(
            error = format!("{err:#}"),
            "could not retag the ticket's forum post"
        );
    }
    let Some(thread) = ticket
        .thread
        .and_then(std::num::NonZeroU64::new)
        .map(ChannelId::from)
    else {
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

/// Sets the forum post's state tag (Open, Claimed, Resolved, when the
/// forum has tags of those names) to the ticket's new state.
async fn follow_tag(ctx: &Context, post: ChannelId, to: TicketState) -> anyhow::Result<()> {
    let thread = post
        .to_channel(&ctx.http)
        .await?
        .guild()
        .context("a ticket post that is not a guild thread")?;
    let Some(forum) = thread.parent_id else {
        return Ok(());
    };
    let forum = forum
        .to_channel(&ctx.http)
        .await?
        .guild()
        .context("a forum that is not a guild channel")?;
    let available: Vec<(u64, &str)> = forum
        .available_tags
        .iter()
        .map(|t| (t.id.get(), t.name.as_str()))
        .collect();
    let current: Vec<u64> = thread.applied_tags.iter().map(|t| t.get()).collect();
    let tags = state_tags(&available, &current, to);
    if tags == current {
        return Ok(());
    }
    post.edit_thread(
        &ctx.http,
        EditThread::new().applied_tags(tags.into_iter().map(ForumTagId::new)),
    )
    .await?;
    Ok(())
}

/// The post's tags with the state tag swapped for `to`'s; tags that are
/// not about the state are kept. Names match without regard to case.
fn state_tags(available: &[(u64, &str)], current: &[u64], to: TicketState) -> Vec<u64> {
    let states = [
        TicketState::Open,
        TicketState::Claimed,
        TicketState::Resolved,
    ];
    let state_of = |id: u64| {
        available
            .iter()
            .find(|(tag, _)| *tag == id)
            .and_then(|(_, name)| {
                states
                    .iter()
                    .find(|s| name.eq_ignore_ascii_case(s.as_str()))
            })
            .copied()
    };
    let mut tags: Vec<u64> = current
        .iter()
        .copied()
        .filter(|t| state_of(*t).is_none())
        .collect();
    if let Some((id, _)) = available
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(to.as_str()))
    {
        tags.push(*id);
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_tag_follows_the_ticket() {
        let available = [(1, "Open"), (2, "claimed"), (3, "RESOLVED"), (4, "iPhone")];
        // (current tags, new state) -> tags
        let table: [(&[u64], TicketState, &[u64]); 4] = [
            (&[1, 4], TicketState::Claimed, &[4, 2]),
            (&[2], TicketState::Resolved, &[3]),
            (&[4], TicketState::Resolved, &[4, 3]),
            (&[1], TicketState::Open, &[1]),
        ];
        for (current, to, expected) in table {
            assert_eq!(
                state_tags(&available, current, to),
                expected,
                "{current:?} {to:?}"
            );
        }
        assert_eq!(
            state_tags(&[(4, "iPhone")], &[4], TicketState::Claimed),
            [4],
            "a forum without state tags keeps its tags"
        );
    }
}
