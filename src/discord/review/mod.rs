//! The review queue on Discord, for staff: `/kb review` shows one item at a
//! time, privately, with a select of the readings; a pick labels it (the
//! `learn` service writes the example and the bot reloads), and the next
//! item takes its place. "Relabel" on a ticket post puts that case in
//! front of the person who pressed it.

mod draw;

pub use draw::draw;
use draw::{other_form, typed_intent};

use super::Error;
use super::custom_id::{Action, ComponentId, REVIEW_OTHER, REVIEW_SKIP};
use super::data::Data;
use super::deferred::Deferred;
use super::guard::{self, Target, Who};
use super::render::Drawn;
use crate::dialog::render::{clip, escape_markdown};
use crate::learn::{self, LabelError, Learned};
use crate::metrics::Metrics;
use crate::policy::{Action as PolicyAction, Authority};
use crate::review::{self, Change, Kept, Label, Noticed, Reason, Resolved, Source, State};
use serenity::all::{
    ComponentInteraction, ComponentInteractionDataKind, Context, CreateInteractionResponse,
    ModalInteraction,
};

/// A press on a review select or a ticket's "Relabel": staff only, like
/// every support-team tool.
pub async fn on_press(
    ctx: &Context,
    press: &ComponentInteraction,
    data: &Data,
    who: &Who,
    id: ComponentId,
) -> Result<(), Error> {
    if let Some(refusal) = refusal(data, who).await {
        press.create_response(&ctx.http, refusal).await?;
        return Ok(());
    }
    let item = i64::from(id.turn);
    if id.action == Action::Relabel {
        let reply = Deferred::private_press(ctx, press).await?;
        let drawn = relabel(data, item).await;
        return reply.update(drawn).await;
    }
    let value = match &press.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => values.first().cloned(),
        _ => None,
    };
    let Some(value) = value else {
        press
            .create_response(
                &ctx.http,
                guard::private("I couldn't read that choice. Please pick again."),
            )
            .await?;
        return Ok(());
    };
    if value == REVIEW_OTHER {
        // A form must be the first answer: no store work before it.
        press
            .create_response(
                &ctx.http,
                CreateInteractionResponse::Modal(other_form(id.turn)),
            )
            .await?;
        return Ok(());
    }
    let reply = Deferred::press(ctx, press).await?;
    let note = if value == REVIEW_SKIP {
        skip(data, item).await
    } else {
        match Label::parse(&value) {
            Some(label) => apply(data, item, label, who.user).await,
            None => "I couldn't read that choice. Please pick again.".to_string(),
        }
    };
    reply.update(next(data, &note).await).await
}

