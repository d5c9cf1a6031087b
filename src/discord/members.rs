//! Whether the author of a DM is a member of the home guild, asked of
//! Discord once and remembered for a while: a conversation's every message
//! and press must not cost a request. A press asks for a second at most,
//! inside its 3 s window; a message asks in turn with every other request,
//! and a new author's messages that come together wait for one answer.

use super::data::Data;
use super::guard::Who;
use super::pace::Route;
use super::retry;
use crate::policy::{self, HomeCheck, Membership};
use serenity::all::{GuildId, Http, Member, User, UserId};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long a member stays known as one: leaving a server mid-conversation
/// is rare, and the conversation may go on.
const MEMBER_FOR: Duration = Duration::from_secs(60 * 60);
/// How long a non-member stays known as one: someone who joins after being
/// turned away is served within minutes.
const STRANGER_FOR: Duration = Duration::from_secs(5 * 60);
/// How long a check Discord answered with an error stands: a failing
/// endpoint is not asked again for every message and press. (A check that
/// timed out is not remembered.)
const UNKNOWN_FOR: Duration = Duration::from_secs(30);
/// How many authors are remembered; the first asked are forgotten first.
const REMEMBERED: usize = 10_000;
/// The longest a press waits for a check: its answer is due within 3 s.
const BRIEF: Duration = Duration::from_secs(1);
/// The longest a message waits for one, once its turn to Discord came.
const PATIENT: Duration = Duration::from_secs(10);
/// Discord's "Unknown Member" and "Unknown User".
const NOT_A_MEMBER: [isize; 2] = [10007, 10013];
/// Discord's "Unknown Guild" and "Missing Access": `guild_id` is wrong, or
/// the bot was removed from it.
const NO_SUCH_HOME: [isize; 2] = [10004, 50001];

/// Member checks, remembered: user id to (what was found, when).
#[derive(Debug, Default)]
pub struct Members {
    known: HashMap<u64, (Membership, Instant)>,
    order: VecDeque<u64>,
    /// Messages' checks under way, by user: a new author's burst of DMs
    /// waits for one answer rather than asking Discord once each.
    asking: HashMap<u64, watch::Receiver<Option<Membership>>>,
}

/// What a message's check does, given what is remembered and under way.
enum Ask {
    Known(Membership),
    /// Wait for the check under way.
    Follow(watch::Receiver<Option<Membership>>),
    /// Ask Discord, and tell the messages that wait (`Leading`).
    Lead(watch::Sender<Option<Membership>>),
}

/// A check that others wait for: its entry in `Members::asking` goes when
/// it ends, answered or dropped, so that nobody waits on a check that will
/// never answer.
struct Leading<'a> {
    members: &'a std::sync::Mutex<Members>,
    user: u64,
    tell: watch::Sender<Option<Membership>>,
}

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        super::data::lock(self.members).asking.remove(&self.user);
    }
}

impl Members {
    /// What is remembered of `user` at `now`, if still fresh.
    pub fn get(&self, user: u64, now: Instant) -> Option<Membership> {
        let &(found, at) = self.known.get(&user)?;
        let keep = match found {
            Membership::Member => MEMBER_FOR,
            Membership::NotMember => STRANGER_FOR,
            Membership::Unknown => UNKNOWN_FOR,
        };
        (now.saturating_duration_since(at) < keep).then_some(found)
    }

    pub fn put(&mut self, user: u64, found: Membership, now: Instant) {
        if self.known.insert(user, (found, now)).is_none() {
            self.order.push_back(user);
        }
        while self.order.len() > REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                self.known.remove(&old);
            }
        }
    }
}

/// How a member check may wait for Discord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// A message: in turn with every other request the bot makes
    /// (`limits.requests_per_second`), so a burst of DMs from new authors
    /// does not push answers into 429s.
    Paced,
    /// A press, a form or a command, whose answer is due within 3 s: at
    /// once, and not for long.
    Brief,
}

impl Data {
    /// Who is acting in an interaction, with whether they act from the
    /// bot's home.
    pub async fn who(
        &self,
        http: &Http,
        user: &User,
        member: Option<&Member>,
        guild: Option<GuildId>,
    ) -> Who {
        let check = self.home_check(guild.map(GuildId::get));
        let home = self
            .settle_home(http, check, user.id.get(), Waiting::Brief)
            .await;
        Who::new(user, member, guild, home)
    }

    /// Where an event in `guild` (`None`: a DM) stands against the home
    /// guild, before any member check.
    pub fn home_check(&self, guild: Option<u64>) -> HomeCheck {
        policy::home_check(self.settings.discord.guild_id, guild)
    }

