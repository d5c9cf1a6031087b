//! SIGTERM and ctrl-c (SIGINT): the gateway closes, the reply in flight is
//! finished, the store is closed, and the process exits 0 within 10 s.

use crate::support::bot::{WAIT, posted_in};
use crate::support::discord::{FakeDiscord, Fault};
use crate::support::served::{self, get};
use std::time::Duration;

async fn stops_cleanly_on(signal: &str) {
    let fd = FakeDiscord::start().await;
    let mut served = served::serve(&fd, &[], &[]).await;
    let ids = fd.ids().clone();
    // The start-up checks of the support channel's permissions come after
    // the commands: once they are done, the only request held below is
    // the answer's.
    fd.wait_for(WAIT, |r| r.path.contains("/members/")).await;
    // The thread for the answer takes a while: the reply is in flight when
    // the signal comes.
    fd.fail_next(
        "POST",
        &format!("/channels/{}/messages/", ids.text_channel),
        vec![Fault::Delay(Duration::from_millis(1_500))],
    );
    let question = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            "my photos say Paused in the Photos app",
        )
        .await;
    // Signalled only once the thread request is being held.
    let start = std::time::Instant::now();
    while fd.in_flight() == 0 {
        assert!(start.elapsed() < WAIT, "the reply never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    served.signal(signal);
    served.wait_log("shutting down", WAIT).await;
    let (status, body) = get(served.health, "/healthz").await;
    assert_eq!(status, 503, "not ready while stopping: {body}");
    assert!(body.contains("\"shutting_down\":true"), "{body}");

    let (exit, took) = served
        .wait_exit(Duration::from_secs(10))
        .await
        .unwrap_or_else(|| panic!("still running 10 s after SIG{signal}:\n{}", served.stderr()));
    assert!(exit.success(), "exit {exit:?}:\n{}", served.stderr());
    assert!(took < Duration::from_secs(10));
    posted_in(&fd, question).await;
    assert_eq!(
        fd.messages_in(question).len(),
        1,
        "the reply in flight was sent, once"
    );
    let log = served.stderr();
    assert!(log.contains("stopped cleanly"), "{log}");

    // The conversation is in the main database file, the WAL checkpointed.
    let wal = served.db_path().with_extension("db-wal");
    assert!(!served::non_empty(&wal), "the WAL was checkpointed");
    let db = rusqlite::Connection::open(served.db_path()).expect("database opens");
    let kept: i64 = db
        .query_row("SELECT count(*) FROM conversations", [], |r| r.get(0))
        .expect("count");
    assert_eq!(kept, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_reply_in_flight_and_exits_zero() {
    stops_cleanly_on("TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_does_the_same() {
    stops_cleanly_on("INT").await;
}
