//! JSON builders for the Discord objects the fake server sends, in Discord's documented shapes.
//!
//! Every builder here is checked against the serenity model type it stands for in
//! `tests/discord_server.rs`, so serenity accepts whatever the fake server sends.

use serde_json::{Value, json};

use super::{Ids, TestUser};

/// Permissions the fixture hands out as a decimal string, as Discord does: view, send, embed,
/// attach, read history, add reactions, application commands, threads (create, manage, send in).
pub const MEMBER_PERMISSIONS: u64 = (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 31)
    | (1 << 34)
    | (1 << 35)
    | (1 << 38);
/// Gives the staff role `MANAGE_MESSAGES` on top of the member set.
pub const STAFF_PERMISSIONS: u64 = MEMBER_PERMISSIONS | (1 << 13);
/// Discord's default upload limit for interactions (25 MiB); serenity requires the field.
pub const ATTACHMENT_SIZE_LIMIT: u64 = 26_214_400;

/// Now, as Discord writes timestamps (RFC 3339).
pub fn timestamp() -> String {
    serenity::model::Timestamp::now().to_string()
}

pub fn user(u: &TestUser) -> Value {
    json!({
        "id": u.id.to_string(), "username": u.name, "global_name": u.name,
        "discriminator": "0", "avatar": null, "bot": u.bot, "system": false,
        "public_flags": 0, "flags": 0, "banner": null, "accent_color": null,
    })
}

/// A guild member without `user`, as inside MESSAGE_CREATE.
pub fn partial_member(u: &TestUser) -> Value {
    json!({
        "roles": ids_json(&u.roles), "nick": null, "avatar": null, "premium_since": null,
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
        "flags": 0, "pending": false, "communication_disabled_until": null,
    })
}

/// A full guild member (`user` inside), as from GET member and in GUILD_CREATE.
pub fn member(u: &TestUser) -> Value {
    let mut m = partial_member(u);
    m["user"] = user(u);
    m
}

/// A member as inside an interaction: with `permissions`.
pub fn interaction_member(u: &TestUser, staff_role: u64) -> Value {
    let mut m = member(u);
    let perms = if u.roles.contains(&staff_role) {
        STAFF_PERMISSIONS
    } else {
        MEMBER_PERMISSIONS
    };
    m["permissions"] = json!(perms.to_string());
    m
}

pub fn role(id: u64, name: &str, permissions: u64, position: u16) -> Value {
    json!({
        "id": id.to_string(), "name": name, "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false, "icon": null, "unicode_emoji": null, "position": position,
        "permissions": permissions.to_string(), "managed": false, "mentionable": true, "flags": 0,
    })
}

pub fn roles(ids: &Ids) -> Value {
    json!([
        role(ids.guild, "@everyone", MEMBER_PERMISSIONS, 0),
        role(ids.staff_role, "Staff", STAFF_PERMISSIONS, 1),
    ])
}

pub fn text_channel(id: u64, guild: u64, name: &str, position: u16) -> Value {
    json!({
        "id": id.to_string(), "type": 0, "guild_id": guild.to_string(), "name": name,
        "position": position, "permission_overwrites": [], "topic": null, "nsfw": false,
        "last_message_id": null, "rate_limit_per_user": 0, "parent_id": null, "flags": 0,
    })
}

/// A forum channel (type 15) with `tags` as `(id, name)`.
pub fn forum_channel(
    id: u64,
    guild: u64,
    name: &str,
    position: u16,
    tags: &[(u64, &str)],
) -> Value {
    let tags: Vec<Value> = tags
        .iter()
        .map(|(id, name)| {
            json!({"id": id.to_string(), "name": name, "moderated": false,
                   "emoji_id": null, "emoji_name": null})
        })
        .collect();
    json!({
        "id": id.to_string(), "type": 15, "guild_id": guild.to_string(), "name": name,
        "position": position, "permission_overwrites": [], "topic": null, "nsfw": false,
        "last_message_id": null, "rate_limit_per_user": 0, "parent_id": null, "flags": 0,
        "available_tags": tags, "default_reaction_emoji": null, "default_sort_order": null,
        "default_forum_layout": 0, "default_thread_rate_limit_per_user": 0,
    })
}

