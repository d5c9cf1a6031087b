//! Button and select presses on the bot's messages.

use super::Error;
use super::custom_id::{Action, ComponentId, SOMETHING_ELSE};
use super::data::Data;
use super::{form, post, render, tickets};
use crate::dialog::Event;
use crate::kb::{Device, IntentId};
use crate::store::{Link, TicketState};
use serenity::all::{
    ComponentInteraction, ComponentInteractionDataKind, Context, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};

pub async fn on_component(
    ctx: &Context,
    press: &ComponentInteraction,
    data: &Data,
) -> Result<(), Error> {
    let id = match ComponentId::parse(&press.data.custom_id) {
        Ok(id) => id,
        Err(err) => {
            tracing::warn!(error = %err, "a component id that is not ours");
            return ephemeral(
                ctx,
                press,
                "That button isn't one I recognise. Ask your question again and I'll start fresh.",
            )
            .await;
        }
    };
    let roles: Vec<u64> = press
        .member
        .as_ref()
        .map(|m| m.roles.iter().map(|r| r.get()).collect())
        .unwrap_or_default();
    let to = match id.action {
        Action::Claim => Some(TicketState::Claimed),
        Action::Resolve => Some(TicketState::Resolved),
        _ => None,
    };
    if let Some(to) = to {
        return tickets::press(ctx, data, press, i64::from(id.turn), to, &roles).await;
    }
    let Some((sid, current_turn, asker)) = find_session(data, press).await else {
        return ephemeral(
            ctx,
            press,
            "This conversation is no longer open. Ask your question again and I'll start fresh.",
        )
        .await;
    };
    if id.turn != current_turn {
        return ephemeral(
            ctx,
            press,
            "That's an earlier message. Use the buttons on the newest one.",
        )
        .await;
    }
    let user = press.user.id.get();
    if matches!(id.action, Action::FixedIt | Action::TalkToPerson)
        && user != asker
        && !data.is_staff(&roles)
    {
        return ephemeral(
            ctx,
            press,
            "Only the person who asked, or the support team, can do that.",
        )
        .await;
    }
    // A person is reached through the hand-over form: ask for it first.
    let wants_person = match (id.action, &press.data.kind) {
        (Action::TalkToPerson, _) => true,
        (Action::Pick, ComponentInteractionDataKind::StringSelect { values }) => {
            values.first().map(String::as_str) == Some(SOMETHING_ELSE)
        }
        _ => false,
    };
    if wants_person {
        let form = data
            .sessions()
            .get_mut(sid)
            .map(|s| s.conversation.prefilled_form())
            .unwrap_or_default();
        let modal = form::modal(current_turn, &form);
        press
            .create_response(&ctx.http, CreateInteractionResponse::Modal(modal))
            .await?;
        return Ok(());
    }
    let Some(event) = event_for(id.action, &press.data.kind) else {
        tracing::warn!(kind = ?press.data.kind, "a component press without a usable value");
        return ephemeral(
            ctx,
            press,
            "I couldn't read that choice. Please pick again.",
        )
        .await;
    };
    let Some(turn) = data.advance(sid, event) else {
        return ephemeral(
            ctx,
            press,
            "This conversation is no longer open. Ask your question again and I'll start fresh.",
        )
        .await;
    };
    data.persist(sid).await;
    let Some(reply) = turn.reply else {
        return Ok(());
    };
    if let Some(intent) = &reply.intent {
        tracing::Span::current().record("intent", intent.as_str());
    }
    let drawn = render::draw(&reply, turn.turn);
    let update = CreateInteractionResponseMessage::new()
        .content(drawn.content)
        .components(drawn.components)
        .allowed_mentions(render::no_mentions());
    press
        .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
        .await?;
    post::after(ctx, data, sid, press.channel_id, &reply).await
}

/// The session a pressed message belongs to: by the message, else by the
/// thread or DM it is in. A press can arrive a moment before the bot has
/// linked a message it just posted, so a miss is retried briefly.
async fn find_session(data: &Data, press: &ComponentInteraction) -> Option<(u64, u32, u64)> {
    for attempt in 0..3 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        let id = match data.find(Link::Message(press.message.id.get())).await {
            Some(id) => Some(id),
            None => data.find(Link::Channel(press.channel_id.get())).await,
        };
        let found = id.and_then(|sid| data.sessions().get_mut(sid).map(|s| (sid, s.turn, s.asker)));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The dialog event a press stands for; `None` for a select without a
/// value we know.
fn event_for(action: Action, kind: &ComponentInteractionDataKind) -> Option<Event> {
    let value = || match kind {
        ComponentInteractionDataKind::StringSelect { values } => values.first().map(String::as_str),
        _ => None,
    };
    Some(match action {
        Action::NextStep => Event::NextStep,
        Action::FixedIt => Event::FixedIt,
        Action::ShowAll => Event::ShowAll,
        Action::TalkToPerson => Event::TalkToPerson,
        Action::Device => Event::ChooseDevice(Device::from_slug(value()?)?),
        Action::Pick => match value()? {
            SOMETHING_ELSE => Event::SomethingElse,
            other => Event::ChooseIntent(IntentId::parse(other)?),
        },
        Action::Form | Action::Claim | Action::Resolve => return None,
    })
}

async fn ephemeral(ctx: &Context, press: &ComponentInteraction, text: &str) -> Result<(), Error> {
    let message = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(render::no_mentions());
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(values: &[&str]) -> ComponentInteractionDataKind {
        ComponentInteractionDataKind::StringSelect {
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn presses_map_to_dialog_events() {
        assert_eq!(
            event_for(Action::NextStep, &ComponentInteractionDataKind::Button),
            Some(Event::NextStep)
        );
        assert_eq!(
            event_for(Action::Device, &select(&["mac"])),
            Some(Event::ChooseDevice(Device::Mac))
        );
        assert_eq!(
            event_for(Action::Pick, &select(&[SOMETHING_ELSE])),
            Some(Event::SomethingElse)
        );
        assert_eq!(
            event_for(Action::Pick, &select(&["status-paused"])),
            IntentId::parse("status-paused").map(Event::ChooseIntent)
        );
    }

    #[test]
    fn forged_select_values_are_refused() {
        assert_eq!(event_for(Action::Device, &select(&["android"])), None);
        assert_eq!(event_for(Action::Device, &select(&[])), None);
        assert_eq!(
            event_for(Action::Device, &ComponentInteractionDataKind::Button),
            None
        );
        assert_eq!(event_for(Action::Pick, &select(&["DROP TABLE"])), None);
    }
}
