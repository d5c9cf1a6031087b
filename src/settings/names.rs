//! Channels and roles given by name, found in the guild's own lists.
//!
//! Pure: the Discord adapter fetches the lists and `DiscordSettings::resolve`
//! decides. A name must match exactly one channel (or role), ignoring case
//! and a leading `#`/`@`; an unknown or ambiguous one stops the start with
//! the candidates listed, since a bot watching the wrong channel or trusting
//! the wrong role fails silently.

use super::DiscordSettings;

/// Where a name given in settings goes once found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    SupportChannel,
    ForumChannel,
    EscalationChannel,
    StaffRole,
}

impl Slot {
    pub fn key(self) -> &'static str {
        match self {
            Slot::SupportChannel => "discord.support_channels",
            Slot::ForumChannel => "discord.forum_channels",
            Slot::EscalationChannel => "discord.escalation_channel",
            Slot::StaffRole => "discord.staff_role",
        }
    }

    fn is_role(self) -> bool {
        self == Slot::StaffRole
    }
}

/// A name from the settings, still to be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub slot: Slot,
    pub name: String,
}

/// What the guild has, as `(id, name)`: its channels people post in
/// (text, announcement, forum) and its roles.
#[derive(Debug, Clone, Default)]
pub struct GuildNames {
    pub channels: Vec<(u64, String)>,
    pub roles: Vec<(u64, String)>,
}

impl DiscordSettings {
    /// Finds every name in `guild` and puts its id where the name was;
    /// every name that cannot be found once is a problem, all reported.
    pub fn resolve(&mut self, guild: &GuildNames) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        for wanted in std::mem::take(&mut self.unresolved) {
            let (sigil, pool) = if wanted.slot.is_role() {
                ('@', &guild.roles)
            } else {
                ('#', &guild.channels)
            };
            match find(&wanted.name, pool) {
                Ok(id) => match wanted.slot {
                    Slot::SupportChannel => self.support_channels.push(id),
                    Slot::ForumChannel => self.forum_channels.push(id),
                    Slot::EscalationChannel => self.escalation_channel = Some(id),
                    Slot::StaffRole => self.staff_role = Some(id),
                },
                Err(Missing::Ambiguous(ids)) => problems.push(format!(
                    "{}: \"{sigil}{}\" names {} {}: {}; use the id",
                    wanted.slot.key(),
                    wanted.name,
                    ids.len(),
                    if wanted.slot.is_role() {
                        "roles"
                    } else {
                        "channels"
                    },
                    ids.iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Err(Missing::Unknown(near)) => problems.push(format!(
                    "{}: no {} named \"{sigil}{}\" in the guild{}",
                    wanted.slot.key(),
                    if wanted.slot.is_role() {
                        "role"
                    } else {
                        "channel"
                    },
                    wanted.name,
                    if near.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; did you mean {}?",
                            near.iter()
                                .map(|n| format!("\"{sigil}{n}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                )),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[derive(Debug, PartialEq)]
enum Missing {
    /// Several share the name: their ids.
    Ambiguous(Vec<u64>),
    /// None has it: the closest names, best first.
    Unknown(Vec<String>),
}

/// The one entry of `pool` called `name`: an exact match first, else one
/// that differs only in case.
fn find(name: &str, pool: &[(u64, String)]) -> Result<u64, Missing> {
    let exact: Vec<u64> = pool
        .iter()
        .filter(|(_, n)| n == name)
        .map(|(id, _)| *id)
        .collect();
    let matches = if exact.is_empty() {
        pool.iter()
            .filter(|(_, n)| n.to_lowercase() == name.to_lowercase())
            .map(|(id, _)| *id)
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(Missing::Unknown(closest(name, pool))),
        many => Err(Missing::Ambiguous(many.to_vec())),
    }
}

/// Up to three names of `pool` that look like `name` (a typo, a missing
/// dash), most alike first.
fn closest(name: &str, pool: &[(u64, String)]) -> Vec<String> {
    let name = name.to_lowercase();
    let mut scored: Vec<(f64, &String)> = pool
        .iter()
        .map(|(_, n)| (strsim::jaro_winkler(&name, &n.to_lowercase()), n))
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, n)| n.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(names: &[(u64, &str)]) -> Vec<(u64, String)> {
        names.iter().map(|(id, n)| (*id, n.to_string())).collect()
    }

    #[test]
    fn a_name_finds_one_entry_or_says_why_not() {
        let channels = pool(&[
            (1, "help"),
            (2, "icloud-photos"),
            (3, "general"),
            (4, "Tickets"),
            (5, "tickets"),
            (6, "off-topic"),
            (7, "off-topic"),
        ]);
        let table: [(&str, Result<u64, Missing>); 7] = [
            ("help", Ok(1)),
            ("HELP", Ok(1)),
            ("icloud-photos", Ok(2)),
            ("Tickets", Ok(4)),
            ("TICKETS", Err(Missing::Ambiguous(vec![4, 5]))),
            ("off-topic", Err(Missing::Ambiguous(vec![6, 7]))),
            (
                "icloud_photo",
                Err(Missing::Unknown(vec!["icloud-photos".into()])),
            ),
        ];
        for (name, expected) in table {
            assert_eq!(find(name, &channels), expected, "{name}");
        }
        assert_eq!(
            find("announcements", &channels),
            Err(Missing::Unknown(Vec::new()))
        );
    }

    #[test]
    fn resolving_fills_the_settings_and_lists_every_problem() {
        let mut discord = crate::settings::Settings::load_with_env(None, Vec::new())
            .expect("the defaults load")
            .discord;
        discord.support_channels = vec![10];
        discord.unresolved = vec![
            Unresolved {
                slot: Slot::SupportChannel,
                name: "help".into(),
            },
            Unresolved {
                slot: Slot::StaffRole,
                name: "Support".into(),
            },
            Unresolved {
                slot: Slot::EscalationChannel,
                name: "staf".into(),
            },
        ];
        let guild = GuildNames {
            channels: pool(&[(1, "help"), (2, "staff")]),
            roles: pool(&[(9, "Support"), (8, "@everyone")]),
        };
        let mut ok = discord.clone();
        ok.unresolved.truncate(2);
        assert_eq!(ok.resolve(&guild), Ok(()));
        assert_eq!(ok.support_channels, [10, 1]);
        assert_eq!(ok.staff_role, Some(9));
        assert!(ok.unresolved.is_empty());

        let problems = discord.resolve(&guild).expect_err("staf is not a channel");
        assert_eq!(
            problems,
            [
                "discord.escalation_channel: no channel named \"#staf\" in the guild; did you mean \"#staff\"?"
            ]
        );
    }
}
