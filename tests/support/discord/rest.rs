//! REST routes under /api/v10: auth, faults, recording, and the endpoints serenity and poise
//! call. Interaction and webhook endpoints live in `webhooks.rs`.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde_json::{Value, json};

use super::http::{Request, Response};
use super::payloads::{self, snowflake};
use super::{Fault, Inner, Recorded, webhooks};

/// The JSON body of a request: parsed JSON, or a multipart `payload_json` part, or `Null`.
fn body_json(req: &Request) -> Value {
    let ct = req.header("content-type").unwrap_or_default();
    if ct.starts_with("multipart/") {
        let raw = String::from_utf8_lossy(&req.body);
        let part = raw.split("name=\"payload_json\"").nth(1);
        let json = part
            .and_then(|p| p.split_once("\r\n\r\n"))
            .and_then(|(_, rest)| rest.split("\r\n--").next());
        return json
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or(Value::Null);
    }
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

pub fn error(status: u16, code: u64, message: &str) -> Response {
    Response::json(status, &json!({"message": message, "code": code}))
}

fn not_found() -> Response {
    error(404, 0, "Unknown")
}

fn fault_response(fault: &Fault) -> Option<Response> {
    match fault {
        Fault::Status(status) => Some(error(*status, 0, "Injected fault")),
        Fault::RateLimited {
            retry_after_secs,
            global,
        } => {
            let body = json!({"message": "You are being rate limited.",
                              "retry_after": retry_after_secs, "global": global});
            let mut resp = Response::json(429, &body);
            let scope = if *global { "global" } else { "user" };
            resp.headers.extend([
                (
                    "retry-after".to_string(),
                    retry_after_secs.ceil().to_string(),
                ),
                ("x-ratelimit-global".to_string(), global.to_string()),
                ("x-ratelimit-scope".to_string(), scope.to_string()),
            ]);
            Some(resp)
        }
        Fault::Delay(_) | Fault::DelayAfter(_) => None,
    }
}

/// Answers one request and records it.
pub async fn handle(inner: Arc<Inner>, req: Request) -> Response {
    inner.in_flight.fetch_add(1, Ordering::SeqCst);
    let resp = answer(&inner, req).await;
    inner.in_flight.fetch_sub(1, Ordering::SeqCst);
    resp
}

async fn answer(inner: &Inner, req: Request) -> Response {
    let at = Instant::now();
    let path = req
        .path
        .strip_prefix("/api/v10")
        .unwrap_or(&req.path)
        .to_string();
    let body = body_json(&req);
    let fault = inner.state().take_fault(&req.method, &path);
    if let Some(Fault::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    let authed = req.header("authorization") == Some(&format!("Bot {}", inner.token));
    let open = path.starts_with("/interactions/") || path.starts_with("/webhooks/");
    let limited = if open {
        None
    } else {
        over_global_limit(inner, at)
    };
    let resp = if let Some(resp) = fault.as_ref().and_then(fault_response) {
        resp
    } else if let Some(resp) = limited {
        resp
    } else if !req.path.starts_with("/api/v10/") {
        not_found()
    } else if !authed && !open {
        error(401, 0, "401: Unauthorized")
    } else {
        route(inner, &req.method, &path, &req.query, &body)
    };
    inner.state().requests.push(Recorded {
        method: req.method,
        path,
        query: req.query,
        body,
        raw: req.body,
        status: resp.status,
        at,
    });
    inner.recorded.send_modify(|n| *n += 1);
    if let Some(Fault::DelayAfter(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    resp
}

/// Discord's global limit, when the server has one: a 429 with `global`
/// for a request beyond it in the last second (which does not count).
fn over_global_limit(inner: &Inner, at: Instant) -> Option<Response> {
    let limit = inner.options.global_limit? as usize;
    let mut window = inner.window.lock().unwrap_or_else(|p| p.into_inner());
    let second = std::time::Duration::from_secs(1);
    while window
        .front()
        .is_some_and(|t| at.duration_since(*t) >= second)
    {
        window.pop_front();
    }
    if window.len() < limit {
        window.push_back(at);
        return None;
    }
    let retry_after = window
        .front()
        .map_or(1.0, |t| (second - at.duration_since(*t)).as_secs_f64());
    fault_response(&Fault::RateLimited {
        retry_after_secs: retry_after,
        global: true,
    })
}

fn ok(v: Value) -> Response {
    Response::json(200, &v)
}

fn route(inner: &Inner, method: &str, path: &str, query: &str, body: &Value) -> Response {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let id = |i: usize| segs.get(i).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    let ids = &inner.ids;
    match (method, segs.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": inner.gateway_url()})),
        ("GET", ["gateway", "bot"]) => ok(payloads::gateway_bot(&inner.gateway_url())),
        ("GET", ["users", "@me"]) => ok(payloads::user(&ids.bot)),
        ("GET", ["oauth2", "applications", "@me"]) => {
            let mut app = payloads::application(ids, &ids.staff_member);
            // As the Developer Portal's switch says: without Message
            // Content the flag is absent.
            if !inner.options.message_content_allowed {
                app["flags"] = 0.into();
            }
            ok(app)
        }
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = body.get("recipient_id").and_then(snowflake).unwrap_or(0);
            let mut state = inner.state();
            let user = state.users.get(&recipient).cloned();
            let Some(user) = user else {
                return error(400, 50033, "Invalid Recipient(s)");
            };
            let channel = state.dm_channel(&user);
            ok(state.channels[&channel].clone())
        }
        ("GET", ["users", "@me", "guilds"]) => ok(json!([payloads::guild_info(ids)])),
        ("GET", ["guilds", _]) if id(1) == ids.guild => ok(payloads::partial_guild(ids)),
        ("GET", ["guilds", _, "channels"]) if id(1) == ids.guild => {
            ok(Value::from(guild_channels(inner)))
        }
        ("GET", ["guilds", _, "roles"]) if id(1) == ids.guild => ok(payloads::roles(ids)),
        ("GET", ["guilds", _, "members", _]) if id(1) == ids.guild => {
            let state = inner.state();
            match state.users.get(&id(3)) {
                Some(u) if !state.outsiders.contains(&u.id) => ok(payloads::member(u)),
                _ => error(404, 10007, "Unknown Member"),
            }
        }
        ("GET", ["channels", _]) => match inner.state().channel(id(1)) {
            Some(c) => ok(c.clone()),
            None => error(404, 10003, "Unknown Channel"),
        },
        ("PATCH", ["channels", _]) => edit_channel(inner, id(1), body),
        ("POST", ["channels", _, "typing"]) => Response::empty(204),
        ("POST", ["channels", _, "messages"]) => create_message(inner, id(1), body),
        ("POST", ["channels", _, "threads"]) => create_forum_post(inner, id(1), body),
        ("GET", ["guilds", _, "threads", "active"]) if id(1) == ids.guild => {
            ok(active_threads(inner))
        }
        ("GET", ["channels", _, "messages"]) => list_messages(inner, id(1), query),
        ("GET" | "PATCH" | "DELETE", ["channels", _, "messages", _]) => {
            webhooks::message_at(inner, method, id(1), id(3), body)
        }
        ("PUT" | "DELETE", ["channels", _, "messages", _, "reactions", ..]) => Response::empty(204),
        ("POST", ["channels", _, "messages", _, "threads"]) => {
            create_thread(inner, id(1), id(3), body)
        }
        (_, ["applications", _, "commands"]) => commands(inner, method, None, body),
        (_, ["applications", _, "guilds", _, "commands"]) => {
            commands(inner, method, Some(id(3)), body)
        }
        (_, ["interactions", ..] | ["webhooks", ..]) => webhooks::route(inner, method, &segs, body),
        _ => not_found(),
    }
}

/// POST /channels/{forum}/threads: a forum post, its first message taking
/// the post's id, answered as a channel with the message inside.
/// https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel
fn create_forum_post(inner: &Inner, forum: u64, body: &Value) -> Response {
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
fn active_threads(inner: &Inner) -> Value {
    let state = inner.state();
    let threads: Vec<Value> = (state.channels.values())
        .filter(|c| matches!(c["type"].as_u64(), Some(10..=12)))
        .filter(|c| c["thread_metadata"]["archived"] != json!(true))
        .cloned()
        .collect();
    json!({"threads": threads, "members": []})
}

fn guild_channels(inner: &Inner) -> Vec<Value> {
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

fn edit_channel(inner: &Inner, channel: u64, body: &Value) -> Response {
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

fn create_message(inner: &Inner, channel: u64, body: &Value) -> Response {
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
fn list_messages(inner: &Inner, channel: u64, query: &str) -> Response {
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

fn create_thread(inner: &Inner, channel: u64, message: u64, body: &Value) -> Response {
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

fn commands(inner: &Inner, method: &str, guild: Option<u64>, body: &Value) -> Response {
    let app = inner.ids.application;
    let mut state = inner.state();
    match method {
        "PUT" => {
            let bodies = body.as_array().cloned().unwrap_or_default();
            ok(Value::from(state.store_commands(app, guild, &bodies, true)))
        }
        "POST" => {
            let mut stored = state.store_commands(app, guild, std::slice::from_ref(body), false);
            ok(stored.pop().unwrap_or(Value::Null))
        }
        "GET" => {
            let scope = guild.map(|g| Value::from(g.to_string()));
            let list = state
                .commands
                .iter()
                .filter(|c| c.get("guild_id").cloned() == scope)
                .cloned();
            ok(Value::from(list.collect::<Vec<_>>()))
        }
        _ => not_found(),
    }
}
