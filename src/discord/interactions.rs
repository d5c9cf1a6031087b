//! Button and select presses on the bot's messages.

use super::Error;
use super::custom_id::{Action, ComponentId, SOMETHING_ELSE};
use super::data::Data;
use super::deferred::{Deferred, FIRST_ANSWER_DEADLINE};
use super::guard::{self, Target, Who};
use super::turns::Advanced;
use super::{form, post, render, tickets};
use crate::dialog::Event;
use crate::kb::{Device, ESCALATE, IntentId};
use crate::policy::{Action as PolicyAction, Authority, Denial};
use crate::store::{Link, TicketState};
use serenity::all::{
    ComponentInteraction, ComponentInteractionDataKind, Context, CreateInteractionResponse,
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
    let who = data
        .who(
            &ctx.http,
            &press.user,
            press.member.as_ref(),
            press.guild_id,
        )
        .await;
    if !who.home {
        return respond(ctx, press, guard::refusal(Denial::OtherGuild)).await;
    }
    if !data.interaction_allowed(who.user) {
        return respond(ctx, press, guard::slow_down()).await;
    }
    if matches!(id.action, Action::Review | Action::Relabel) {
        return super::review::on_press(ctx, press, data, &who, id).await;
    }
    let Some(action) = policy_action(id.action, &press.data.kind) else {
        tracing::warn!(kind = ?press.data.kind, "a component press without a usable value");
        return ephemeral(
            ctx,
            press,
            "I couldn't read that choice. Please pick again.",
        )
        .await;
    };
    // A person is reached through the hand-over form, and a form can only
    // be the first answer: it cannot follow an acknowledgement.
    if matches!(action, PolicyAction::OpenForm | PolicyAction::SomethingElse) {
        return open_form(ctx, press, data, &who, id.turn, action).await;
    }
    let reply = Deferred::press(ctx, press).await?;
    if let Some(to) = match id.action {
        Action::Claim => Some(TicketState::Claimed),
        Action::Resolve => Some(TicketState::Resolved),
        _ => None,
    } {
        return tickets::press(ctx, data, press, reply, &who, i64::from(id.turn), to).await;
    }
    let Some((sid, _)) = find_session(data, press).await else {
        return reply.private(&Denial::NoCase.message()).await;
    };
    // Its turn is read once no other event of the case is under way.
    let _one_at_a_time = data.one_at_a_time(sid).await;
    let current_turn = match data.load(sid).await {
        true => data.sessions().get_mut(sid).map(|s| s.turn),
        false => None,
    };
    let Some(current_turn) = current_turn else {
        return reply.private(&Denial::NoCase.message()).await;
    };
    // Who may press comes before which message: a stranger learns nothing
    // about the case from the answer.
    if let Authority::Denied(why) = data.authorize(&who, action, Target::Session(sid)).await {
        return reply.private(&why.message()).await;
    }
    if id.turn != current_turn {
        return reply.private(EARLIER_MESSAGE).await;
    }
    let Some(event) = event_for(id.action, &press.data.kind) else {
        tracing::warn!(kind = ?press.data.kind, "a component press without a usable value");
        return reply
            .private("I couldn't read that choice. Please pick again.")
            .await;
    };
    let turn = match data.advance(sid, event, &who, None).await {
        Advanced::Moved(turn) => turn,
        Advanced::Refused(why) => return reply.private(&why.message()).await,
        Advanced::Gone | Advanced::Applied => {
            return reply.private(&Denial::NoCase.message()).await;
        }
    };
    let Some(drawn_reply) = turn.reply else {
        // The acknowledgement is the whole answer: the message stays.
        data.persist(sid).await;
        return Ok(());
    };
    data.persist_turn(sid, &drawn_reply, press.channel_id.get())
        .await;
    if let Some(intent) = &drawn_reply.intent {
        tracing::Span::current().record("intent", intent.as_str());
    }
    reply.update(render::draw(&drawn_reply, turn.turn)).await?;
    post::after(ctx, data, sid, &drawn_reply).await
}

const EARLIER_MESSAGE: &str = "That's an earlier message. Use the buttons on the newest one.";

