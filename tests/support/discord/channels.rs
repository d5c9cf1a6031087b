//! Channel and message routes of the test server: posting, listing and
//! threading messages, forum posts and the channel lists the gateway and
//! REST share. Routed from `rest.rs`.

use serde_json::{Value, json};

use super::Inner;
use super::http::Response;
use super::payloads;
use super::rest::{error, ok};

/// POST /channels/{forum}/threads: a forum post, its first message taking
/// the post's id, answered as a channel with the message inside.
/// https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel
pub(super) fn create_forum_post(inner: &Inner, forum: u64, body: &Value) -> Response {
    let mut state = inner.state();
    let Some(parent) = state.channel(forum).cloned() else {
        return error(404, 10003, "Unknown Channel");
    };
    if !matches!(parent["type"].as_u64(), Some(15 | 16)) {
        return error(400, 50024, "Cannot execute action on this channel type");
    }
    let Some(guild) = state.guild_of(forum) else {
        return error(404, 10003, "Unknown Channel");
    };
    let id = state.next_id();
    let name = body["name"].as_str().unwrap_or("post");
    let mut thread = payloads::thread(id, guild, forum, inner.ids.bot.id, name);
    if let Some(tags) = body.get("applied_tags").filter(|v| !v.is_null()) {
        thread["applied_tags"] = tags.clone();
    }
    thread["message_count"] = 1.into();
    thread["last_message_id"] = id.to_string().into();
    state.channels.insert(id, thread.clone());
    let mut msg = payloads::message(id, id, &inner.ids.bot, "");
    state.apply_body(&mut msg, &body["message"]);
    msg["guild_id"] = guild.to_string().into();
    state.store_message(id, inner.ids.bot.id, msg.clone());
    thread["message"] = msg;
    ok(thread)
}

/// GET /guilds/{guild}/threads/active: the threads not archived.
pub(super) fn active_threads(inner: &Inner) -> Value {
    let state = inner.state();
    let threads: Vec<Value> = (state.channels.values())
        .filter(|c| matches!(c["type"].as_u64(), Some(10..=12)))
        .filter(|c| c["thread_metadata"]["archived"] != json!(true))
        .cloned()
        .collect();
    json!({"threads": threads, "members": []})
}

pub(super) fn guild_channels(inner: &Inner) -> Vec<Value> {
    let state = inner.state();
    let guild = Value::from(inner.ids.guild.to_string());
    (state.channels.values())
        .filter(|c| c["guild_id"] == guild && !matches!(c["type"].as_u64(), Some(10..=12)))
        .cloned()
        .collect()
}

/// The GUILD_CREATE payload from the current state.
pub fn guild_create(inner: &Inner) -> Value {
    let channels = guild_channels(inner);
    let state = inner.state();
    let threads: Vec<Value> = (state.channels.values())
        .filter(|c| matches!(c["type"].as_u64(), Some(10..=12)))
        .filter(|c| c["thread_metadata"]["archived"] != true)
        .cloned()
        .collect();
    let members = (state.users.values())
        .filter(|u| !state.outsiders.contains(&u.id))
        .map(payloads::member)
        .collect();
    payloads::guild_create(&inner.ids, channels, threads, members)
}

pub(super) fn edit_channel(inner: &Inner, channel: u64, body: &Value) -> Response {
    let mut state = inner.state();
    let Some(c) = state.channels.get_mut(&channel) else {
        return error(404, 10003, "Unknown Channel");
    };
    for key in [
        "name",
        "applied_tags",
        "topic",
        "rate_limit_per_user",
        "flags",
    ] {
        if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
            c[key] = v.clone();
        }
    }
    if c.get("thread_metadata").is_some() {
        for key in ["archived", "locked", "auto_archive_duration"] {
            if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
                c["thread_metadata"][key] = v.clone();
            }
        }
    }
    ok(c.clone())
}

/// How long Discord remembers a message nonce ("a few minutes").
const NONCE_WINDOW: std::time::Duration = std::time::Duration::from_secs(300);