    /// Whether `user`'s event comes from the bot's home, checking a DM's
    /// author against the home guild's members when `check` asks for it.
    pub async fn settle_home(
        &self,
        http: &Http,
        check: HomeCheck,
        user: u64,
        waiting: Waiting,
    ) -> bool {
        match check {
            HomeCheck::Home => true,
            HomeCheck::Away => false,
            HomeCheck::Membership { guild } => {
                let found = self.membership(http, guild, user, waiting).await;
                if found == Membership::NotMember {
                    tracing::info!("a DM from someone outside the home guild: not answered");
                }
                policy::home_after(found)
            }
        }
    }

    async fn membership(&self, http: &Http, guild: u64, user: u64, waiting: Waiting) -> Membership {
        if waiting == Waiting::Brief {
            // A press cannot wait on a message's check, which may wait for
            // its turn to Discord: it asks on its own.
            if let Some(found) = super::data::lock(&self.members).get(user, Instant::now()) {
                return found;
            }
            return self.ask_discord(http, guild, user, waiting).await;
        }
        loop {
            let ask = {
                let mut members = super::data::lock(&self.members);
                if let Some(found) = members.get(user, Instant::now()) {
                    Ask::Known(found)
                } else if let Some(under_way) = members.asking.get(&user) {
                    Ask::Follow(under_way.clone())
                } else {
                    let (tell, told) = watch::channel(None);
                    members.asking.insert(user, told);
                    Ask::Lead(tell)
                }
            };
            match ask {
                Ask::Known(found) => return found,
                // No time limit of its own: the check it waits for has
                // one, and ends answered or not.
                Ask::Follow(mut told) => match told.wait_for(Option::is_some).await {
                    Ok(found) => return found.unwrap_or(Membership::Unknown),
                    // Its handler was dropped before an answer: ask again.
                    Err(_) => continue,
                },
                Ask::Lead(tell) => {
                    let leading = Leading {
                        members: &self.members,
                        user,
                        tell,
                    };
                    // What this check found, a timeout's Unknown too, is
                    // what the messages that came with it would have found:
                    // they take it rather than time out one after another.
                    let found = self.ask_discord(http, guild, user, waiting).await;
                    leading.tell.send_replace(Some(found));
                    return found;
                }
            }
        }
    }

    /// Asks Discord whether `user` is a member of `guild`, and remembers
    /// the answer (a timeout is not remembered).
    async fn ask_discord(
        &self,
        http: &Http,
        guild: u64,
        user: u64,
        waiting: Waiting,
    ) -> Membership {
        let limit = match waiting {
            Waiting::Paced => {
                self.pacer.turn(Route::Other).await;
                PATIENT
            }
            Waiting::Brief => BRIEF,
        };
        let asked = http.get_member(GuildId::new(guild), UserId::new(user));
        let found = match tokio::time::timeout(limit, asked).await {
            Ok(Ok(_)) => Membership::Member,
            Ok(Err(err)) => match retry::discord_code(&err) {
                Some(code) if NOT_A_MEMBER.contains(&code) => Membership::NotMember,
                Some(code) if NO_SUCH_HOME.contains(&code) => {
                    tracing::error!(
                        guild,
                        error = %err,
                        "discord.guild_id is not a guild the bot can read: DMs are answered unchecked"
                    );
                    Membership::Unknown
                }
                _ => {
                    tracing::warn!(error = %err, "could not check a DM's author; answering");
                    Membership::Unknown
                }
            },
            Err(_) => {
                // Not remembered: the next message asks again, so a press
                // that could not wait lets no stranger's DMs through.
                tracing::warn!(?limit, "no answer to a member check in time; answering");
                return Membership::Unknown;
            }
        };
        super::data::lock(&self.members).put(user, found, Instant::now());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_members_longer_than_strangers_and_failures_briefly() {
        let start = Instant::now();
        let mut members = Members::default();
        members.put(1, Membership::Member, start);
        members.put(2, Membership::NotMember, start);
        members.put(4, Membership::Unknown, start);
        let (member, stranger) = (Some(Membership::Member), Some(Membership::NotMember));
        let cases = [
            (1, Duration::ZERO, member),
            (2, Duration::ZERO, stranger),
            (3, Duration::ZERO, None),
            (4, Duration::ZERO, Some(Membership::Unknown)),
            (4, UNKNOWN_FOR, None),
            (2, UNKNOWN_FOR, stranger),
            (2, STRANGER_FOR, None),
            (1, STRANGER_FOR, member),
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
            members.put(user, Membership::Member, now);
        }
        members.put(REMEMBERED as u64, Membership::NotMember, now);
        assert_eq!(members.known.len(), REMEMBERED);
        assert_eq!(members.get(0, now), None);
        assert_eq!(members.get(9, now), None);
        assert_eq!(members.get(10, now), Some(Membership::Member));
        assert_eq!(
            members.get(REMEMBERED as u64, now),
            Some(Membership::NotMember)
        );
    }
}
