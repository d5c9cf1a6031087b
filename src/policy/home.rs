//! Whether an event comes from the bot's home: the guild it was set up for
//! (`discord.guild_id`), or a direct message from one of its members.
//!
//! Anyone who shares any server with the bot can write it a DM. With a
//! home guild configured, a stranger from another server must not get the
//! team's support, open tickets or have its staff pinged, however they
//! reach the bot: a guild's id says where an event is from, and a DM needs
//! a member check.

/// What the adapter must find out before it can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeCheck {
    Home,
    Away,
    /// A DM with a home guild configured: is its author a member of it?
    Membership {
        guild: u64,
    },
}

/// What a member check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Member,
    NotMember,
    /// The check could not be made (Discord did not answer).
    Unknown,
}

/// Where an event in `guild` (`None`: a DM) stands against the configured
/// home guild.
pub fn home_check(configured: Option<u64>, guild: Option<u64>) -> HomeCheck {
    match (configured, guild) {
        (None, _) => HomeCheck::Home,
        (Some(home), Some(guild)) if home == guild => HomeCheck::Home,
        (Some(_), Some(_)) => HomeCheck::Away,
        (Some(home), None) => HomeCheck::Membership { guild: home },
    }
}

/// Whether a DM's author counts as home after the member check. A check
/// that could not be made counts as home: a Discord blip must not cost a
/// member their answer, and a stranger gains only what any member's DM
/// gets, still under the same per-user limits.
pub fn home_after(membership: Membership) -> bool {
    !matches!(membership, Membership::NotMember)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_an_event_stands() {
        let cases = [
            (None, Some(5), HomeCheck::Home),
            (None, None, HomeCheck::Home),
            (Some(5), Some(5), HomeCheck::Home),
            (Some(5), Some(6), HomeCheck::Away),
            (Some(5), None, HomeCheck::Membership { guild: 5 }),
        ];
        for (configured, guild, expected) in cases {
            assert_eq!(
                home_check(configured, guild),
                expected,
                "{configured:?}, {guild:?}"
            );
        }
    }

    #[test]
    fn a_dm_after_the_member_check() {
        let cases = [
            (Membership::Member, true),
            (Membership::NotMember, false),
            (Membership::Unknown, true),
        ];
        for (membership, home) in cases {
            assert_eq!(home_after(membership), home, "{membership:?}");
        }
    }
}
