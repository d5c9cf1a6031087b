//! A slow store never costs an interaction Discord's 3 s: presses and
//! forms are acknowledged before the bot writes anything, and answered
//! once the store is back.
//!
//! The store is made slow the way it gets slow in the field: another
//! process (`syncmedic chat` on the same database, a backup) holds its
//! write lock. The tests hold it until the acknowledgement has arrived, so
//! a bot that wrote first could not pass however fast the machine.

use super::*;
use crate::support::bot::OnDisk;
use crate::support::discord::Recorded;

/// A bot on a database file of its own, kept as long as the `OnDisk`.
async fn bot_on_file(fd: &FakeDiscord, env: &[(&str, String)]) -> (OnDisk, bot::Bot) {
    let disk = OnDisk::new();
    let bot = bot::start_with_db(fd, env, &disk.url).await;
    (disk, bot)
}

/// Holds the database's write lock until dropped.
fn lock_writes(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("open the bot's database");
    conn.execute_batch("BEGIN IMMEDIATE;")
        .expect("take the write lock");
    conn
}

/// The first request answering `interaction`: its acknowledgement.
async fn acknowledgement(fd: &FakeDiscord, interaction: u64) -> Recorded {
    let prefix = format!("/interactions/{interaction}/");
    fd.wait_for(WAIT, |r| r.path.starts_with(&prefix)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_press_is_acknowledged_while_the_store_is_locked() {
    let fd = FakeDiscord::start().await;
    let (disk, bot) = bot_on_file(&fd, &[]).await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let lock = lock_writes(&disk.path);
    let next = press(&fd, question, &ids.asker, &reply.body, "sm1:next").await;
    let ack = acknowledgement(&fd, next).await;
    assert_eq!(ack.body["type"], 6, "DEFERRED_UPDATE_MESSAGE: {}", ack.body);
    assert_eq!(ack.status, 204, "inside Discord's window");
    drop(lock);

    let answer = callback(&fd, next).await;
    assert_shows_step(&answer, 2);
    assert_no_mentions(&answer.body["data"]);
    // The step it moved to was stored: the next press carries on from it.
    let again = press(&fd, question, &ids.asker, &answer.body["data"], "sm1:next").await;
    let after = callback(&fd, again).await;
    assert!(
        after.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 3 of")),
        "{}",
        after.body
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_form_is_acknowledged_while_the_store_is_locked() {
    let fd = FakeDiscord::start().await;
    let staff = fd.add_text_channel("staff").await;
    let env = [("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string())];
    let (disk, bot) = bot_on_file(&fd, &env).await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let modal = open_form(&fd, question, &ids.asker, &reply.body).await;
    let form_id = modal["data"]["custom_id"].as_str().unwrap_or_default();

    let lock = lock_writes(&disk.path);
    let submit = fd
        .submit_modal(
            question,
            &ids.asker,
            form_id,
            &[("device_model", "iPhone 15")],
        )
        .await;
    let ack = acknowledgement(&fd, submit).await;
    assert!(
        matches!(ack.body["type"].as_u64(), Some(5 | 6)),
        "deferred: {}",
        ack.body
    );
    assert_eq!(ack.status, 204, "inside Discord's window");
    drop(lock);

    let answer = callback(&fd, submit).await;
    assert_eq!(answer.body["type"], 4, "{}", answer.body);
    assert_ne!(
        answer.body["data"]["flags"], EPHEMERAL,
        "the hand-over is told in the thread: {}",
        answer.body
    );
    assert_eq!(ticket_posts_eventually(&fd, staff).await, 1);
    bot.stop().await;
}

/// Ticket posts in `channel`, once the first has arrived.
async fn ticket_posts_eventually(fd: &FakeDiscord, channel: u64) -> usize {
    let path = format!("/channels/{channel}/messages");
    fd.wait_for(WAIT, |r| r.method == "POST" && r.path == path)
        .await;
    ticket_posts(fd, channel).len()
}
