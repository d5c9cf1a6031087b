//! The hand-over form: a modal asking what a person needs first, prefilled
//! from the conversation, and its submission.

use super::custom_id::{Action, ComponentId};
use super::data::Data;
use super::deferred::{Deferred, FIRST_ANSWER_DEADLINE};
use super::guard::{self, Target, Who};
use super::sessions::{Session, SessionId};
use super::turns::Advanced;
use super::{Error, post, render};
use crate::dialog::{CaseForm, Event};
use crate::policy::{Action as PolicyAction, Authority, Denial};
use crate::store::Link;
use serenity::all::{
    ActionRowComponent, Context, CreateActionRow, CreateInputText, CreateModal, InputTextStyle,
    ModalInteraction,
};

/// Field ids inside the modal; only ever read back by `read`.
const FIELDS: [&str; 5] = [
    "device_model",
    "os_version",
    "library_size",
    "status_text",
    "tried",
];

/// `action`: `Form`, or `FormElse` when "Something else" opened it.
pub fn modal(action: Action, turn: u32, form: &CaseForm) -> CreateModal {
    let values = form.fields();
    let rows = FIELDS
        .iter()
        .zip(values)
        .map(|(id, (label, value))| {
            let (style, max) = if *id == "tried" {
                (InputTextStyle::Paragraph, 1_000)
            } else {
                (InputTextStyle::Short, 200)
            };
            let mut input = CreateInputText::new(style, label, *id)
                .required(false)
                .max_length(max);
            let value: String = value.chars().take(usize::from(max)).collect();
            if !value.is_empty() {
                input = input.value(value);
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    CreateModal::new(
        ComponentId::new(action, turn).to_string(),
        "Talk to a person",
    )
    .components(rows)
}

/// The form as submitted; unknown fields are ignored.
pub fn read(submit: &ModalInteraction) -> CaseForm {
    let mut form = CaseForm::default();
    for row in &submit.data.components {
        for component in &row.components {
            let ActionRowComponent::InputText(input) = component else {
                continue;
            };
            let value = input.value.clone().unwrap_or_default().trim().to_string();
            match input.custom_id.as_str() {
                "device_model" => form.device_model = value,
                "os_version" => form.os_version = value,
                "library_size" => form.library_size = value,
                "status_text" => form.status_text = value,
                "tried" => form.tried = value,
                _ => {}
            }
        }
    }
    form
}

/// The case a form is for, if any, once the policy lets `who` submit it.
async fn case_for(
    data: &Data,
    submit: &ModalInteraction,
    who: &Who,
) -> Result<Option<SessionId>, Denial> {
    let found = match submit.message.as_ref() {
        Some(message) => data.find(Link::Message(message.id.get())).await,
        None => None,
    };
    let found = match found {
        Some(id) => Some(id),
        None => data.find(Link::Channel(submit.channel_id.get())).await,
    };
    let target = found.map_or(Target::Nothing, Target::Session);
    match data.authorize(who, PolicyAction::SubmitForm, target).await {
        Authority::Allowed => Ok(found),
        Authority::Denied(why) => Err(why),
    }
}

pub async fn on_submit(ctx: &Context, submit: &ModalInteraction, data: &Data) -> Result<(), Error> {
    let respond = |response| submit.create_response(&ctx.http, response);
    let parsed = ComponentId::parse(&submit.data.custom_id)
        .ok()
        .filter(|id| {
            matches!(
                id.action,
                Action::Form | Action::FormElse | Action::ReviewForm
            )
        });
    let Some(parsed) = parsed else {
        respond(guard::private(
            "I couldn't read that form. Ask again and I'll start fresh.",
        ))
        .await?;
        return Ok(());
    };
    let who = data
        .who(
            &ctx.http,
            &submit.user,
            submit.member.as_ref(),
            submit.guild_id,
        )
        .await;
    if !who.home {
        respond(guard::refusal(Denial::OtherGuild)).await?;
        return Ok(());
    }
    if !data.interaction_allowed(who.user) {
        respond(guard::slow_down()).await?;
        return Ok(());
    }
    if parsed.action == Action::ReviewForm {
        return super::review::on_submit(ctx, submit, data, &who, parsed).await;
    }
    let (reply, found) = if submit.message.is_some() {
        let reply = Deferred::form(ctx, submit).await?;
        match case_for(data, submit, &who).await {
            Ok(found) => (reply, found),
            Err(why) => return reply.private(&why.message()).await,
        }
    } else {
        // A command's form is answered with a new message, and Discord
        // makes it as visible as the acknowledgement was: the checks come
        // first, so that a refusal stays private. Past the deadline it is
        // acknowledged anyway and checked again after.
        match tokio::time::timeout(FIRST_ANSWER_DEADLINE, case_for(data, submit, &who)).await {
            Ok(Err(why)) => {
                respond(guard::refusal(why)).await?;
                return Ok(());
            }
            Ok(Ok(found)) => (Deferred::form(ctx, submit).await?, found),
            Err(_) => {
                let reply = Deferred::form(ctx, submit).await?;
                match case_for(data, submit, &who).await {
                    Ok(found) => (reply, found),
                    Err(why) => return reply.private(&why.message()).await,
                }
            }
        }
    };
    // `/escalate` outside a conversation starts one, to carry the case.
    let sid = match found {
        Some(sid) => sid,
        None => {
            let id = submit.id.get();
            data.open(id, Session::new(who.user, None, false), None)
                .await;
            id
        }
    };
    let _one_at_a_time = data.one_at_a_time(sid).await;
    let turn = match data
        .advance(
            sid,
            Event::SubmitForm {
                form: read(submit),
                none_fit: parsed.action == Action::FormElse,
            },
            &who,
            None,
        )
        .await
    {
        Advanced::Moved(turn) => turn,
        Advanced::Refused(why) => return reply.private(&why.message()).await,
        Advanced::Gone | Advanced::Applied => {
            return reply.private(&Denial::NoCase.message()).await;
        }
    };
    let Some(answer) = turn.reply else {
        data.persist(sid).await;
        return reply.private("Thanks, I've noted that on your case.").await;
    };
    data.persist_turn(sid, &answer, submit.channel_id.get())
        .await;
    reply.post(render::draw(&answer, turn.turn)).await?;
    post::after(ctx, data, sid, &answer).await
}
