//! What happens once the gateway says READY: commands are registered and
//! every configured channel is checked for the permissions the bot needs.

use super::data::Data;
use super::pace::Route;
use super::permissions::{self, effective, missing};
use super::{Error, permissions::needed_in_support_channel};
use serenity::all::{
    Channel, ChannelId, Context, GuildId, Member, Permissions, Ready, Role, RoleId,
};
use std::collections::HashMap;

pub async fn on_ready(
    ctx: &Context,
    ready: &Ready,
    commands: &[poise::Command<std::sync::Arc<Data>, Error>],
    data: &Data,
) {
    let _ = data.bot_id.set(ready.user.id.get());
    tracing::info!(bot = ready.user.id.get(), name = %ready.user.name, "connected to Discord");
    let registered = match data.settings.discord.guild_id {
        Some(guild) => poise::builtins::register_in_guild(ctx, commands, GuildId::new(guild)).await,
        None => poise::builtins::register_globally(ctx, commands).await,
    };
    if let Err(err) = registered {
        tracing::error!(error = %err, "could not register the application commands");
    }
    check_permissions(ctx, data).await;
}

/// Warns, per channel, about each permission the bot lacks there.
async fn check_permissions(ctx: &Context, data: &Data) {
    let d = &data.settings.discord;
    let wanted = d
        .support_channels
        .iter()
        .map(|c| (*c, needed_in_support_channel(), "support channel"))
        .chain(
            d.forum_channels
                .iter()
                .map(|c| (*c, permissions::needed_in_forum(), "forum channel")),
        )
        .chain(d.escalation_channel.map(|c| {
            (
                c,
                permissions::needed_in_escalation_channel(),
                "escalation channel",
            )
        }));
    // Roles and the bot's member are the guild's, not the channel's: read
    // once per guild (one guild, usually), not once per channel.
    let mut guilds = HashMap::new();
    for (channel, needed, what) in wanted {
        match permissions_in(ctx, data, channel, &mut guilds).await {
            Ok(have) => {
                let lacking = missing(needed, have);
                if !lacking.is_empty() {
                    tracing::warn!(
                        channel,
                        "the bot lacks {} in this {what}: {}",
                        lacking.len(),
                        lacking.join(", ")
                    );
                }
            }
            Err(err) => tracing::warn!(
                channel,
                error = format!("{err:#}"),
                "could not check this {what}"
            ),
        }
    }
}

async fn permissions_in(
    ctx: &Context,
    data: &Data,
    channel: u64,
    guilds: &mut HashMap<GuildId, (Vec<Role>, Member)>,
) -> anyhow::Result<Permissions> {
    let bot = data.bot_id.get().copied().unwrap_or_default();
    // At start-up a burst of questions may already be queued: these
    // checks take their turns like everything else sent to Discord.
    data.pacer.turn(Route::Other).await;
    let Channel::Guild(channel) = ChannelId::new(channel).to_channel(&ctx.http).await? else {
        anyhow::bail!("not a guild channel");
    };
    let guild = channel.guild_id;
    let first_look = !guilds.contains_key(&guild);
    if first_look {
        data.pacer.turn(Route::Other).await;
        let roles = ctx.http.get_guild_roles(guild).await?;
        data.pacer.turn(Route::Other).await;
        let member = ctx.http.get_member(guild, bot.into()).await?;
        guilds.insert(guild, (roles, member));
    }
    let Some((roles, member)) = guilds.get(&guild) else {
        anyhow::bail!("the guild's roles were not read");
    };
    let role_perms: Vec<(RoleId, Permissions)> =
        roles.iter().map(|r| (r.id, r.permissions)).collect();
    if let (true, Some(staff)) = (first_look, data.settings.discord.staff_role) {
        if let Some(role) = roles.iter().find(|r| r.id.get() == staff) {
            let perms = effective(
                RoleId::new(guild.get()),
                &role_perms,
                bot.into(),
                &member.roles,
                &[],
            );
            if !role.mentionable && !perms.contains(Permissions::MENTION_EVERYONE) {
                tracing::warn!(
                    role = staff,
                    "the staff role is not mentionable and the bot lacks Mention Everyone: escalations will not ping it"
                );
            }
        } else {
            tracing::warn!(
                role = staff,
                "discord.staff_role is not a role of this guild"
            );
        }
    }
    Ok(effective(
        RoleId::new(guild.get()),
        &role_perms,
        bot.into(),
        &member.roles,
        &channel.permission_overwrites,
    ))
}
