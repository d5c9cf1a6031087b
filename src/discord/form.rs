//! The hand-over form: a modal asking what a person needs first, prefilled
//! from the conversation, and its submission.

use super::custom_id::{Action, ComponentId};
use super::data::Data;
use super::guard::{self, Target, Who};
use super::sessions::Session;
use super::turns::Advanced;
use super::{Error, post, render};
use crate::dialog::{CaseForm, Event};
use crate::policy::{Action as PolicyAction, Authority, Denial};
use crate::store::Link;
use serenity::all::{
    ActionRowComponent, Context, CreateActionRow, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateModal, InputTextStyle, ModalInteraction,
};

/// Field ids inside the modal; only ever read back by `read`.
const FIELDS: [&str; 5] = [
    "device_model",
    "os_version",
    "library_size",
    "status_text",
    "tried",
];

pub fn modal(turn: u32, form: &CaseForm) -> CreateModal {
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
        ComponentId::new(Action::Form, turn).to_string(),
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

pub async fn on_submit(ctx: &Context, submit: &ModalInteraction, data: &Data) -> Result<(), Error> {
    let respond = |response| submit.create_response(&ctx.http, response);
    let parsed = ComponentId::parse(&submit.data.custom_id)
        .ok()
        .filter(|id| id.action == Action::Form);
    if parsed.is_none() {
        respond(guard::private(
            "I couldn't read that form. Ask again and I'll start fresh.",
        ))
        .await?;
        return Ok(());
    }
    let who = Who::new(&submit.user, submit.member.as_ref(), submit.guild_id);
    if !data.is_home(who.guild) {
        respond(guard::refusal(Denial::OtherGuild)).await?;
        return Ok(());
    }
    if !data.interaction_allowed(who.user) {
        respond(guard::slow_down()).await?;
        return Ok(());
    }
    let found = match submit.message.as_ref() {
        Some(message) => data.find(Link::Message(message.id.get())).await,
        None => None,
    };
    let found = match found {
        Some(id) => Some(id),
        None => data.find(Link::Channel(submit.channel_id.get())).await,
    };
    let target = found.map_or(Target::Nothing, Target::Session);
    if let Authority::Denied(why) = data.authorize(&who, PolicyAction::SubmitForm, target).await {
        respond(guard::refusal(why)).await?;
        return Ok(());
    }
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
    let turn = match data
        .advance(sid, Event::SubmitForm(read(submit)), &who)
        .await
    {
        Advanced::Moved(turn) => turn,
        Advanced::Refused(why) => {
            respond(guard::refusal(why)).await?;
            return Ok(());
        }
        Advanced::Gone => {
            respond(guard::refusal(Denial::NoCase)).await?;
            return Ok(());
        }
    };
    let Some(reply) = turn.reply else {
        data.persist(sid).await;
        return Ok(());
    };
    data.persist_turn(sid, &reply, submit.channel_id.get())
        .await;
    let drawn = render::draw(&reply, turn.turn);
    let message = CreateInteractionResponseMessage::new()
        .content(drawn.content)
        .components(drawn.components)
        .allowed_mentions(render::no_mentions());
    respond(CreateInteractionResponse::Message(message)).await?;
    post::after(ctx, data, sid, &reply).await
}
