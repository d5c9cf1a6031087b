//! The bot on the loopback Discord: every trigger and path end to end.

mod authority;
mod buttons;
mod crash;
mod escalation;
mod faults;
mod home;
mod hostile;
mod load;
mod names;
mod order;
mod restart;
mod review;
mod safety;
mod slow_store;
mod staff;
mod triggers;

use crate::support::bot::{
    self, WAIT, assert_no_mentions, callback, custom_id, id_of, newest_id, nth_post_in, posted_in,
};
use crate::support::discord::FakeDiscord;
use serde_json::json;
use std::time::Duration;

/// A question that names photos and a device but no problem, so the bot asks
/// "Did you mean…"; `tests/fixtures/matcher.tsv` keeps it so.
const VAGUE: &str = "photos problem on ipad";

/// A question in the support channel and the bot's first reply in its
/// thread (a thread takes its message's id).
async fn ask(
    fd: &FakeDiscord,
    user: &crate::support::discord::TestUser,
    text: &str,
) -> (u64, crate::support::discord::Recorded) {
    let question = fd.user_message(fd.ids().text_channel, user, text).await;
    (question, posted_in(fd, question).await)
}

/// Presses the button whose id starts with `prefix` on the newest message
/// in `channel` (drawn as `body`), as `user`; returns the interaction.
async fn press(
    fd: &FakeDiscord,
    channel: u64,
    user: &crate::support::discord::TestUser,
    body: &serde_json::Value,
    prefix: &str,
) -> u64 {
    fd.click(
        newest_id(fd, channel),
        channel,
        user,
        &custom_id(body, prefix),
    )
    .await
}

/// Presses "Talk to a person" as `user` and returns the hand-over form
/// (the modal's response body) it opens.
async fn open_form(
    fd: &FakeDiscord,
    thread: u64,
    user: &crate::support::discord::TestUser,
    reply: &serde_json::Value,
) -> serde_json::Value {
    let press = fd
        .click(
            newest_id(fd, thread),
            thread,
            user,
            &custom_id(reply, "sm1:person"),
        )
        .await;
    let modal = callback(fd, press).await;
    assert_eq!(modal.body["type"], 9, "a modal: {}", modal.body);
    modal.body
}

/// Presses "Talk to a person", checks the hand-over form it opens, fills it
/// in and returns the response to the submission.
async fn talk_to_a_person(
    fd: &FakeDiscord,
    thread: u64,
    user: &crate::support::discord::TestUser,
    reply: &serde_json::Value,
) -> crate::support::discord::Recorded {
    let modal = open_form(fd, thread, user, reply).await;
    let form_id = modal["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(form_id.starts_with("sm1:form:"), "{modal}");
    let fields: Vec<String> = modal["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| {
            row["components"][0]["custom_id"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(
        fields,
        [
            "device_model",
            "os_version",
            "library_size",
            "status_text",
            "tried"
        ]
    );
    let submit = fd
        .submit_modal(
            thread,
            user,
            &form_id,
            &[
                ("device_model", "iPhone 15"),
                ("os_version", "iOS 18.1"),
                ("library_size", "23,000 photos"),
            ],
        )
        .await;
    callback(fd, submit).await
}

/// The answer updated the pressed message (UPDATE_MESSAGE) to show step `n`.
fn assert_shows_step(answer: &crate::support::discord::Recorded, n: u32) {
    assert_eq!(answer.body["type"], 7, "UPDATE_MESSAGE: {}", answer.body);
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains(&format!("Step {n} of"))),
        "step {n}: {}",
        answer.body
    );
}

/// Ephemeral flag on an interaction response.
const EPHEMERAL: u64 = 64;

async fn setup() -> (FakeDiscord, bot::Bot) {
    setup_with(&[]).await
}

/// A server and a bot with extra settings (`SYNCMEDIC__…` variables).
async fn setup_with(env: &[(&str, String)]) -> (FakeDiscord, bot::Bot) {
    let fd = FakeDiscord::start().await;
    let bot = bot::start(&fd, env).await;
    (fd, bot)
}

/// A server with a "staff" channel and a bot escalating there, with extra
/// settings; returns the staff channel too.
async fn setup_with_staff_channel(env: &[(&str, String)]) -> (FakeDiscord, bot::Bot, u64) {
    let fd = FakeDiscord::start().await;
    let staff = fd.add_text_channel("staff").await;
    let mut env = env.to_vec();
    env.push(("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string()));
    let bot = bot::start(&fd, &env).await;
    (fd, bot, staff)
}

fn ticket_posts(fd: &FakeDiscord, channel: u64) -> Vec<crate::support::discord::Recorded> {
    fd.requests()
        .into_iter()
        .filter(|r| {
            r.method == "POST"
                && r.path == format!("/channels/{channel}/messages")
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("**Ticket #"))
        })
        .collect()
}

/// Delivers the message `message` of `channel` again, as the gateway does
/// after a resume: the bot must tell it from a new one.
async fn redeliver(fd: &FakeDiscord, channel: u64, message: u64) {
    let original = fd
        .all_messages_in(channel)
        .into_iter()
        .find(|m| id_of(&m["id"]) == message)
        .expect("the message is stored");
    fd.dispatch("MESSAGE_CREATE", original).await;
}

/// The private line an interaction got.
async fn refused(fd: &FakeDiscord, interaction: u64) -> String {
    let answer = callback(fd, interaction).await;
    assert_eq!(
        answer.body["type"], 4,
        "a message, not a form: {}",
        answer.body
    );
    assert_eq!(answer.body["data"]["flags"], EPHEMERAL, "{}", answer.body);
    answer.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn bot_posts_in(fd: &FakeDiscord, channel: u64) -> usize {
    fd.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == format!("/channels/{channel}/messages"))
        .count()
}

/// A posted message shows step `n`.
fn assert_has_step(posted: &crate::support::discord::Recorded, n: u32) {
    assert!(
        posted.body["content"]
            .as_str()
            .is_some_and(|c| c.contains(&format!("Step {n} of"))),
        "step {n}: {}",
        posted.body
    );
}
