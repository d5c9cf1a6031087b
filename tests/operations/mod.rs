//! `syncmedic serve` run as an operator runs it, as its own process: health
//! and metrics, signals, logs, and knowledge-base reloads.

mod doctor;
mod health;
mod logs;
mod reload;
mod shutdown;

use crate::support::bot::{WAIT, posted_in};
use crate::support::discord::FakeDiscord;
use crate::support::served::Served;

/// A question in the support channel, answered in its thread; returns the
/// question's id (which is the thread's).
async fn ask(fd: &FakeDiscord, text: &str) -> u64 {
    let ids = fd.ids();
    let question = fd.user_message(ids.text_channel, &ids.asker, text).await;
    posted_in(fd, question).await;
    question
}

/// The value of the sample `name` (with labels, if any) in `/metrics`.
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Polls `/metrics` until `name` reaches `want` (handlers finish after their
/// reply is posted, so a count can lag the reply by a moment).
async fn wait_sample(served: &Served, name: &str, want: f64) -> String {
    let start = std::time::Instant::now();
    loop {
        let (status, body) = crate::support::served::get(served.health, "/metrics").await;
        assert_eq!(status, 200, "{body}");
        if sample(&body, name) == Some(want) {
            return body;
        }
        assert!(
            start.elapsed() < WAIT,
            "{name} never reached {want}:\n{body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