/// A public thread (type 11) under `parent`, owned by `owner`.
pub fn thread(id: u64, guild: u64, parent: u64, owner: u64, name: &str) -> Value {
    let now = timestamp();
    json!({
        "id": id.to_string(), "type": 11, "guild_id": guild.to_string(),
        "parent_id": parent.to_string(), "owner_id": owner.to_string(), "name": name,
        "last_message_id": null, "rate_limit_per_user": 0, "flags": 0,
        "message_count": 0, "member_count": 1, "total_message_sent": 0, "applied_tags": [],
        "thread_metadata": {"archived": false, "auto_archive_duration": 10080,
            "archive_timestamp": now, "locked": false, "create_timestamp": now},
    })
}

/// A DM channel (type 1) with one recipient.
pub fn dm_channel(id: u64, recipient: &TestUser) -> Value {
    json!({"id": id.to_string(), "type": 1, "last_message_id": null, "flags": 0,
           "recipients": [user(recipient)]})
}

/// The partial channel inside an interaction.
pub fn partial_channel(channel: &Value) -> Value {
    let mut out = json!({"id": channel["id"], "type": channel["type"], "name": channel["name"],
                         "permissions": MEMBER_PERMISSIONS.to_string()});
    for key in ["guild_id", "parent_id", "thread_metadata"] {
        if let Some(v) = channel.get(key) {
            out[key] = v.clone();
        }
    }
    out
}

fn guild_common(ids: &Ids) -> Value {
    json!({
        "id": ids.guild.to_string(), "name": "Syncmedic Test Guild", "icon": null,
        "icon_hash": null, "splash": null, "discovery_splash": null,
        "owner_id": ids.staff_member.id.to_string(), "afk_channel_id": null, "afk_timeout": 300,
        "widget_enabled": false, "widget_channel_id": null, "verification_level": 1,
        "default_message_notifications": 1, "explicit_content_filter": 2, "roles": roles(ids),
        "emojis": [], "features": ["COMMUNITY"], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
        "max_presences": null, "max_members": 500000, "vanity_url_code": null,
        "description": null, "banner": null, "premium_tier": 0,
        "premium_subscription_count": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": null, "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50, "nsfw_level": 0, "stickers": [],
        "premium_progress_bar_enabled": false, "safety_alerts_channel_id": null,
    })
}

/// GET /guilds/{id}: a partial guild.
/// The bot's guild as `GET /users/@me/guilds` lists it.
/// https://discord.com/developers/docs/resources/user#get-current-user-guilds
pub fn guild_info(ids: &Ids) -> Value {
    json!({
        "id": ids.guild.to_string(), "name": "Syncmedic Test Guild", "icon": null,
        "owner": false, "permissions": "0", "features": ["COMMUNITY"],
    })
}

pub fn partial_guild(ids: &Ids) -> Value {
    guild_common(ids)
}

/// GUILD_CREATE: the guild with its channels, active threads and members.
pub fn guild_create(
    ids: &Ids,
    channels: Vec<Value>,
    threads: Vec<Value>,
    members: Vec<Value>,
) -> Value {
    let mut g = guild_common(ids);
    let extra = json!({
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "large": false, "unavailable": false,
        "member_count": members.len(), "voice_states": [], "members": members,
        "channels": channels, "threads": threads, "presences": [], "stage_instances": [],
        "guild_scheduled_events": [],
    });
    merge(&mut g, &extra);
    g
}

/// GET /oauth2/applications/@me.
pub fn application(ids: &Ids, owner: &TestUser) -> Value {
    json!({
        "id": ids.application.to_string(), "name": "syncmedic-test", "icon": null,
        "description": "", "rpc_origins": [], "bot_public": false,
        "bot_require_code_grant": false, "owner": user(owner), "verify_key": "0".repeat(64),
        "team": null, "flags": application_flags(), "tags": [], "guild_id": null,
    })
}

