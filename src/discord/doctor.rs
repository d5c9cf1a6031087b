//! `syncmedic doctor`: what the bot sees on Discord with these settings,
//! and whether `serve` would work, before anyone waits for a first answer.
//!
//! Each check is one finding; `serve` works fully only when none fails.
//! The checks ask Discord through REST only (no gateway session), so the
//! doctor can run beside a bot that is already serving.

use super::names;
use super::permissions::{self, effective, missing};
use crate::settings::{Secret, Settings};
use serenity::all::{
    ApplicationFlags, Channel, ChannelId, GuildId, Http, Member, Permissions, Role, RoleId,
};
use std::collections::HashMap;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// Works, with something worth knowing.
    Warn,
    /// `serve` would not work fully.
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub what: String,
    pub verdict: Verdict,
    pub detail: String,
}

fn finding(what: impl Into<String>, verdict: Verdict, detail: impl Into<String>) -> Finding {
    Finding {
        what: what.into(),
        verdict,
        detail: detail.into(),
    }
}

/// The permissions the README's invite link asks for: everything the bot
/// needs in any channel, plus Attach Files for `/kb stats`' chart.
pub fn invite_permissions() -> Permissions {
    permissions::needed_in_support_channel()
        | permissions::needed_in_forum()
        | permissions::needed_in_escalation_channel()
        | Permissions::ATTACH_FILES
}

/// The link that adds the bot to a server with exactly those permissions.
pub fn invite_url(application: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application}&scope=bot+applications.commands&permissions={}",
        invite_permissions().bits()
    )
}

/// Everything the bot can learn about its set-up from Discord.
pub async fn examine(settings: &Settings, token: &Secret) -> Vec<Finding> {
    let mut out = Vec::new();
    let http = match super::rest_client(settings, token) {
        Ok(http) => http,
        Err(err) => {
            out.push(finding("HTTP client", Verdict::Fail, format!("{err:#}")));
            return out;
        }
    };
    let me = match http.get_current_user().await {
        Ok(me) => me,
        Err(err) => {
            out.push(finding(
                "token",
                Verdict::Fail,
                format!(
                    "Discord refused it ({err}): copy a new one from the Developer Portal, Bot › Reset Token"
                ),
            ));
            return out;
        }
    };
    out.push(finding(
        "bot user",
        Verdict::Ok,
        format!("{} ({})", me.name, me.id),
    ));
    match http.get_current_application_info().await {
        Ok(app) => {
            out.push(finding(
                "application",
                Verdict::Ok,
                format!(
                    "{} ({}); invite: {}",
                    app.name,
                    app.id,
                    invite_url(app.id.get())
                ),
            ));
            let flags = app.flags.unwrap_or(ApplicationFlags::empty());
            let granted = flags.intersects(
                ApplicationFlags::GATEWAY_MESSAGE_CONTENT
                    | ApplicationFlags::GATEWAY_MESSAGE_CONTENT_LIMITED,
            );
            out.push(intents(granted, settings.discord.message_content));
        }
        Err(err) => out.push(finding("application", Verdict::Fail, err.to_string())),
    }
    let guilds = match http.get_guilds(None, None).await {
        Ok(guilds) => guilds,
        Err(err) => {
            out.push(finding("guilds", Verdict::Fail, err.to_string()));
            return out;
        }
    };
    let listed: Vec<String> = guilds
        .iter()
        .map(|g| format!("{} ({})", g.name, g.id))
        .collect();
    let home_missing = settings
        .discord
        .guild_id
        .is_some_and(|home| !guilds.iter().any(|g| g.id.get() == home));
    out.push(finding(
        "guilds",
        match (guilds.is_empty(), home_missing) {
            (true, _) | (_, true) => Verdict::Fail,
            _ => Verdict::Ok,
        },
        if guilds.is_empty() {
            "none yet: open the invite link above".to_string()
        } else if home_missing {
            format!(
                "discord.guild_id is not one of them; the bot is in {}",
                listed.join(", ")
            )
        } else {
            listed.join(", ")
        },
    ));
    let mut discord = settings.discord.clone();
    if let Err(err) = names::resolve(&http, &mut discord).await {
        for line in format!("{err:#}").lines() {
            out.push(finding("names", Verdict::Fail, line));
        }
        return out;
    }
    let wanted = discord
        .support_channels
        .iter()
        .map(|c| {
            (
                *c,
                permissions::needed_in_support_channel(),
                "support channel",
            )
        })
        .chain(
            discord
                .forum_channels
                .iter()
                .map(|c| (*c, permissions::needed_in_forum(), "forum channel")),
        )
        .chain(discord.escalation_channel.map(|c| {
            (
                c,
                permissions::needed_in_escalation_channel(),
                "escalation channel",
            )
        }));
    let mut seen = HashMap::new();
    for (channel, needed, what) in wanted {
        out.push(match look(&http, me.id.get(), channel, &mut seen).await {
            Ok((name, have)) => {
                let lacking = missing(needed, have);
                if lacking.is_empty() {
                    finding(
                        format!("{what} #{name}"),
                        Verdict::Ok,
                        format!("{channel}: has everything it needs"),
                    )
                } else {
                    finding(
                        format!("{what} #{name}"),
                        Verdict::Fail,
                        format!("{channel}: lacks {}", lacking.join(", ")),
                    )
                }
            }
            Err(err) => finding(
                format!("{what} {channel}"),
                Verdict::Fail,
                format!("cannot see it: {err:#}"),
            ),
        });
    }
    if support_nowhere(&discord) {
        out.push(finding(
            "where it answers",
            Verdict::Warn,
            "no support or forum channel: only @mentions, DMs and commands are answered",
        ));
    }
    out.push(staff_role(&discord, &seen, me.id.get()));
    out
}

