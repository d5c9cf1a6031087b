//! `syncmedic doctor` as a new user runs it: what the bot sees, and an exit
//! code that says whether `serve` would work.

use crate::support::discord::{FakeDiscord, Options};
use std::process::Output;

/// Runs `syncmedic doctor` against `fd` with the test guild's names and
/// `env` on top; `token` false leaves DISCORD_TOKEN unset.
async fn doctor(fd: &FakeDiscord, token: bool, env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = crate::support::syncmedic(dir.path());
    cmd.arg("doctor")
        .env("SYNCMEDIC__DISCORD__API_URL", fd.api_url())
        .env("SYNCMEDIC__DISCORD__GUILD_ID", fd.ids().guild.to_string())
        .env("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", "#help")
        .env("SYNCMEDIC__DISCORD__STAFF_ROLE", "@Staff");
    if token {
        cmd.env("DISCORD_TOKEN", fd.token());
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    tokio::task::spawn_blocking(move || {
        let out = cmd.output().expect("syncmedic doctor runs");
        drop(dir);
        out
    })
    .await
    .expect("the doctor finished")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit code 1, and a FAIL line holding every one of `words`.
fn assert_fails_with(out: &Output, words: &[&str]) {
    let text = stdout(out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("FAIL") && words.iter().all(|w| l.contains(w))),
        "no FAIL line with {words:?} in\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_shows_what_the_bot_sees_and_passes_a_good_set_up() {
    let fd = FakeDiscord::start().await;
    let out = doctor(&fd, true, &[]).await;
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let app = fd.ids().application;
    for expected in [
        "ok    knowledge base",
        "42 intents",
        "Message Content intent",
        "granted",
        "Syncmedic Test Guild",
        "support channel #help",
        "has everything it needs",
        "staff role @Staff",
        &format!(
            "invite: https://discord.com/oauth2/authorize?client_id={app}&scope=bot+applications.commands&permissions=326417615872"
        ),
        "`syncmedic serve` would work",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in\n{text}");
    }
    assert!(!text.contains("FAIL"), "{text}");
    assert!(
        !fd.requests().iter().any(|r| r.method != "GET"),
        "the doctor only looks: {}",
        fd.describe_requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_fails_on_a_refused_intent_and_a_wrong_name() {
    let fd = FakeDiscord::start_with(Options {
        message_content_allowed: false,
        ..Options::default()
    })
    .await;
    let out = doctor(&fd, true, &[]).await;
    assert_fails_with(
        &out,
        &[
            "Message Content intent",
            "Bot › Privileged Gateway Intents › Message Content",
        ],
    );

    let fd = FakeDiscord::start().await;
    let out = doctor(
        &fd,
        true,
        &[("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", "#stafff")],
    )
    .await;
    assert_fails_with(
        &out,
        &[
            "names",
            "discord.escalation_channel: no channel named \"#stafff\"",
        ],
    );
}

/// A support channel that denies Send Messages in Threads: named, and the
/// start would not work fully.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_a_permission_a_channel_denies() {
    const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    let fd = FakeDiscord::start().await;
    fd.deny_everyone_in(fd.ids().text_channel, SEND_MESSAGES_IN_THREADS)
        .await;
    let out = doctor(&fd, true, &[]).await;
    assert_fails_with(
        &out,
        &["support channel #help", "lacks Send Messages in Threads"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_without_a_token_says_how_to_get_one() {
    let fd = FakeDiscord::start().await;
    let out = doctor(&fd, false, &[]).await;
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("Reset Token") && text.contains("DISCORD_TOKEN"),
        "{text}"
    );
    assert!(fd.requests().is_empty(), "nothing was asked of Discord");
}
