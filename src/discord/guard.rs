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

/// Who is acting, as an interaction says.
#[derive(Debug, Clone)]
pub struct Who {
    pub user: u64,
    pub roles: Vec<u64>,
    /// `None` in a DM.
    pub guild: Option<u64>,
}

impl Who {
    pub fn new(user: &User, member: Option<&Member>, guild: Option<GuildId>) -> Who {
        Who {
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
    /// False for an event from a guild other than `discord.guild_id` (when
    /// it is set); DMs are home.
    pub fn is_home(&self, guild: Option<u64>) -> bool {
        match (self.settings.discord.guild_id, guild) {
            (Some(home), Some(guild)) => home == guild,
            _ => true,
        }
    }

    /// May `who` do `action` to the session `sid` (`None`: outside any
    /// conversation)? The asker's open ticket is looked up only for a
    /// hand-over, the one action it decides.
    pub async fn authorize(&self, who: &Who, action: Action, sid: Option<SessionId>) -> Authority {
        let session = sid.and_then(|sid| {
            self.sessions()
                .get_mut(sid)
                .map(|s| (s.asker, CaseState::of(&s.conversation.stage)))
        });
        let asker = session.map(|(asker, _)| asker);
        let actor = Actor::of(
            who.user,
            asker,
            who.in_dm(),
            self.is_home(who.guild),
            self.is_staff(&who.roles),
        );
        let hand_over = matches!(
            action,
            Action::SomethingElse | Action::OpenForm | Action::SubmitForm | Action::Escalate
        );
        let open_ticket = if hand_over {
            self.unresolved_ticket(asker.unwrap_or(who.user)).await
        } else {
            None
        };
        let case = Case {
            state: session.map_or(CaseState::None, |(_, state)| state),
            open_ticket,
            staff_reachable: !who.in_dm() || self.settings.discord.escalation_channel.is_some(),
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
