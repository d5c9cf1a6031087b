//! The knowledge base reloaded while the bot runs: by the file watcher and
//! by `/kb reload`, swapped in only when valid.

use super::{sample, wait_sample};
use crate::support::bot::{WAIT, callback, posted_in};
use crate::support::discord::{FakeDiscord, Recorded, TestUser};
use crate::support::{kb_copy, served};
use serde_json::json;
use std::time::Duration;

/// `/kb reload` pressed by `user`, and the bot's response to it.
async fn kb_reload(fd: &FakeDiscord, user: &TestUser) -> Recorded {
    let run = fd
        .slash(
            fd.ids().text_channel,
            user,
            "kb",
            json!([{"type": 1, "name": "reload", "options": []}]),
        )
        .await;
    callback(fd, run).await
}

const NOVEL: &str = "the glimmerwick gauge in photos went all frobnicated";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_are_picked_up_and_broken_files_are_refused() {
    let (_keep, kb) = kb_copy();
    let fd = FakeDiscord::start().await;
    let kb_arg = kb.display().to_string();
    let served = served::serve(
        &fd,
        &["--kb", &kb_arg],
        &[("SYNCMEDIC__KB__WATCH_INTERVAL_SECONDS", "0.1")],
    )
    .await;
    let ids = fd.ids().clone();
    let thread_name = |id: u64| {
        fd.channel(id)
            .and_then(|c| c["name"].as_str().map(str::to_string))
            .unwrap_or_default()
    };

    // Before: the phrase is not a known way to say "Paused".
    let before = fd.user_message(ids.text_channel, &ids.asker, NOVEL).await;
    // Handled once it is answered somewhere or counted as silent.
    let start = std::time::Instant::now();
    loop {
        let (_, metrics) = served::get(served.health, "/metrics").await;
        if sample(&metrics, "syncmedic_silent_total") == Some(1.0) || fd.channel(before).is_some() {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "the first message was never handled"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !thread_name(before).contains("Paused"),
        "{}",
        thread_name(before)
    );

    // An author teaches it the phrase: the watcher reloads.
    let file = kb.join("intents/status-paused.toml");
    let text = std::fs::read_to_string(&file).expect("intent file");
    let taught = text.replacen("examples = [", &format!("examples = [\n  \"{NOVEL}\","), 1);
    std::fs::write(&file, &taught).expect("write");
    wait_sample(&served, "syncmedic_kb_reloads_total", 1.0).await;
    let after = fd.user_message(ids.text_channel, &ids.asker, NOVEL).await;
    posted_in(&fd, after).await;
    assert!(
        thread_name(after).contains("Paused"),
        "{}",
        thread_name(after)
    );

    // A broken save is refused with its file and line; the running
    // knowledge base keeps answering.
    std::fs::write(&file, taught.replacen("title = ", "title = = ", 1)).expect("write");
    let metrics = wait_sample(&served, "syncmedic_kb_reload_failures_total", 1.0).await;
    assert_eq!(sample(&metrics, "syncmedic_kb_reloads_total"), Some(1.0));
    served.wait_log("status-paused.toml:2", WAIT).await;
    let still = fd.user_message(ids.text_channel, &ids.asker, NOVEL).await;
    posted_in(&fd, still).await;
    assert!(
        thread_name(still).contains("Paused"),
        "{}",
        thread_name(still)
    );

    // `/kb reload` says the same to staff, and refuses everyone else.
    let refused = kb_reload(&fd, &ids.other).await;
    let content = refused.body["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("Only the support team"), "{content}");
    let answer = kb_reload(&fd, &ids.staff_member).await;
    let content = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("kept the running one") && content.contains("status-paused.toml:2"),
        "{content}"
    );
    assert_eq!(answer.body["data"]["flags"], 64, "ephemeral");
    let (_, metrics) = served::get(served.health, "/metrics").await;
    assert_eq!(
        sample(&metrics, "syncmedic_commands_total"),
        Some(2.0),
        "{metrics}"
    );

    // Fixed again: the staff reload swaps it in and says how big it is.
    std::fs::write(&file, &taught).expect("write");
    let answer = kb_reload(&fd, &ids.staff_member).await;
    let content = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.starts_with("Reloaded: ") && content.contains(" intents"),
        "{content}"
    );
}
