//! Interaction callbacks and the interaction webhook (`@original`, followups), plus editing
//! and deleting channel messages, which both share.

use serde_json::{Value, json};

use super::Inner;
use super::http::Response;
use super::payloads;
use super::rest::error;

/// `/interactions/{id}/{token}/callback` and `/webhooks/{app}/{token}[/messages/{id|@original}]`.
pub fn route(inner: &Inner, method: &str, segs: &[&str], body: &Value) -> Response {
    match (method, segs) {
        ("POST", ["interactions", id, token, "callback"]) => {
            callback(inner, id.parse().unwrap_or(0), token, body)
        }
        ("POST", ["webhooks", app, token]) if app_ok(inner, app) => followup(inner, token, body),
        (_, ["webhooks", app, token, "messages", which]) if app_ok(inner, app) => {
            let Some((channel, message)) = webhook_message(inner, token, which) else {
                return error(404, 10008, "Unknown Message");
            };
            message_at(inner, method, channel, message, body)
        }
        _ => error(404, 0, "Unknown"),
    }
}

fn app_ok(inner: &Inner, app: &str) -> bool {
    app.parse() == Ok(inner.ids.application)
}

/// The interaction whose token this is.
fn by_token(inner: &Inner, token: &str) -> Option<u64> {
    let state = inner.state();
    state
        .interactions
        .iter()
        .find(|(_, rec)| rec.token == token)
        .map(|(id, _)| *id)
}

/// `(channel, message)` for `@original` or a followup id under this token.
fn webhook_message(inner: &Inner, token: &str, which: &str) -> Option<(u64, u64)> {
    let interaction = by_token(inner, token)?;
    let state = inner.state();
    let rec = state.interactions.get(&interaction)?;
    let message = if which == "@original" {
        rec.original?
    } else {
        which.parse().ok()?
    };
    Some((state.messages.get(&message)?.channel, message))
}

/// A new bot message in `channel` from an interaction response body.
fn new_message(inner: &Inner, channel: u64, data: &Value, loading: bool) -> u64 {
    let mut state = inner.state();
    let id = state.next_id();
    let mut msg = payloads::message(id, channel, &inner.ids.bot, "");
    msg["type"] = 20.into(); // CHAT_INPUT_COMMAND reply; serenity does not care which.
    msg["webhook_id"] = inner.ids.application.to_string().into();
    msg["application_id"] = inner.ids.application.to_string().into();
    state.apply_body(&mut msg, data);
    if loading {
        let flags = msg["flags"].as_u64().unwrap_or(0);
        msg["flags"] = (flags | 128).into(); // LOADING: "the bot is thinking"
    }
    state.store_message(channel, inner.ids.bot.id, msg);
    id
}

fn callback(inner: &Inner, id: u64, token: &str, body: &Value) -> Response {
    let rec = inner.state().interactions.get(&id).cloned();
    let Some(rec) = rec.filter(|r| r.token == token) else {
        return error(404, 10062, "Unknown interaction");
    };
    if rec.acknowledged {
        return error(400, 40060, "Interaction has already been acknowledged.");
    }
    // As Discord: the first answer must come within 3 s, or the token is
    // gone. https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
    if rec.created.elapsed() > std::time::Duration::from_secs(3) {
        return error(404, 10062, "Unknown interaction");
    }
    let data = body.get("data").cloned().unwrap_or(json!({}));
    let original = match body["type"].as_u64() {
        Some(4) => Some(new_message(inner, rec.channel, &data, false)),
        Some(5) => Some(new_message(inner, rec.channel, &data, true)),
        Some(6) => rec.message,
        Some(9) => {
            if let Some(form) = data["custom_id"].as_str() {
                let key = (rec.user, form.to_string());
                inner.state().modals.insert(key, rec.message);
            }
            None
        }
        Some(7) => {
            if let Some(m) = rec.message {
                message_at(inner, "PATCH", rec.channel, m, &data);
            }
            rec.message
        }
        _ => None,
    };
    let mut state = inner.state();
    if let Some(rec) = state.interactions.get_mut(&id) {
        rec.acknowledged = true;
        rec.original = original;
    }
    Response::empty(204)
}

fn followup(inner: &Inner, token: &str, body: &Value) -> Response {
    let Some(interaction) = by_token(inner, token) else {
        return error(404, 10015, "Unknown Webhook");
    };
    let (channel, original) = {
        let state = inner.state();
        let rec = &state.interactions[&interaction];
        (rec.channel, rec.original)
    };
    // As Discord: after "thinking" (a type 5 acknowledgement) the first
    // followup takes the loading message's place, visible as the
    // acknowledgement chose; later followups stand on their own.
    // https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
    let loading = original.and_then(|m| {
        let state = inner.state();
        let flags = state.messages.get(&m)?.json["flags"].as_u64()?;
        (flags & 128 != 0).then_some((m, flags & 64))
    });
    if let Some((message, ephemeral)) = loading {
        let mut body = body.clone();
        let flags = body["flags"].as_u64().unwrap_or(0);
        body["flags"] = ((flags & !64) | ephemeral).into();
        return message_at(inner, "PATCH", channel, message, &body);
    }
    let id = new_message(inner, channel, body, false);
    let msg = inner.state().messages[&id].json.clone();
    Response::json(200, &msg)
}

/// GET, PATCH (edit) or DELETE one stored message.
pub fn message_at(
    inner: &Inner,
    method: &str,
    channel: u64,
    message: u64,
    body: &Value,
) -> Response {
    let mut state = inner.state();
    if state
        .messages
        .get(&message)
        .is_none_or(|m| m.channel != channel)
    {
        return error(404, 10008, "Unknown Message");
    }
    match method {
        "DELETE" => {
            state.messages.remove(&message);
            Response::empty(204)
        }
        "PATCH" => {
            let mut json = state.messages[&message].json.clone();
            state.apply_body(&mut json, body);
            let flags = json["flags"].as_u64().unwrap_or(0);
            json["flags"] = (flags & !128).into(); // an edit ends "thinking"
            json["edited_timestamp"] = payloads::timestamp().into();
            if let Some(m) = state.messages.get_mut(&message) {
                m.json = json.clone();
            }
            Response::json(200, &json)
        }
        _ => Response::json(200, &state.messages[&message].json),
    }
}