/// Message Content, as the portal grants it and the settings expect it.
fn intents(granted: bool, wanted: bool) -> Finding {
    let what = "Message Content intent";
    match (granted, wanted) {
        (true, _) => finding(what, Verdict::Ok, "granted"),
        (false, false) => finding(
            what,
            Verdict::Warn,
            "off (discord.message_content = false): only @mentions, DMs, /fix, /status and the message menu are answered",
        ),
        (false, true) => finding(
            what,
            Verdict::Fail,
            "not granted: turn on Bot › Privileged Gateway Intents › Message Content in the Developer Portal, or set discord.message_content = false",
        ),
    }
}

fn support_nowhere(discord: &crate::settings::DiscordSettings) -> bool {
    discord.support_channels.is_empty() && discord.forum_channels.is_empty()
}

/// The staff role: found, and pingable on an escalation.
fn staff_role(
    discord: &crate::settings::DiscordSettings,
    guilds: &HashMap<GuildId, (Vec<Role>, Member)>,
    bot: u64,
) -> Finding {
    let Some(staff) = discord.staff_role else {
        return finding(
            "staff role",
            Verdict::Warn,
            "not set: only the asker can close a case, and nobody is pinged",
        );
    };
    let found = guilds.iter().find_map(|(guild, (roles, member))| {
        let role = roles.iter().find(|r| r.id.get() == staff)?;
        let perms: Vec<(RoleId, Permissions)> =
            roles.iter().map(|r| (r.id, r.permissions)).collect();
        let may_ping = role.mentionable
            || effective(
                RoleId::new(guild.get()),
                &perms,
                bot.into(),
                &member.roles,
                &[],
            )
            .contains(Permissions::MENTION_EVERYONE);
        Some((role.name.clone(), may_ping))
    });
    match found {
        Some((name, true)) => finding(
            format!("staff role @{name}"),
            Verdict::Ok,
            staff.to_string(),
        ),
        Some((name, false)) => finding(
            format!("staff role @{name}"),
            Verdict::Warn,
            format!(
                "{staff}: not mentionable and the bot lacks Mention Everyone, so escalations will not ping it"
            ),
        ),
        None if guilds.is_empty() => finding(
            "staff role",
            Verdict::Warn,
            format!("{staff}: no configured channel to find its guild by"),
        ),
        None => finding(
            "staff role",
            Verdict::Fail,
            format!("{staff} is not a role of the guild"),
        ),
    }
}

/// A channel's name and the bot's permissions there; the guild's roles and
/// the bot's member are read once per guild.
async fn look(
    http: &Http,
    bot: u64,
    channel: u64,
    guilds: &mut HashMap<GuildId, (Vec<Role>, Member)>,
) -> anyhow::Result<(String, Permissions)> {
    let Channel::Guild(channel) = ChannelId::new(channel).to_channel(http).await? else {
        anyhow::bail!("not a guild channel");
    };
    let guild = channel.guild_id;
    let (roles, member) = match guilds.entry(guild) {
        std::collections::hash_map::Entry::Occupied(seen) => seen.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => {
            let roles = http.get_guild_roles(guild).await?;
            let member = http.get_member(guild, bot.into()).await?;
            slot.insert((roles, member))
        }
    };
    let perms: Vec<(RoleId, Permissions)> = roles.iter().map(|r| (r.id, r.permissions)).collect();
    let have = effective(
        RoleId::new(guild.get()),
        &perms,
        bot.into(),
        &member.roles,
        &channel.permission_overwrites,
    );
    Ok((channel.name, have))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invite_asks_for_what_the_readme_lists() {
        assert_eq!(invite_permissions().bits(), 326_417_615_872);
        assert!(invite_url(42).contains("client_id=42&scope=bot+applications.commands"));
    }

    #[test]
    fn message_content_as_granted_and_expected() {
        let table = [
            (true, true, Verdict::Ok),
            (true, false, Verdict::Ok),
            (false, false, Verdict::Warn),
            (false, true, Verdict::Fail),
        ];
        for (granted, wanted, verdict) in table {
            assert_eq!(
                intents(granted, wanted).verdict,
                verdict,
                "{granted} {wanted}"
            );
        }
        assert!(
            intents(false, true)
                .detail
                .contains("Privileged Gateway Intents")
        );
    }
}
