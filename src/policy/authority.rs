//! `authorize`: one answer to "may this person do this to this case?" for
//! every entry point (a typed message, a button, a select, the hand-over
//! form, a command). The adapter only works out the facts.

/// Who is acting, relative to the case and to the bot's home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The person whose case it is, in the bot's guild.
    Asker,
    /// A member with the configured staff role.
    Staff,
    /// Anyone else in the bot's guild.
    Member,
    /// Someone in a guild the bot was not set up for (only when
    /// `discord.guild_id` is set).
    OtherGuild,
    /// The asker, in a direct message with the bot: no roles to read there.
    Dm,
}

impl Actor {
    pub const ALL: [Actor; 5] = [
        Actor::Asker,
        Actor::Staff,
        Actor::Member,
        Actor::OtherGuild,
        Actor::Dm,
    ];

    /// Works the actor out from what an event says. `asker` is the case's
    /// asker when there is a case; `home` is false only for a guild other
    /// than the configured one. The asker wins over staff: a staff member
    /// with a problem of their own answers their own case by typing.
    pub fn of(user: u64, asker: Option<u64>, in_dm: bool, home: bool, staff: bool) -> Actor {
        if !home {
            Actor::OtherGuild
        } else if in_dm {
            match asker {
                Some(asker) if asker != user => Actor::Member,
                _ => Actor::Dm,
            }
        } else if asker == Some(user) {
            Actor::Asker
        } else if staff {
            Actor::Staff
        } else {
            Actor::Member
        }
    }

    fn label(self) -> &'static str {
        match self {
            Actor::Asker => "asker",
            Actor::Staff => "staff",
            Actor::Member => "other member",
            Actor::OtherGuild => "other guild",
            Actor::Dm => "DM",
        }
    }
}

/// Everything a person can ask of the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A new question: a message, `/fix`, `/status`, the message menu.
    Ask,
    NextStep,
    FixedIt,
    ShowAll,
    ChooseDevice,
    PickReading,
    SomethingElse,
    /// "Talk to a person": the hand-over form opens.
    OpenForm,
    SubmitForm,
    /// The `/escalate` command.
    Escalate,
    Claim,
    Resolve,
    KbStats,
    KbReload,
    /// `/kb review`, a pick in its select, and "Relabel" on a ticket post.
    KbReview,
    /// A typed message that would move someone's case on.
    TypedFollowUp,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::Ask,
        Action::NextStep,
        Action::FixedIt,
        Action::ShowAll,
        Action::ChooseDevice,
        Action::PickReading,
        Action::SomethingElse,
        Action::OpenForm,
        Action::SubmitForm,
        Action::Escalate,
        Action::Claim,
        Action::Resolve,
        Action::KbStats,
        Action::KbReload,
        Action::KbReview,
        Action::TypedFollowUp,
    ];

    fn label(self) -> &'static str {
        match self {
            Action::Ask => "ask a new question",
            Action::NextStep => "Next step",
            Action::FixedIt => "That fixed it",
            Action::ShowAll => "Show all",
            Action::ChooseDevice => "choose the device",
            Action::PickReading => "pick a reading (Did you mean)",
            Action::SomethingElse => "Something else",
            Action::OpenForm => "Talk to a person (open the form)",
            Action::SubmitForm => "submit the form",
            Action::Escalate => "/escalate",
            Action::Claim => "Claim a ticket",
            Action::Resolve => "Resolve a ticket",
            Action::KbStats => "/kb stats",
            Action::KbReload => "/kb reload",
            Action::KbReview => "/kb review, its picks, Relabel",
            Action::TypedFollowUp => "typed follow-up in a case",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Action::Ask => Kind::Ask,
            Action::NextStep
            | Action::FixedIt
            | Action::ShowAll
            | Action::ChooseDevice
            | Action::PickReading
            | Action::TypedFollowUp => Kind::Steer,
            Action::SomethingElse | Action::OpenForm | Action::SubmitForm | Action::Escalate => {
                Kind::HandOver
            }
            Action::Claim
            | Action::Resolve
            | Action::KbStats
            | Action::KbReload
            | Action::KbReview => Kind::Staff,
        }
    }
}

/// The four families the rules are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ask,
    /// Moves a case along: only its asker (or staff, except by typing).
    Steer,
    /// Reaches a person: its asker or staff, one open ticket at a time.
    HandOver,
    /// Support-team tools.
    Staff,
}

/// Where the case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    /// No case here: a command outside any conversation.
    None,
    Open,
    Escalated,
    Resolved,
}