/// Opens the hand-over form, prefilled from the case, for one who may.
async fn open_form(
    ctx: &Context,
    press: &ComponentInteraction,
    data: &Data,
    who: &Who,
    pressed_turn: u32,
    action: PolicyAction,
) -> Result<(), Error> {
    let looked_up = tokio::time::timeout(FIRST_ANSWER_DEADLINE, async {
        let Some((sid, current_turn)) = find_session(data, press).await else {
            return Err(Denial::NoCase.message());
        };
        if let Authority::Denied(why) = data.authorize(who, action, Target::Session(sid)).await {
            return Err(why.message());
        }
        if pressed_turn != current_turn {
            return Err(EARLIER_MESSAGE.to_string());
        }
        Ok(data
            .sessions()
            .get_mut(sid)
            .map(|s| s.conversation.prefilled_form())
            .unwrap_or_default())
    })
    .await;
    let form = match looked_up {
        Ok(Ok(form)) => form,
        Ok(Err(why)) => return ephemeral(ctx, press, &why).await,
        Err(_) => {
            tracing::warn!("the look-ups before a form ran past their deadline");
            return ephemeral(
                ctx,
                press,
                "I'm slow to look your case up right now. Press the button again in a moment.",
            )
            .await;
        }
    };
    let opened_by = match action {
        PolicyAction::SomethingElse => Action::FormElse,
        _ => Action::Form,
    };
    let modal = form::modal(opened_by, pressed_turn, &form);
    respond(ctx, press, CreateInteractionResponse::Modal(modal)).await
}

/// What a press asks for, in the policy's words; `None` for a select
/// without a value.
fn policy_action(action: Action, kind: &ComponentInteractionDataKind) -> Option<PolicyAction> {
    Some(match action {
        Action::NextStep => PolicyAction::NextStep,
        Action::FixedIt => PolicyAction::FixedIt,
        Action::ShowAll => PolicyAction::ShowAll,
        Action::TalkToPerson => PolicyAction::OpenForm,
        Action::Device => PolicyAction::ChooseDevice,
        Action::Pick => match kind {
            ComponentInteractionDataKind::StringSelect { values } => {
                match values.first().map(String::as_str)? {
                    SOMETHING_ELSE => PolicyAction::SomethingElse,
                    // A reading that is itself a request for a person.
                    ESCALATE => PolicyAction::OpenForm,
                    _ => PolicyAction::PickReading,
                }
            }
            _ => return None,
        },
        Action::Form | Action::FormElse => PolicyAction::SubmitForm,
        Action::Claim => PolicyAction::Claim,
        Action::Resolve => PolicyAction::Resolve,
        Action::Review | Action::ReviewForm | Action::Relabel => PolicyAction::KbReview,
    })
}

/// The session a pressed message belongs to: by the message, else by the
/// thread or DM it is in. A press can arrive a moment before the bot has
/// linked a message it just posted, so a miss is retried briefly.
async fn find_session(data: &Data, press: &ComponentInteraction) -> Option<(u64, u32)> {
    for attempt in 0..3 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        let id = match data.find(Link::Message(press.message.id.get())).await {
            Some(id) => Some(id),
            None => data.find(Link::Channel(press.channel_id.get())).await,
        };
        let found = id.and_then(|sid| data.sessions().get_mut(sid).map(|s| (sid, s.turn)));
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
        Action::Form
        | Action::FormElse
        | Action::Claim
        | Action::Resolve
        | Action::Review
        | Action::ReviewForm
        | Action::Relabel => return None,
    })
}

async fn ephemeral(ctx: &Context, press: &ComponentInteraction, text: &str) -> Result<(), Error> {
    respond(ctx, press, guard::private(text)).await
}

async fn respond(
    ctx: &Context,
    press: &ComponentInteraction,
    response: CreateInteractionResponse,
) -> Result<(), Error> {
    press.create_response(&ctx.http, response).await?;
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
    fn every_press_is_a_policy_action() {
        let button = ComponentInteractionDataKind::Button;
        assert_eq!(
            policy_action(Action::TalkToPerson, &button),
            Some(PolicyAction::OpenForm)
        );
        assert_eq!(
            policy_action(Action::Pick, &select(&[SOMETHING_ELSE])),
            Some(PolicyAction::SomethingElse)
        );
        assert_eq!(
            policy_action(Action::Pick, &select(&["status-paused"])),
            Some(PolicyAction::PickReading)
        );
        assert_eq!(
            policy_action(Action::Pick, &select(&[ESCALATE])),
            Some(PolicyAction::OpenForm),
            "picking \"talk to a person\" is asking for the form"
        );
        assert_eq!(policy_action(Action::Pick, &button), None);
        for action in Action::ALL {
            let kind = if matches!(action, Action::Pick | Action::Device) {
                select(&["mac"])
            } else {
                button.clone()
            };
            assert!(policy_action(action, &kind).is_some(), "{action:?}");
        }
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
