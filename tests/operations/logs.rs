//! Logs: readable by default, JSON when asked, and never the token.

use super::ask;
use crate::support::bot::WAIT;
use crate::support::discord::{FakeDiscord, Fault};
use crate::support::served;
use crate::support::syncmedic;
use std::time::Duration;

/// Every log level on, errors provoked: the token appears nowhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_logs() {
    let fd = FakeDiscord::start().await;
    let mut served = served::serve(&fd, &[], &[("RUST_LOG", "trace")]).await;
    ask(&fd, "Photos says Unable to Upload 3 Items").await;
    let ids = fd.ids().clone();
    fd.fail_next(
        "POST",
        &format!("/channels/{}/messages/", ids.text_channel),
        vec![Fault::Status(500)],
    );
    let failed = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            "icloud photos stuck on Paused",
        )
        .await;
    // Answered in its thread after a retry, or beside the question.
    let in_thread = format!("/channels/{failed}/messages");
    let beside = format!("/channels/{}/messages", ids.text_channel);
    fd.wait_for(WAIT, |r| {
        r.method == "POST" && (r.path == in_thread || r.path == beside)
    })
    .await;
    served.signal("TERM");
    served
        .wait_exit(Duration::from_secs(10))
        .await
        .expect("exits");
    let log = served.stderr();
    assert!(
        log.lines().count() > 50,
        "trace logging is on: {} lines",
        log.lines().count()
    );
    assert!(log.contains("connected to Discord"));
    let token = fd.token();
    let secret_part = token.rsplit('.').next().expect("a token has parts");
    assert!(!log.contains(token), "the token is in the logs");
    assert!(
        !log.contains(secret_part),
        "part of the token is in the logs"
    );
}

/// A token Discord refuses ends the run at once, with an error that does
/// not show it, in human-readable lines (the default format).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_not_printed() {
    let fd = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp");
    let wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Wrong1.this-token-is-wrong-and-secret";
    let out = syncmedic(dir.path())
        .arg("serve")
        .env("DISCORD_TOKEN", wrong)
        .env("SYNCMEDIC__DISCORD__API_URL", fd.api_url())
        .env("RUST_LOG", "trace")
        .output()
        .expect("serve runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a refused token fails the start");
    assert!(stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains(wrong) && !stderr.contains("this-token-is-wrong-and-secret"));
    assert!(stderr.contains("Discord refused the bot token"), "{stderr}");
    // Human-readable lines by default, not JSON.
    assert!(stderr.lines().any(|l| l.contains(" INFO ")), "{stderr}");
    assert!(!stderr.lines().any(|l| l.starts_with('{')), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line() {
    let fd = FakeDiscord::start().await;
    let mut served = served::serve(&fd, &[], &[("SYNCMEDIC__LOG__FORMAT", "json")]).await;
    ask(&fd, "Photos says Waiting to Upload 57 Items").await;
    served.signal("TERM");
    served.wait_exit(WAIT).await.expect("exits");
    let log = served.stderr();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(lines.len() >= 3, "{log}");
    assert!(
        lines
            .iter()
            .all(|l| l["level"].is_string() && l["fields"].is_object())
    );
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "connected to Discord"),
        "{log}"
    );
}