impl CaseState {
    /// A solved case that still waits for the user's answer (which step
    /// did it) is open: the answer is typed without a mention.
    pub fn of(conversation: &crate::dialog::Conversation) -> CaseState {
        use crate::dialog::Stage;
        match &conversation.stage {
            Stage::Escalated { .. } => CaseState::Escalated,
            Stage::Resolved { .. } if conversation.awaits_answer() => CaseState::Open,
            Stage::Resolved { .. } => CaseState::Resolved,
            Stage::Idle
            | Stage::Clarifying { .. }
            | Stage::AskingDevice { .. }
            | Stage::Guiding { .. } => CaseState::Open,
        }
    }
}

/// The facts about the case an action is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    pub state: CaseState,
    /// The asker's ticket that staff have not resolved yet, if any.
    pub open_ticket: Option<i64>,
    /// Whether a hand-over from here reaches staff: false without an
    /// escalation channel where the case has no thread or post of its own
    /// (a DM, a reply to one message), where the post would land in front
    /// of the user and no staff look.
    pub staff_reachable: bool,
}

impl Case {
    /// No case, staff reachable: commands run outside a conversation.
    pub const NONE: Case = Case {
        state: CaseState::None,
        open_ticket: None,
        staff_reachable: true,
    };

    /// An open case with no ticket, staff reachable: the usual situation.
    pub const OPEN: Case = Case {
        state: CaseState::Open,
        open_ticket: None,
        staff_reachable: true,
    };
}

/// Why an action was refused; each has the line shown to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    OtherGuild,
    StaffOnly,
    NotYourCase,
    NoCase,
    TicketOpen(i64),
    NoStaffHere,
}

impl Denial {
    /// The ephemeral line a refused press or command gets.
    pub fn message(self) -> String {
        match self {
            Denial::OtherGuild => {
                "I only help in the server I was set up for, so I can't do that here.".to_string()
            }
            Denial::StaffOnly => "Only the support team can do that.".to_string(),
            Denial::NotYourCase => "This is someone else's case: only the person who asked, or \
                 the support team, can change it. Ask your own question in a support channel \
                 and I'll start one for you."
                .to_string(),
            Denial::NoCase => {
                "This conversation is no longer open. Ask your question again and I'll start fresh."
                    .to_string()
            }
            Denial::TicketOpen(ticket) => format!(
                "You already have ticket #{ticket} open with the support team; they'll answer \
                 you in your conversation. There's no need to ask again."
            ),
            Denial::NoStaffHere => "I can't hand this over from here: there's no staff \
                 channel, and this conversation has no thread of its own. Write your question \
                 as a message in the support channel; I'll answer it in a thread, and Talk to \
                 a person works there."
                .to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    Allowed,
    Denied(Denial),
}

/// May `actor` do `action` to `case`?
pub fn authorize(actor: Actor, action: Action, case: &Case) -> Authority {
    use Authority::{Allowed, Denied};
    if actor == Actor::OtherGuild {
        return Denied(Denial::OtherGuild);
    }
    match action.kind() {
        Kind::Ask => Allowed,
        Kind::Staff => match actor {
            Actor::Staff => Allowed,
            _ => Denied(Denial::StaffOnly),
        },
        Kind::Steer => {
            if case.state == CaseState::None {
                return Denied(Denial::NoCase);
            }
            match actor {
                Actor::Asker | Actor::Dm => Allowed,
                // Staff talk to the asker in the thread; their words are
                // not the asker's answers.
                Actor::Staff if action != Action::TypedFollowUp => Allowed,
                _ => Denied(Denial::NotYourCase),
            }
        }
        Kind::HandOver => {
            // Outside any conversation `/escalate` starts the caller's own.
            let own = matches!(actor, Actor::Asker | Actor::Dm | Actor::Staff)
                || case.state == CaseState::None;
            if !own {
                return Denied(Denial::NotYourCase);
            }
            if !case.staff_reachable {
                return Denied(Denial::NoStaffHere);
            }
            match case.open_ticket {
                Some(ticket) => Denied(Denial::TicketOpen(ticket)),
                None => Allowed,
            }
        }
    }
}

/// The Markdown table of who may do what to an open case with no ticket,
/// as README shows it (a test keeps README in step with this).
pub fn who_may_do_what() -> String {
    let mut out = String::from("| action |");
    for actor in Actor::ALL {
        out.push_str(&format!(" {} |", actor.label()));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Actor::ALL.len()));
    out.push('\n');
    for action in Action::ALL {
        out.push_str(&format!("| {} |", action.label()));
        for actor in Actor::ALL {
            let mark = match authorize(actor, action, &Case::OPEN) {
                Authority::Allowed => "yes",
                Authority::Denied(_) => "no",
            };
            out.push_str(&format!(" {mark} |"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