/// GATEWAY_MESSAGE_CONTENT (1 << 19): the bot may read message content.
pub fn application_flags() -> u64 {
    1 << 19
}

pub fn ready(ids: &Ids, bot: &TestUser, session_id: &str, resume_url: &str) -> Value {
    let mut me = user(bot);
    merge(
        &mut me,
        &json!({"verified": true, "mfa_enabled": false, "email": null}),
    );
    json!({
        "v": 10, "user": me, "guilds": [{"id": ids.guild.to_string(), "unavailable": true}],
        "session_id": session_id, "resume_gateway_url": resume_url, "shard": [0, 1],
        "application": {"id": ids.application.to_string(), "flags": application_flags()},
    })
}

/// GET /gateway/bot; GET /gateway is the same with only `url`.
pub fn gateway_bot(url: &str) -> Value {
    json!({"url": url, "shards": 1, "session_start_limit":
        {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}})
}

/// A message with no content yet; callers merge in what the message says.
pub fn message(id: u64, channel: u64, author: &TestUser, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": user(author),
        "content": content, "timestamp": timestamp(), "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "pinned": false, "type": 0, "flags": 0, "components": [],
    })
}

/// An application command as Discord echoes it after registration.
pub fn command(id: u64, app: u64, guild: Option<u64>, body: &Value) -> Value {
    let mut c = json!({
        "id": id.to_string(), "application_id": app.to_string(), "version": id.to_string(),
        "type": 1, "name": "", "description": "", "options": [],
        "default_member_permissions": null, "nsfw": false, "contexts": null,
    });
    merge(&mut c, body);
    c["id"] = json!(id.to_string());
    if let Some(g) = guild {
        c["guild_id"] = json!(g.to_string());
    }
    c
}

/// Copies every key of `from` (an object) into `into`, replacing what was there.
pub fn merge(into: &mut Value, from: &Value) {
    if let (Some(into), Some(from)) = (into.as_object_mut(), from.as_object()) {
        for (k, v) in from {
            into.insert(k.clone(), v.clone());
        }
    }
}

pub fn ids_json(ids: &[u64]) -> Value {
    Value::from(ids.iter().map(u64::to_string).collect::<Vec<_>>())
}

/// A snowflake from a JSON value that may be a string or a number.
pub fn snowflake(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// What an interaction is about, beyond its `type` and `data`.
pub struct InteractionCtx<'a> {
    pub id: u64,
    pub token: &'a str,
    pub channel: &'a Value,
    pub user: &'a TestUser,
    pub message: Option<Value>,
}

/// An INTERACTION_CREATE payload: `member` in a guild channel, `user` in a DM.
pub fn interaction(ids: &Ids, kind: u8, ctx: InteractionCtx<'_>, data: Value) -> Value {
    let mut i = json!({
        "id": ctx.id.to_string(), "application_id": ids.application.to_string(), "type": kind,
        "data": data, "channel": partial_channel(ctx.channel), "channel_id": ctx.channel["id"],
        "token": ctx.token, "version": 1, "app_permissions": MEMBER_PERMISSIONS.to_string(),
        "locale": "en-US", "entitlements": [], "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    });
    if ctx.channel.get("guild_id").is_some() {
        merge(
            &mut i,
            &json!({
                "guild_id": ctx.channel["guild_id"], "guild_locale": "en-US", "context": 0,
                "member": interaction_member(ctx.user, ids.staff_role),
                "authorizing_integration_owners": {"0": ctx.channel["guild_id"]},
            }),
        );
    } else {
        merge(
            &mut i,
            &json!({"user": user(ctx.user), "context": 1,
            "authorizing_integration_owners": {"0": ids.guild.to_string()}}),
        );
    }
    if let Some(m) = ctx.message {
        i["message"] = m;
    }
    i
}
