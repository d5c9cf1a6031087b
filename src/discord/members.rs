//! Whether the author of a DM is a member of the home guild, asked of
//! Discord once and remembered for a while: a conversation's every message
//! and press must not cost a request, and a button's 3 s window must not
//! wait on one.

use super::data::Data;
use super::guard::Who;
use super::retry;
use crate::policy::{self, HomeCheck, Membership};
use serenity::all::{GuildId, Http, Member, User, UserId};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How long a member stays known as one: leaving a server mid-conversation
/// is rare, and the conversation may go on.
const MEMBER_FOR: Duration = Duration::from_secs(60 * 60);
/// How long a non-member stays known as one: someone who joins after being
/// turned away is served within minutes.
const STRANGER_FOR: Duration = Duration::from_secs(5 * 60);
/// How many authors are remembered; the oldest are asked again first.
const REMEMBERED: usize = 10_000;
/// Discord's "Unknown Member".
const UNKNOWN_MEMBER: isize = 10007;

/// Member checks, remembered: user id to (member, when asked).
#[derive(Debug, Default)]
pub struct Members {
    known: HashMap<u64, (bool, Instant)>,
    order: VecDeque<u64>,
}

impl Members {
    /// What is remembered of `user` at `now`, if still fresh.
    pub fn get(&self, user: u64, now: Instant) -> Option<bool> {
        let &(member, at) = self.known.get(&user)?;
        let keep = if member { MEMBER_FOR } else { STRANGER_FOR };
        (now.saturating_duration_since(at) < keep).then_some(member)
    }

    pub fn put(&mut self, user: u64, member: bool, now: Instant) {
        if self.known.insert(user, (member, now)).is_none() {
            self.order.push_back(user);
        }
        while self.order.len() > REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                self.known.remove(&old);
            }
        }
    }
}

impl Data {
    /// Who is acting, with whether they act from the bot's home.
    pub async fn who(
        &self,
        http: &Http,
        user: &User,
        member: Option<&Member>,
        guild: Option<GuildId>,
    ) -> Who {
        let home = self
            .is_home(http, guild.map(GuildId::get), user.id.get())
            .await;
        Who::new(user, member, guild, home)
    }

    /// Whether an event by `user` in `guild` (`None`: a DM) comes from the
    /// bot's home (`policy::home_check`).
    pub async fn is_home(&self, http: &Http, guild: Option<u64>, user: u64) -> bool {
        match policy::home_check(self.settings.discord.guild_id, guild) {
            HomeCheck::Home => true,
            HomeCheck::Away => false,
            HomeCheck::Membership { guild } => {
                policy::home_after(self.membership(http, guild, user).await)
            }
        }
    }

    async fn membership(&self, http: &Http, guild: u64, user: u64) -> Membership {
        if let Some(member) = super::data::lock(&self.members).get(user, Instant::now()) {
            return if member {
                Membership::Member
            } else {
                Membership::NotMember
            };
        }
        let found = match http
            .get_member(GuildId::new(guild), UserId::new(user))
            .await
        {
            Ok(_) => Membership::Member,
            Err(err) if retry::discord_code(&err) == Some(UNKNOWN_MEMBER) => Membership::NotMember,
            Err(err) => {
                tracing::warn!(error = %err, "could not check whether a DM's author is a member; answering");
                return Membership::Unknown;
            }
        };
        let member = found == Membership::Member;
        if !member {
            tracing::info!("a DM from someone outside the home guild: not answered");
        }
        super::data::lock(&self.members).put(user, member, Instant::now());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_members_longer_than_strangers() {
        let start = Instant::now();
        let mut members = Members::default();
        members.put(1, true, start);
        members.put(2, false, start);
        let cases = [
            (1, Duration::ZERO, Some(true)),
            (2, Duration::ZERO, Some(false)),
            (3, Duration::ZERO, None),
            (2, STRANGER_FOR, None),
            (1, STRANGER_FOR, Some(true)),
            (1, MEMBER_FOR, None),
        ];
        for (user, later, expected) in cases {
            assert_eq!(
                members.get(user, start + later),
                expected,
                "{user} {later:?}"
            );
        }
    }

    #[test]
    fn forgets_the_oldest_past_its_bound() {
        let now = Instant::now();
        let mut members = Members::default();
        for user in 0..(REMEMBERED as u64 + 10) {
            members.put(user, true, now);
        }
        members.put(REMEMBERED as u64, false, now);
        assert_eq!(members.known.len(), REMEMBERED);
        assert_eq!(members.get(0, now), None);
        assert_eq!(members.get(9, now), None);
        assert_eq!(members.get(10, now), Some(true));
        assert_eq!(members.get(REMEMBERED as u64, now), Some(false));
    }
}
