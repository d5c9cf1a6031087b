//! `route`: where a gateway message goes. A channel belongs to a case only
//! when the bot made it for that case (its thread), or it is the asker's own
//! forum post or DM; anywhere else the bot answers the one message that
//! asked and lets the channel be.

use super::authority::{Action, Actor, Authority, CaseState, authorize};

/// What kind of channel a message arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Dm,
    /// A configured support channel (its top level, not a thread in it).
    SupportChannel,
    /// A post in a configured forum; `by_owner` when the author opened it.
    ForumPost {
        by_owner: bool,
    },
    /// Any other channel or thread.
    Elsewhere,
}

/// The case already linked to the message's channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Linked {
    pub asker: u64,
    pub state: CaseState,
}

/// The facts about one incoming message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub author: u64,
    /// A bot, a webhook or the bot itself.
    pub from_bot: bool,
    /// False for a guild other than the configured one.
    pub home: bool,
    pub place: Place,
    /// The bot was @mentioned.
    pub mentioned: bool,
    pub staff: bool,
    pub linked: Option<Linked>,
}

/// Where the message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Ignore,
    /// Continues the linked case.
    FollowUp,
    /// Starts a case that owns a channel: a new thread on the message (in a
    /// support channel, or wherever the bot was mentioned), or the forum
    /// post or DM it came in. Where no thread can be opened, the case owns
    /// only its reply.
    NewCase,
    /// Starts a case that owns nothing but the reply: answered as a reply to
    /// this message, and reached later only through that reply's buttons.
    ReplyOnly,
}

impl Arrival {
    /// Meant for the bot: a mention, or anything in a DM.
    fn addressed(&self) -> bool {
        self.mentioned || self.place == Place::Dm
    }
}

pub fn route(a: &Arrival) -> Route {
    if a.from_bot || !a.home {
        return Route::Ignore;
    }
    if let Some(case) = a.linked {
        let actor = Actor::of(
            a.author,
            Some(case.asker),
            a.place == Place::Dm,
            a.home,
            a.staff,
        );
        let theirs =
            authorize(actor, Action::TypedFollowUp, &super::Case::OPEN) == Authority::Allowed;
        let settled = matches!(case.state, CaseState::Escalated | CaseState::Resolved);
        return match (theirs, a.addressed()) {
            // A person may be helping now, or it is over: quiet unless asked.
            (true, false) if settled => Route::Ignore,
            (true, _) => Route::FollowUp,
            // Someone else in the asker's thread: their own question, if any.
            (false, true) => Route::ReplyOnly,
            (false, false) => Route::Ignore,
        };
    }
    match a.place {
        Place::Dm | Place::SupportChannel | Place::ForumPost { by_owner: true } => Route::NewCase,
        // A mention anywhere else gets a thread of the bot's own if one can
        // be opened there (the adapter falls back to a reply).
        Place::Elsewhere if a.mentioned => Route::NewCase,
        // Someone else's forum post is theirs: answered by reply only.
        Place::ForumPost { by_owner: false } if a.mentioned => Route::ReplyOnly,
        Place::ForumPost { by_owner: false } | Place::Elsewhere => Route::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Place::*;
    use Route::*;

    const ASKER: u64 = 1;
    const OTHER: u64 = 2;

    fn arrival(author: u64, place: Place, mentioned: bool, linked: Option<Linked>) -> Arrival {
        Arrival {
            author,
            from_bot: false,
            home: true,
            place,
            mentioned,
            staff: false,
            linked,
        }
    }

    fn case(state: CaseState) -> Option<Linked> {
        Some(Linked {
            asker: ASKER,
            state,
        })
    }

    #[test]
    fn the_routing_table() {
        use CaseState::{Escalated, Open, Resolved};
        let forum = ForumPost { by_owner: true };
        let someone_elses_post = ForumPost { by_owner: false };
        // (author, place, mentioned, linked case) -> route
        let table = [
            // No case here yet.
            (ASKER, SupportChannel, false, None, NewCase),
            (ASKER, SupportChannel, true, None, NewCase),
            (ASKER, Dm, false, None, NewCase),
            (ASKER, forum, false, None, NewCase),
            (OTHER, someone_elses_post, false, None, Ignore),
            (OTHER, someone_elses_post, true, None, ReplyOnly),
            (ASKER, Elsewhere, false, None, Ignore),
            (ASKER, Elsewhere, true, None, NewCase),
            // The asker in their own case.
            (ASKER, Elsewhere, false, case(Open), FollowUp),
            (ASKER, Dm, false, case(Open), FollowUp),
            (ASKER, forum, false, case(Open), FollowUp),
            (ASKER, Elsewhere, false, case(Escalated), Ignore),
            (ASKER, Elsewhere, true, case(Escalated), FollowUp),
            (ASKER, Elsewhere, false, case(Resolved), Ignore),
            (ASKER, Elsewhere, true, case(Resolved), FollowUp),
            (ASKER, Dm, false, case(Escalated), FollowUp),
            // Someone else in the asker's thread or post.
            (OTHER, Elsewhere, false, case(Open), Ignore),
            (OTHER, Elsewhere, true, case(Open), ReplyOnly),
            (OTHER, someone_elses_post, false, case(Open), Ignore),
            (OTHER, Elsewhere, false, case(Escalated), Ignore),
            (OTHER, Elsewhere, true, case(Escalated), ReplyOnly),
        ];
        for (author, place, mentioned, linked, expected) in table {
            let a = arrival(author, place, mentioned, linked);
            assert_eq!(route(&a), expected, "{a:?}");
        }
    }

    #[test]
    fn staff_talking_in_a_users_thread_is_not_the_user() {
        let mut a = arrival(OTHER, Elsewhere, false, case(CaseState::Open));
        a.staff = true;
        assert_eq!(route(&a), Ignore, "\"fixed\" from staff closes nothing");
        a.mentioned = true;
        assert_eq!(route(&a), ReplyOnly);
    }

    #[test]
    fn bots_and_other_guilds_are_ignored_everywhere() {
        for place in [Dm, SupportChannel, ForumPost { by_owner: true }, Elsewhere] {
            for linked in [None, case(CaseState::Open)] {
                let mut a = arrival(ASKER, place, true, linked);
                a.from_bot = true;
                assert_eq!(route(&a), Ignore);
                a.from_bot = false;
                a.home = false;
                assert_eq!(route(&a), Ignore);
            }
        }
    }
}
