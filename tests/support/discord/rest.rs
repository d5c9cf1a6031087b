//! REST routes under /api/v10: auth, faults, recording, and the endpoints
//! serenity and poise call. Channel and message endpoints live in
//! `channels.rs`, interaction and webhook endpoints in `webhooks.rs`.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde_json::{Value, json};

use super::channels::{
    active_threads, create_forum_post, create_message, create_thread, edit_channel, guild_channels,
    list_messages,
};
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

pub(super) fn ok(v: Value) -> Response {
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