pub(super) fn create_message(inner: &Inner, channel: u64, body: &Value) -> Response {
    let mut state = inner.state();
    let Some(kind) = state.channel(channel).map(|c| c["type"].as_u64()) else {
        return error(404, 10003, "Unknown Channel");
    };
    // As Discord: a forum (15) or media channel (16) takes posts, not
    // messages. https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
    // (50008 "Cannot send messages in a non-text channel").
    if matches!(kind, Some(15 | 16)) {
        return error(400, 50008, "Cannot send messages in a non-text channel");
    }
    // As Discord does: with enforce_nonce, a second post by the same author
    // with a nonce seen in the last few minutes returns the first message
    // instead, in whichever channel that was.
    // https://discord.com/developers/docs/resources/message#create-message
    // Only the bot posts through this route, so the bot's nonces are all.
    let nonce = body.get("nonce").filter(|n| !n.is_null()).cloned();
    if let (Some(nonce), true) = (&nonce, body["enforce_nonce"] == json!(true)) {
        let first = (state.bot_nonces.get(&nonce.to_string()))
            .filter(|(_, at)| at.elapsed() < NONCE_WINDOW)
            .and_then(|(id, _)| state.messages.get(id));
        if let Some(first) = first {
            return ok(first.json.clone());
        }
    }
    let id = state.next_id();
    let mut msg = payloads::message(id, channel, &inner.ids.bot, "");
    state.apply_body(&mut msg, body);
    if let Some(nonce) = nonce {
        let key = nonce.to_string();
        let fresh = (state.bot_nonces.get(&key)).is_none_or(|(_, at)| at.elapsed() >= NONCE_WINDOW);
        if fresh {
            state
                .bot_nonces
                .insert(key, (id, std::time::Instant::now()));
        }
        msg["nonce"] = nonce;
    }
    state.store_message(channel, inner.ids.bot.id, msg.clone());
    ok(msg)
}

/// GET channel messages as Discord answers it: newest first, at most
/// `limit` (50 by default, 100 at most), those after `after` if given; and,
/// unlike the gateway's MESSAGE_CREATE, without `guild_id` or `member`.
pub(super) fn list_messages(inner: &Inner, channel: u64, query: &str) -> Response {
    let param = |name: &str| {
        (query.split('&'))
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.parse::<u64>().ok())
    };
    let limit = param("limit").unwrap_or(50).clamp(1, 100) as usize;
    let after = param("after");
    let state = inner.state();
    if state.channel(channel).is_none() {
        return error(404, 10003, "Unknown Channel");
    }
    let in_channel = (state.messages.iter()).filter(|(_, m)| m.channel == channel);
    let picked: Vec<Value> = match after {
        Some(after) => in_channel
            .filter(|(id, _)| **id > after)
            .take(limit)
            .map(|(_, m)| m.json.clone())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect(),
        None => in_channel
            .rev()
            .take(limit)
            .map(|(_, m)| m.json.clone())
            .collect(),
    };
    let listed = picked.into_iter().map(|mut m| {
        if let Some(m) = m.as_object_mut() {
            m.remove("guild_id");
            m.remove("member");
        }
        m
    });
    ok(Value::from(listed.collect::<Vec<_>>()))
}

pub(super) fn create_thread(inner: &Inner, channel: u64, message: u64, body: &Value) -> Response {
    let mut state = inner.state();
    let Some(guild) = state.guild_of(channel) else {
        return error(404, 10003, "Unknown Channel");
    };
    // As Discord: no thread inside a thread.
    let kind = state.channel(channel).and_then(|c| c["type"].as_u64());
    if matches!(kind, Some(10..=12)) {
        return error(400, 50024, "Cannot execute action on this channel type");
    }
    if state
        .messages
        .get(&message)
        .is_none_or(|m| m.channel != channel)
    {
        return error(404, 10008, "Unknown Message");
    }
    // Discord gives a thread started from a message the message's id, and
    // refuses a second one.
    if state.channels.contains_key(&message) {
        return error(
            400,
            160004,
            "A thread has already been created for this message",
        );
    }
    let name = body["name"].as_str().unwrap_or("thread");
    let mut thread = payloads::thread(message, guild, channel, inner.ids.bot.id, name);
    if let Some(d) = body.get("auto_archive_duration").filter(|v| !v.is_null()) {
        thread["thread_metadata"]["auto_archive_duration"] = d.clone();
    }
    state.channels.insert(message, thread.clone());
    if let Some(m) = state.messages.get_mut(&message) {
        m.json["thread"] = thread.clone();
    }
    ok(thread)
}
