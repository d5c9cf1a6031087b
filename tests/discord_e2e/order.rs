//! A conversation's events are taken one at a time.

use super::*;
use crate::support::bot::OnDisk;
use crate::support::discord::{Ids, TestUser};

/// Two quick DMs from someone new: whichever is taken first opens the
/// case and the other follows it up; neither opens a second case over
/// the first (which of the two goes first is Discord's events' race).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_quick_dms_make_one_case() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    fd.dm_message(&ids.asker, "Syncing Paused on my iphone")
        .await;
    fd.dm_message(&ids.asker, "hello?").await;
    let dm = fd.dm_channel_of(&ids.asker);
    nth_post_in(&fd, dm, 2).await;
    fd.dm_message(&ids.asker, "still stuck").await;
    let next = nth_post_in(&fd, dm, 3).await;
    assert!(
        next.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 2 of")),
        "the Paused case goes on: {}",
        fd.describe_requests()
    );
    bot.stop().await;
}

/// A case's thread; the bot stopped while `author` wrote `text` in it
/// (both drawn from the server's ids);
/// started again with the thread read back slowly, while the asker's
/// "still stuck" came through the gateway and was answered with step 2.
/// Returns once the read-back has run to the end, with the id of the
/// message written while stopped.
async fn read_back_after_a_newer_follow_up(
    author: fn(&Ids) -> &TestUser,
    text: fn(&Ids) -> String,
) -> (OnDisk, FakeDiscord, bot::Bot, u64, u64) {
    use crate::support::discord::Fault;
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let (thread, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    first.stop().await;
    let written = fd.user_message(thread, author(&ids), &text(&ids)).await;
    let delay = vec![Fault::Delay(Duration::from_secs(5))];
    fd.fail_next("GET", &format!("/channels/{thread}/messages"), delay);
    let second = bot::start_with_db(&fd, &[], &disk.url).await;
    fd.user_message(thread, &ids.asker, "still stuck").await;
    assert_has_step(&nth_post_in(&fd, thread, 2).await, 2);
    second.read_back(1).await;
    (disk, fd, second, thread, written)
}

/// A follow-up written while the bot was stopped, read back only after a
/// newer one came through the gateway: the newer one was answered with
/// the case as it stands, so the older is passed over, not answered after
/// it as a second step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_read_back_after_a_newer_one_is_passed_over() {
    let (_disk, fd, bot, thread, _) =
        read_back_after_a_newer_follow_up(|ids| &ids.asker, |_| "still stuck".into()).await;
    assert_eq!(
        fd.messages_in(thread).len(),
        2,
        "{}",
        fd.describe_requests()
    );
    bot.stop().await;
}

/// The same, but the message written while the bot was stopped is someone
/// else's question in the asker's thread: it is a question of its own,
/// not the asker's overtaken follow-up, and it is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bystanders_question_read_back_is_still_answered() {
    let mention = |ids: &Ids| format!("<@{}> my ipad says Low Battery", ids.bot.id);
    let (_disk, fd, bot, thread, theirs) =
        read_back_after_a_newer_follow_up(|ids| &ids.other, mention).await;
    let answered = fd
        .messages_in(thread)
        .iter()
        .any(|m| m["message_reference"]["message_id"].as_str() == Some(&*theirs.to_string()));
    assert!(answered, "{}", fd.describe_requests());
    bot.stop().await;
}
