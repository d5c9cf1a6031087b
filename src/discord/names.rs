//! Channels and roles configured by name (`"#help"`, `"@Support"`), looked
//! up in the guild before the bot connects; `settings::names` decides.

use crate::settings::{DiscordSettings, GuildNames};
use anyhow::{Context as _, anyhow};
use serenity::all::{ChannelType, GuildId, Http};

/// Puts the ids of the configured names into `discord`, or fails listing
/// every name that names nothing, or more than one thing.
pub async fn resolve(http: &Http, discord: &mut DiscordSettings) -> anyhow::Result<()> {
    if discord.unresolved.is_empty() {
        return Ok(());
    }
    let guild = match discord.guild_id {
        Some(guild) => GuildId::new(guild),
        None => only_guild(http).await?,
    };
    let channels = http
        .get_channels(guild)
        .await
        .with_context(|| format!("listing the channels of guild {guild}"))?;
    let roles = http
        .get_guild_roles(guild)
        .await
        .with_context(|| format!("listing the roles of guild {guild}"))?;
    let names = GuildNames {
        // Channels people post in; categories and voice channels share
        // names with them too often to count.
        channels: channels
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ChannelType::Text | ChannelType::News | ChannelType::Forum
                )
            })
            .map(|c| (c.id.get(), c.name.clone()))
            .collect(),
        roles: roles.iter().map(|r| (r.id.get(), r.name.clone())).collect(),
    };
    let wanted = discord.unresolved.len();
    discord
        .resolve(&names)
        .map_err(|problems| anyhow!("{}", problems.join("\n")))?;
    tracing::info!(
        names = wanted,
        %guild,
        support_channels = ?discord.support_channels,
        staff_role = ?discord.staff_role,
        escalation_channel = ?discord.escalation_channel,
        "channels and roles found by name"
    );
    Ok(())
}

/// The guild to look names up in when `discord.guild_id` is not set: the
/// bot's only one.
async fn only_guild(http: &Http) -> anyhow::Result<GuildId> {
    let guilds = http
        .get_guilds(None, None)
        .await
        .context("listing the bot's guilds")?;
    match guilds.as_slice() {
        [one] => Ok(one.id),
        [] => Err(anyhow!(
            "channels and roles are given by name, but the bot is in no guild yet: invite it first"
        )),
        many => Err(anyhow!(
            "channels and roles are given by name, and the bot is in {} guilds: set discord.guild_id to one of {}",
            many.len(),
            many.iter()
                .map(|g| format!("{} ({})", g.name, g.id))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
