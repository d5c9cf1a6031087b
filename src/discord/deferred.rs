//! Interactions acknowledged first and answered afterwards.
//!
//! Discord gives an interaction 3 s for its first answer and then forgets
//! the token; a press that waits on the store (a busy disk, a lock held by
//! `syncmedic chat` on the same database) would miss it and leave the case
//! stuck behind a "This interaction failed". So every press and form that
//! touches the store is acknowledged before it does, and its real answer
//! goes out through the interaction's webhook, which stays valid for 15
//! minutes.

use super::Error;
use super::render::{Drawn, no_mentions};
use serenity::all::{
    ComponentInteraction, Context, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, EditInteractionResponse, ModalInteraction,
};

/// How long the look-ups before an answer that cannot wait for an
/// acknowledgement (a form must be the first answer) may take, of the 3 s
/// Discord allows. Past it the user is asked to try again rather than
/// shown "This interaction failed".
pub const FIRST_ANSWER_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// The interaction being answered.
#[derive(Clone, Copy)]
enum Source<'a> {
    Press(&'a ComponentInteraction),
    Form(&'a ModalInteraction),
}

/// What the acknowledgement promised the user would see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Promise {
    /// "Working on it" on the pressed message, which the answer replaces
    /// (DEFERRED_UPDATE_MESSAGE).
    Update,
    /// "Thinking…" as a new message, which the answer replaces
    /// (DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE): a form opened by a command
    /// has no message of its own to update.
    NewMessage,
}

/// An acknowledged interaction. Answer it once, with one of the methods
/// that take `self`: a second answer cannot be written.
pub struct Deferred<'a> {
    ctx: &'a Context,
    source: Source<'a>,
    promise: Promise,
}

impl<'a> Deferred<'a> {
    /// Acknowledges a button or select press; its answer updates the
    /// pressed message.
    pub async fn press(ctx: &'a Context, press: &'a ComponentInteraction) -> Result<Self, Error> {
        press.defer(&ctx.http).await?;
        Ok(Deferred {
            ctx,
            source: Source::Press(press),
            promise: Promise::Update,
        })
    }

    /// Acknowledges a press whose answer is a new message only the presser
    /// sees ("Relabel" on a ticket post: the post itself stays).
    pub async fn private_press(
        ctx: &'a Context,
        press: &'a ComponentInteraction,
    ) -> Result<Self, Error> {
        Self::privately(ctx, Source::Press(press)).await
    }

    /// Acknowledges a submitted form whose answer only the submitter sees,
    /// as a new message.
    pub async fn private_form(
        ctx: &'a Context,
        submit: &'a ModalInteraction,
    ) -> Result<Self, Error> {
        Self::privately(ctx, Source::Form(submit)).await
    }

    /// "Thinking…" that only the person who acted sees, which the answer
    /// replaces.
    async fn privately(ctx: &'a Context, source: Source<'a>) -> Result<Self, Error> {
        let thinking = CreateInteractionResponse::Defer(
            CreateInteractionResponseMessage::new().ephemeral(true),
        );
        match source {
            Source::Press(press) => press.create_response(&ctx.http, thinking).await?,
            Source::Form(submit) => submit.create_response(&ctx.http, thinking).await?,
        }
        Ok(Deferred {
            ctx,
            source,
            promise: Promise::NewMessage,
        })
    }

    /// Acknowledges a submitted form. One opened from a message's button
    /// is answered below that message; one opened by `/escalate` in the
    /// message that says "thinking".
    pub async fn form(ctx: &'a Context, submit: &'a ModalInteraction) -> Result<Self, Error> {
        let promise = if submit.message.is_some() {
            submit.defer(&ctx.http).await?;
            Promise::Update
        } else {
            let thinking =
                CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new());
            submit.create_response(&ctx.http, thinking).await?;
            Promise::NewMessage
        };
        Ok(Deferred {
            ctx,
            source: Source::Form(submit),
            promise,
        })
    }

    /// Replaces the pressed message with `drawn`.
    pub async fn update(self, drawn: Drawn) -> Result<(), Error> {
        self.edit_original(drawn).await
    }

    /// Posts `drawn` as a new message in the channel the form was sent
    /// from (for a command's form, in place of its "thinking").
    pub async fn post(self, drawn: Drawn) -> Result<(), Error> {
        if self.promise == Promise::NewMessage {
            return self.edit_original(drawn).await;
        }
        let message = CreateInteractionResponseFollowup::new()
            .content(drawn.content)
            .components(drawn.components)
            .allowed_mentions(no_mentions());
        self.followup(message).await
    }

    /// A line only the person who acted sees; the pressed message stays as
    /// it was. After a command's form the "thinking" message can only
    /// become the line itself, in the channel: Discord gives the first
    /// answer after that acknowledgement the visibility the acknowledgement
    /// had. That happens only when a ticket was opened between the command
    /// (which asked the policy already) and the form's submission.
    pub async fn private(self, text: &str) -> Result<(), Error> {
        if self.promise == Promise::NewMessage {
            let line = Drawn {
                content: text.to_string(),
                components: Vec::new(),
            };
            return self.edit_original(line).await;
        }
        let message = CreateInteractionResponseFollowup::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(no_mentions());
        self.followup(message).await
    }

    async fn edit_original(self, drawn: Drawn) -> Result<(), Error> {
        let edit = EditInteractionResponse::new()
            .content(drawn.content)
            .components(drawn.components)
            .allowed_mentions(no_mentions());
        let http = &self.ctx.http;
        match self.source {
            Source::Press(press) => press.edit_response(http, edit).await?,
            Source::Form(submit) => submit.edit_response(http, edit).await?,
        };
        Ok(())
    }

    async fn followup(self, message: CreateInteractionResponseFollowup) -> Result<(), Error> {
        let http = &self.ctx.http;
        match self.source {
            Source::Press(press) => press.create_followup(http, message).await?,
            Source::Form(submit) => submit.create_followup(http, message).await?,
        };
        Ok(())
    }
}