/// The "Another intent…" form, submitted.
pub async fn on_submit(
    ctx: &Context,
    submit: &ModalInteraction,
    data: &Data,
    who: &Who,
    id: ComponentId,
) -> Result<(), Error> {
    if let Some(refusal) = refusal(data, who).await {
        submit.create_response(&ctx.http, refusal).await?;
        return Ok(());
    }
    // Opened from a review message, a form updates it; one without (not
    // something the bot draws) is answered privately all the same.
    let reply = if submit.message.is_some() {
        Deferred::form(ctx, submit).await?
    } else {
        Deferred::private_form(ctx, submit).await?
    };
    let item = i64::from(id.turn);
    let typed = typed_intent(submit);
    let resolved = review::resolve(&data.engine.current().kb, &typed);
    let note = match resolved {
        Resolved::Found(label) => apply(data, item, label, who.user).await,
        Resolved::Unknown { closest } => {
            let hint = match closest.as_slice() {
                [] => "Type an intent id or title, or `none`.".to_string(),
                ids => format!(
                    "Did you mean {}?",
                    ids.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            format!(
                "There's no intent “{}”. {hint}",
                escape_markdown(&clip(&typed, 100))
            )
        }
    };
    let drawn = match data.store.review_item(item).await {
        Ok(Some(found)) if found.state == State::Open => {
            draw(&found, &data.engine.current().kb, &note)
        }
        _ => next(data, &note).await,
    };
    reply.update(drawn).await
}

/// The policy's private answer when `who` may not review, or `None`.
async fn refusal(data: &Data, who: &Who) -> Option<CreateInteractionResponse> {
    match data
        .authorize(who, PolicyAction::KbReview, Target::Nothing)
        .await
    {
        Authority::Allowed => None,
        Authority::Denied(why) => Some(guard::refusal(why)),
    }
}

/// `/kb review`: the item asked for, or the next open one; with an intent,
/// labels it first.
pub async fn command(data: &Data, who: &Who, item: Option<i64>, intent: Option<&str>) -> Drawn {
    match (item, intent) {
        (Some(item), Some(typed)) => {
            let note = match review::resolve(&data.engine.current().kb, typed) {
                Resolved::Found(label) => apply(data, item, label, who.user).await,
                Resolved::Unknown { closest } => format!(
                    "There's no intent “{}”.{}",
                    escape_markdown(&clip(typed, 100)),
                    closest
                        .first()
                        .map(|c| format!(" Did you mean `{c}`?"))
                        .unwrap_or_default()
                ),
            };
            next(data, &note).await
        }
        (Some(item), None) => match data.store.review_item(item).await {
            Ok(Some(found)) => draw(&found, &data.engine.current().kb, ""),
            Ok(None) => next(data, &format!("There's no review item #{item}.")).await,
            Err(err) => failed(&err),
        },
        (None, Some(_)) => {
            next(
                data,
                "Name the item to label: `/kb review item:<number> intent:<intent>`.",
            )
            .await
        }
        (None, None) => next(data, "").await,
    }
}

/// Labels item `item` and says how it went, reloading the matcher so the
/// bot answers the text from now on.
async fn apply(data: &Data, item: i64, label: Label, by: u64) -> String {
    let place = data.kb_place();
    match learn::label(data.store.as_ref(), &place, item, label, by).await {
        Ok(learned) => {
            Metrics::bump(&data.metrics.review_labelled);
            let reloaded = super::reload::reload(
                &place,
                data.store.as_ref(),
                data.settings.thresholds,
                &data.engine,
                &data.metrics,
            )
            .await;
            let learnt = if reloaded.is_ok() {
                "and I've learnt it"
            } else {
                "but the reload failed, so I'll know it after the next one (see the log)"
            };
            format!(
                "Labelled #{item} as `{}`: {}, {learnt}.",
                label_of(&learned),
                whence(&learned)
            )
        }
        Err(LabelError::AlreadyLabelled(item)) => match &item.state {
            State::Labelled { label, by: 0, .. } => {
                format!(
                    "#{} was labelled `{label}` already, from the terminal.",
                    item.id
                )
            }
            State::Labelled { label, by, .. } => {
                format!("#{} was labelled `{label}` already, by <@{by}>.", item.id)
            }
            _ => format!("#{} was labelled already.", item.id),
        },
        Err(err) => {
            tracing::warn!(item, error = %err, "a review label did not land");
            format!(
                "#{item} was not labelled: {}",
                escape_markdown(&clip(&err.to_string(), 1_200))
            )
        }
    }
}

fn label_of(learned: &Learned) -> String {
    match &learned.item.state {
        State::Labelled { label, .. } => label.to_string(),
        _ => learned.file.clone(),
    }
}

fn whence(learned: &Learned) -> String {
    match (learned.kept, learned.known) {
        (_, true) => format!("`{}` has it already", learned.file),
        (Kept::File, false) => format!("added to `{}`", learned.file),
        (Kept::Store, false) => format!(
            "kept in the store over the read-only knowledge base (`syncmedic review export DIR` writes it to `{}`)",
            learned.file
        ),
    }
}

async fn skip(data: &Data, item: i64) -> String {
    match data.store.review_skip(item).await {
        Ok(Some(Change::Made(_))) => format!("Skipped #{item}."),
        Ok(Some(Change::Refused(_))) => format!("#{item} isn't open any more."),
        Ok(None) => format!("There's no review item #{item}."),
        Err(err) => {
            tracing::error!(error = %err, "could not skip a review item");
            format!("I couldn't skip #{item}: the store failed. Try again.")
        }
    }
}

/// The next open item, under `note`; or that the queue is empty.
async fn next(data: &Data, note: &str) -> Drawn {
    match data.store.review_open(1).await {
        Ok(items) => match items.first() {
            Some(item) => draw(item, &data.engine.current().kb, note),
            None => text(format!("{note}\nThe review queue is empty.").trim_start()),
        },
        Err(err) => failed(&err),
    }
}

/// A ticket's case as a review item: the text the asker opened it with,
/// labelled from here as staff see fit.
async fn relabel(data: &Data, ticket: i64) -> Drawn {
    let found = match data.store.ticket(ticket).await {
        Ok(Some(found)) => found,
        Ok(None) => return text(&format!("There's no ticket #{ticket}.")),
        Err(err) => return failed(&err),
    };
    let record = match data.store.get(found.conversation).await {
        Ok(Some(record)) => record,
        Ok(None) => {
            return text(&format!(
                "Ticket #{ticket}'s conversation is no longer kept."
            ));
        }
        Err(err) => return failed(&err),
    };
    // The item the case already has ("Something else" queued the reading
    // the user turned down), else the message that opened it.
    let said = match data.store.review_for_conversation(found.conversation).await {
        Ok(Some(item)) => item.text,
        Ok(None) => match record.conversation.said.first() {
            Some(said) => said.clone(),
            None => {
                return text(&format!(
                    "Ticket #{ticket}'s case has no message from the asker to learn from."
                ));
            }
        },
        Err(err) => return failed(&err),
    };
    let engine = data.engine.current();
    let noticed = Noticed {
        reason: Reason::StaffRelabelled,
        text: review::bounded(&said),
        readings: review::readings(&engine, &said),
    };
    let id = match data
        .store
        .review_add(noticed, Source::conversation(found.conversation))
        .await
    {
        Ok(id) => id,
        Err(err) => return failed(&err),
    };
    match data.store.review_item(id).await {
        Ok(Some(item)) => draw(
            &item,
            &engine.kb,
            &format!("Ticket #{ticket}'s case. Which problem was it really?"),
        ),
        Ok(None) => text("The item went missing. Try again."),
        Err(err) => failed(&err),
    }
}

fn failed(err: &crate::store::StoreError) -> Drawn {
    tracing::error!(error = %err, "the review queue could not be read");
    text("I couldn't read the review queue just now. Try again in a moment.")
}

fn text(content: &str) -> Drawn {
    Drawn {
        content: content.to_string(),
        components: Vec::new(),
    }
}
