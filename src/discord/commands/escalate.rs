//! `/escalate` — ask for a person, with the hand-over form.

use super::super::form;
use super::{Context, Error, span};
use crate::dialog::CaseForm;
use crate::discord::deferred::FIRST_ANSWER_DEADLINE;
use crate::discord::guard::Target;
use crate::policy::Action;
use crate::store::Link;
use poise::serenity_prelude::CreateInteractionResponse;
use tracing::Instrument as _;

/// Ask for a person from the support team; your case goes with it.
#[poise::command(slash_command)]
pub async fn escalate(ctx: Context<'_>) -> Result<(), Error> {
    async move {
        let poise::Context::Application(app) = ctx else {
            return Ok(());
        };
        let data = ctx.data();
        // The form must be the first answer, within Discord's 3 s: the
        // look-ups before it get a deadline, and past it the user is asked
        // to run the command again rather than shown a failure. Only
        // look-ups run under it: whatever is sent, is sent once, after.
        let looked_up = tokio::time::timeout(FIRST_ANSWER_DEADLINE, async {
            // In a conversation's thread or DM, its case is prefilled; in
            // someone else's, the policy refuses.
            let existing = data.find(Link::Channel(ctx.channel_id().get())).await;
            let target = existing.map_or(Target::Nothing, Target::Session);
            if let Some(refusal) = super::refusal(ctx, Action::Escalate, target).await {
                return Err(refusal);
            }
            Ok(existing
                .and_then(|id| {
                    data.sessions()
                        .get_mut(id)
                        .map(|s| (s.turn, s.conversation.prefilled_form()))
                })
                .unwrap_or((0, CaseForm::default())))
        })
        .await;
        let (turn, prefilled) = match looked_up {
            Ok(Ok(form)) => form,
            Ok(Err(refusal)) => return super::refuse(ctx, refusal).await,
            Err(_) => {
                tracing::warn!("the look-ups before /escalate's form ran past their deadline");
                ctx.send(
                    poise::CreateReply::default()
                        .content("I'm slow to look your case up right now. Run `/escalate` again in a moment.")
                        .ephemeral(true),
                )
                .await?;
                return Ok(());
            }
        };
        app.interaction
            .create_response(
                &ctx.serenity_context().http,
                CreateInteractionResponse::Modal(form::modal(
                    crate::discord::custom_id::Action::Form,
                    turn,
                    &prefilled,
                )),
            )
            .await?;
        Ok(())
    }
    .instrument(span(ctx))
    .await
}
