//! The facts Discord gives about an interaction, turned into the questions
//! `policy::authorize` answers. Every press, form and command comes
//! through here, so none of them can skip the rule or spell it differently.

use super::data::Data;
use super::limits::RateVerdict;
use super::render::no_mentions;
use super::sessions::SessionId;
use crate::policy::{self, Action, Actor, Authority, Case, CaseState, Denial};
use serenity::all::{
    CreateInteractionResponse, CreateInteractionResponseMessage, GuildId, Member, User,
};

/// What an action is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// No conversation: a command outside any.
    Nothing,
    /// A conversation the bot has.
    Session(SessionId),
    /// A conversation being started for `asker` (who may not be the one
    /// acting: the message menu answers someone else's message).
    /// `own_thread`: it will run in a thread or forum post of its own.
    New { asker: u64, own_thread: bool },
}

/// Who is acting, as an interaction says.
#[derive(Debug, Clone)]
pub struct Who {
    pub user: u64,
    pub roles: Vec<u64>,
    /// `None` in a DM.
    pub guild: Option<u64>,
    /// From the bot's home guild, or a DM from one of its members
    /// (`Data::who` finds out).
    pub home: bool,
}

impl Who {
    pub fn new(user: &User, member: Option<&Member>, guild: Option<GuildId>, home: bool) -> Who {
        Who {
            home,
            user: user.id.get(),
            roles: member
                .map(|m| m.roles.iter().map(|r| r.get()).collect())
                .unwrap_or_default(),
            guild: guild.map(GuildId::get),
        }
    }

    fn in_dm(&self) -> bool {
        self.guild.is_none()
    }
}

impl Data {
    /// May `who` do `action` to `target`? The asker's open ticket is
    /// looked up only for a hand-over, the one action it decides.
    pub async fn authorize(&self, who: &Who, action: Action, target: Target) -> Authority {
        // (asker, state, has a thread or post of its own)
        let case = match target {
            Target::Nothing => None,
            Target::Session(sid) => {
                let found = self
                    .sessions()
                    .get_mut(sid)
                    .map(|s| (s.asker, CaseState::of(&s.conversation), s.thread.is_some()));
                // Forgotten between finding it and asking: not "no case",
                // which anyone may escalate.
                let Some(found) = found else {
                    return Authority::Denied(Denial::NoCase);
                };
                Some(found)
            }
            Target::New { asker, own_thread } => Some((asker, CaseState::Open, own_thread)),
        };
        let asker = case.map(|(asker, _, _)| asker);
        let actor = Actor::of(
            who.user,
            asker,
            who.in_dm(),
            who.home,
            self.is_staff(&who.roles),
        );
        let hand_over = matches!(
            action,
            Action::SomethingElse | Action::OpenForm | Action::SubmitForm | Action::Escalate
        );
        let open_ticket = if hand_over && actor != Actor::OtherGuild {
            self.unresolved_ticket(asker.unwrap_or(who.user)).await
        } else {
            None
        };
        // Where a ticket would go: the escalation channel, else the case's
        // own thread or post. A DM, a reply to one message or a command
        // outside a case has nowhere staff look.
        let staff_reachable = self.settings.discord.escalation_channel.is_some()
            || case.is_some_and(|(_, _, own_thread)| own_thread);
        let case = Case {
            state: case.map_or(CaseState::None, |(_, state, _)| state),
            open_ticket,
            staff_reachable,
        };
        let verdict = policy::authorize(actor, action, &case);
        if let Authority::Denied(why) = verdict {
            tracing::info!(?actor, ?action, ?why, "refused");
        }
        verdict
    }

    async fn unresolved_ticket(&self, asker: u64) -> Option<i64> {
        match self.store.unresolved_ticket(asker).await {
            Ok(ticket) => ticket.map(|t| t.id),
            Err(err) => {
                // The store's own rule still keeps it to one ticket.
                tracing::error!(error = %err, "could not look up the asker's tickets");
                None
            }
        }
    }

    /// The per-user reply allowance, for an interaction: it always gets an
    /// answer (Discord shows a failure otherwise), so an over-limit press
    /// is told privately, every time. The global valve is for gateway
    /// replies; interaction callbacks do not count against Discord's limit.
    pub fn interaction_allowed(&self, user: u64) -> bool {
        self.may_reply_as(user, false) == RateVerdict::Go
    }
}

/// The private line a refused press, form or command gets.
pub fn refusal(denial: Denial) -> CreateInteractionResponse {
    private(&denial.message())
}

/// The private line for someone over their reply allowance.
pub fn slow_down() -> CreateInteractionResponse {
    private("You're going faster than I can keep up. Give me a moment, then try again.")
}

pub fn private(text: &str) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    )
}
