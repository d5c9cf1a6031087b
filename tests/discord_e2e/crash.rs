//! A crash between a reply and the mark that its message was answered:
//! the next run handles the message again, and nobody gets a second
//! answer or a case moved twice.

use super::*;
use crate::support::bot::OnDisk;

/// The restarted bot takes the question for unanswered and handles it
/// again, and its answer carries the nonce the first one did, so Discord
/// keeps one message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_before_the_answer_is_marked_does_not_answer_twice() {
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let (question, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    first.stop().await;
    disk.unmark(question);

    let cursor = fd.request_count();
    let _second = bot::start_with_db(&fd, &[], &disk.url).await;
    redeliver(&fd, ids.text_channel, question).await;
    let answer = format!("/channels/{question}/messages");
    fd.wait_for_after(cursor, WAIT, |r| r.method == "POST" && r.path == answer)
        .await;
    assert_eq!(
        fd.messages_in(question).len(),
        1,
        "{}",
        fd.describe_requests()
    );
}

/// The same crash after the first message of a DM: the DM is the case's
/// own now, so the restarted bot takes the message for a follow-up; it
/// handles it from before the case began, so the answer is the same one
/// under the same nonce, and the next message gets step 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_question_handled_again_after_a_crash_is_answered_once() {
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let question = fd
        .dm_message(&ids.asker, "Syncing Paused on my iphone")
        .await;
    let dm = fd.dm_channel_of(&ids.asker);
    let answer = posted_in(&fd, dm).await;
    first.stop().await;
    disk.unmark(question);

    let cursor = fd.request_count();
    let _second = bot::start_with_db(&fd, &[], &disk.url).await;
    // Nothing else was ever marked, so the start reads nothing back (a
    // first install owes no one an answer): the message comes again.
    redeliver(&fd, dm, question).await;
    let path = format!("/channels/{dm}/messages");
    let again = fd
        .wait_for_after(cursor, WAIT, |r| r.method == "POST" && r.path == path)
        .await;
    assert_eq!(again.body["nonce"], answer.body["nonce"]);
    assert_eq!(fd.messages_in(dm).len(), 1, "{}", fd.describe_requests());
    fd.dm_message(&ids.asker, "still stuck").await;
    assert_has_step(&nth_post_in(&fd, dm, 3).await, 2);
}

/// The same crash after a follow-up: the restarted bot finds it unmarked
/// in the case's thread and handles it again from where the case stood
/// before it, so it sends the same reply under the same nonce (Discord
/// keeps one message) and the case moves one step, not two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_handled_again_after_a_crash_moves_its_case_once() {
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let (question, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let follow_up = fd.user_message(question, &ids.asker, "still stuck").await;
    // Post 1 in the thread is the answer, post 2 the step after it.
    let step_two = nth_post_in(&fd, question, 2).await;
    assert_has_step(&step_two, 2);
    first.stop().await;
    disk.unmark(follow_up);

    let cursor = fd.request_count();
    let _second = bot::start_with_db(&fd, &[], &disk.url).await;
    let thread = format!("/channels/{question}/messages");
    let again = fd
        .wait_for_after(cursor, WAIT, |r| r.method == "POST" && r.path == thread)
        .await;
    assert_eq!(
        again.body["nonce"], step_two.body["nonce"],
        "the same reply, under the same nonce"
    );
    assert_eq!(
        fd.messages_in(question).len(),
        2,
        "{}",
        fd.describe_requests()
    );
    fd.user_message(question, &ids.asker, "still stuck").await;
    // Post 3 was the repeat Discord dropped; post 4 answers this one.
    assert_has_step(&nth_post_in(&fd, question, 4).await, 3);
}

/// A crash between a follow-up's write and its reply (here the reply
/// fails for good, as a stopped process's would never go out): the
/// restarted bot finds the follow-up unanswered in the thread, handles it
/// from before it and posts the reply it owes: the step after the answer,
/// not the one after that.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_whose_reply_never_went_out_is_answered_after_a_restart() {
    use crate::support::discord::Fault;
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let (question, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let thread = format!("/channels/{question}/messages");
    fd.fail_next("POST", &thread, vec![Fault::Status(403)]);
    fd.user_message(question, &ids.asker, "still stuck").await;
    fd.wait_for(WAIT, |r| r.path == thread && r.status == 403)
        .await;
    first.stop().await;
    assert_eq!(fd.messages_in(question).len(), 1, "only the answer so far");

    let _second = bot::start_with_db(&fd, &[], &disk.url).await;
    // Post 1 is the answer, post 2 the refused try.
    assert_has_step(&nth_post_in(&fd, question, 3).await, 2);
    assert_eq!(
        fd.messages_in(question).len(),
        2,
        "{}",
        fd.describe_requests()
    );
}
