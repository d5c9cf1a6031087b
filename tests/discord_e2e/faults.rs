//! Gateway and REST faults: after each, every question is answered exactly
//! once, none lost and none doubled. Then all of them at once, at points a
//! seeded sequence chooses, over a few hundred questions.

mod chaos;

use super::*;
use crate::support::discord::{Fault, Options, TestUser};
use crate::support::questions;

/// Short, so that a missed ACK is noticed within a second or two.
const HEARTBEAT: Duration = Duration::from_millis(500);
/// Longer than the bot's 5 s per-try timeout.
const SLOW: Duration = Duration::from_secs(6);
/// How long a run may take to settle after its last question.
const SETTLE: Duration = Duration::from_secs(40);

/// Phrasings the bot answers (checked by `ask` in other tests).
const QUESTIONS: [&str; 6] = [
    "photos on my mac says Waiting to Upload 57 Items",
    "Syncing Paused on my iphone",
    "my pics from the iphone never show up on my macbook",
    "Unable to Upload 3 Items on my ipad",
    "how do i turn on icloud photos on windows",
    "Low Battery",
];

async fn start() -> (FakeDiscord, bot::Bot) {
    let fd = FakeDiscord::start_with(Options {
        heartbeat_interval: HEARTBEAT,
        ..Options::default()
    })
    .await;
    let bot = bot::start(&fd, &[]).await;
    (fd, bot)
}

/// Posts `n` questions in the support channel, from `ids.asker`, without
/// waiting for answers.
async fn questions(fd: &FakeDiscord, n: usize) -> Vec<u64> {
    let ids = fd.ids().clone();
    let mut asked = Vec::with_capacity(n);
    for i in 0..n {
        let text = QUESTIONS[i % QUESTIONS.len()];
        asked.push(fd.user_message(ids.text_channel, &ids.asker, text).await);
    }
    asked
}

/// Waits until every question has an answer and the server has been idle
/// (nothing in flight, no request) for a second, so that a late second
/// answer has had its chance; then requires exactly one answer each.
async fn assert_answered_once(fd: &FakeDiscord, asked: &[u64]) {
    let tally = settle(fd, asked).await;
    assert!(
        tally.perfect() && tally.once == asked.len(),
        "{tally:?} of {} questions; requests:\n{}",
        asked.len(),
        request_lines(fd)
    );
}

/// One short line per request, without bodies.
fn request_lines(fd: &FakeDiscord) -> String {
    let lines: Vec<String> = (fd.requests().iter())
        .map(|r| format!("  {} {} -> {}", r.method, r.path, r.status))
        .collect();
    lines.join("\n")
}

/// The tally once the run has settled (or `SETTLE` ran out).
async fn settle(fd: &FakeDiscord, asked: &[u64]) -> questions::Tally {
    let deadline = tokio::time::Instant::now() + SETTLE;
    let mut quiet_since = (fd.request_count(), tokio::time::Instant::now());
    loop {
        let tally = questions::tally(&fd.bot_messages(), asked, &[]);
        let now = tokio::time::Instant::now();
        let count = fd.request_count();
        if count != quiet_since.0 || fd.in_flight() > 0 {
            quiet_since = (count, now);
        }
        let idle = now.duration_since(quiet_since.1) >= Duration::from_secs(1);
        if (tally.lost.is_empty() && idle) || now > deadline {
            return tally;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Threads opened on `question` that Discord accepted.
fn threads_opened(fd: &FakeDiscord, question: u64) -> usize {
    let suffix = format!("/messages/{question}/threads");
    (fd.requests().iter())
        .filter(|r| r.method == "POST" && r.path.ends_with(&suffix) && r.status == 200)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_resumes_and_loses_nothing() {
    let (fd, bot) = start().await;
    let mut asked = questions(&fd, 3).await;
    fd.drop_gateway().await;
    // While the connection is down: replayed on RESUME.
    asked.extend(questions(&fd, 3).await);
    fd.wait_resumed(1, WAIT).await;
    asked.extend(questions(&fd, 2).await);
    assert_answered_once(&fd, &asked).await;
    assert_eq!(fd.gateway_status().identifies, 1, "resumed, not identified");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn op_7_reconnect_loses_nothing() {
    let (fd, bot) = start().await;
    let mut asked = questions(&fd, 2).await;
    fd.send_reconnect().await;
    asked.extend(questions(&fd, 3).await);
    fd.wait_resumed(1, WAIT).await;
    asked.extend(questions(&fd, 2).await);
    assert_answered_once(&fd, &asked).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumable_invalid_session_loses_nothing() {
    let (fd, bot) = start().await;
    let mut asked = questions(&fd, 2).await;
    fd.invalidate_session(true).await;
    asked.extend(questions(&fd, 3).await);
    fd.wait_gateway(WAIT, "a new connection", |s| s.connections >= 2 && s.live)
        .await;
    asked.extend(questions(&fd, 2).await);
    assert_answered_once(&fd, &asked).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_session_that_cannot_resume_identifies_again_and_loses_nothing() {
    let (fd, bot) = start().await;
    let mut asked = questions(&fd, 2).await;
    fd.invalidate_session(false).await;
    // Never delivered as events: the bot reads them back after its new READY.
    asked.extend(questions(&fd, 3).await);
    fd.wait_gateway(WAIT, "a second IDENTIFY", |s| s.identifies >= 2 && s.live)
        .await;
    asked.extend(questions(&fd, 2).await);
    assert_answered_once(&fd, &asked).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zombie_connection_is_replaced_and_loses_nothing() {
    let (fd, bot) = start().await;
    let mut asked = questions(&fd, 2).await;
    fd.stop_heartbeat_acks(true);
    asked.extend(questions(&fd, 2).await);
    fd.wait_gateway(WAIT, "a reconnect after missed ACKs", |s| {
        s.connections >= 2
    })
    .await;
    fd.stop_heartbeat_acks(false);
    asked.extend(questions(&fd, 2).await);
    fd.wait_gateway(WAIT, "a live connection", |s| s.live).await;
    asked.extend(questions(&fd, 2).await);
    assert_answered_once(&fd, &asked).await;
    bot.stop().await;
}

/// Events the bot already handled, delivered again (as a RESUME may, or a
/// redelivery): each question still has one answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_events_are_not_answered_again() {
    let (fd, bot) = start().await;
    let ids = fd.ids().clone();
    let first = questions(&fd, 3).await;
    assert_answered_once(&fd, &first).await;
    fd.drop_gateway().await;
    let mut asked = first.clone();
    asked.extend(questions(&fd, 2).await);
    for question in &first {
        let stored = (fd.all_messages_in(ids.text_channel).into_iter())
            .find(|m| id_of(&m["id"]) == *question)
            .expect("the question is stored");
        fd.dispatch("MESSAGE_CREATE", stored).await;
    }
    fd.wait_resumed(1, WAIT).await;
    assert_answered_once(&fd, &asked).await;
    bot.stop().await;
}

/// The spacing between a 429 and the next try of the same request.
fn waits_after_429(fd: &FakeDiscord) -> Vec<Duration> {
    let requests = fd.requests();
    let mut waits = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        if r.status != 429 {
            continue;
        }
        let next = requests[i + 1..]
            .iter()
            .find(|n| n.method == r.method && n.path == r.path);
        waits.extend(next.map(|n| n.at.duration_since(r.at)));
    }
    waits
}

async fn rate_limited(global: bool) {
    let (fd, bot) = start().await;
    let retry_after = 0.3;
    let limited = Fault::RateLimited {
        retry_after_secs: retry_after,
        global,
    };
    fd.fail_next_ending("POST", "/channels/", "/threads", vec![limited.clone(); 2]);
    fd.fail_next_ending("POST", "/channels/", "/messages", vec![limited; 2]);
    let asked = questions(&fd, 4).await;
    assert_answered_once(&fd, &asked).await;
    let waits = waits_after_429(&fd);
    assert_eq!(waits.len(), 4, "every 429 was tried again");
    assert!(
        waits.iter().all(|w| w.as_secs_f64() >= retry_after),
        "a retry came sooner than retry_after: {waits:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_route_429_is_waited_out_and_retried() {
    rate_limited(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_429_is_waited_out_and_retried() {
    rate_limited(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried() {
    let (fd, bot) = start().await;
    let errors = vec![Fault::Status(500), Fault::Status(502), Fault::Status(500)];
    fd.fail_next_ending("POST", "/channels/", "/threads", errors.clone());
    fd.fail_next_ending("POST", "/channels/", "/messages", errors);
    let asked = questions(&fd, 4).await;
    assert_answered_once(&fd, &asked).await;
    for question in &asked {
        assert_eq!(threads_opened(&fd, *question), 1, "in its own thread");
    }
    bot.stop().await;
}

/// Discord did the work but its answer came too late: the retried post is
/// the same message (nonce), the retried thread is the one already made
/// (160004). A request held before the work is done races its retry the
/// same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_slower_than_the_timeout_are_retried_without_doubles() {
    let (fd, bot) = start().await;
    // One phase at a time: a retry must not take the next phase's fault.
    fd.fail_next_ending(
        "POST",
        "/channels/",
        "/threads",
        vec![Fault::DelayAfter(SLOW)],
    );
    let thread_late = questions(&fd, 1).await;
    assert_answered_once(&fd, &thread_late).await;
    fd.fail_next_ending(
        "POST",
        "/channels/",
        "/messages",
        vec![Fault::DelayAfter(SLOW)],
    );
    let reply_late = questions(&fd, 1).await;
    assert_answered_once(&fd, &reply_late).await;
    fd.fail_next_ending("POST", "/channels/", "/messages", vec![Fault::Delay(SLOW)]);
    fd.fail_next_ending("POST", "/channels/", "/threads", vec![Fault::Delay(SLOW)]);
    let held = questions(&fd, 1).await;
    let asked: Vec<u64> = [thread_late, reply_late, held].concat();
    assert_answered_once(&fd, &asked).await;
    for question in &asked {
        assert_eq!(threads_opened(&fd, *question), 1, "in its own thread");
    }
    let refused = (fd.requests().iter())
        .filter(|r| r.path.ends_with("/threads") && r.status == 400)
        .count();
    assert!(refused >= 1, "a retried thread met Discord's 160004");
    bot.stop().await;
}

/// Retries are bounded: a reply Discord keeps refusing is tried a few
/// times and given up (and logged), and later questions are not held up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_that_keeps_failing_is_given_up_after_a_few_tries() {
    let (fd, bot) = start().await;
    fd.fail_next_ending(
        "POST",
        "/channels/",
        "/messages",
        vec![Fault::Status(503); 5],
    );
    let lost = questions(&fd, 1).await[0];
    let path = format!("/channels/{lost}/messages");
    let tries = || {
        (fd.requests().iter())
            .filter(|r| r.method == "POST" && r.path == path)
            .count()
    };
    let deadline = tokio::time::Instant::now() + SETTLE;
    while tries() < 5 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let later = questions(&fd, 2).await;
    assert_answered_once(&fd, &later).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(tries(), 5, "five tries, then no more");
    assert!(fd.messages_in(lost).is_empty());
    bot.stop().await;
}

/// A thread that cannot be opened: the answer goes beside the question as a
/// reply, and the channel does not turn into that conversation: the next
/// question gets a thread of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_that_cannot_be_opened_answers_beside_the_question() {
    let (fd, bot) = start().await;
    let ids = fd.ids().clone();
    fd.fail_next_ending(
        "POST",
        "/channels/",
        "/threads",
        vec![Fault::Status(500); 5],
    );
    let first = questions(&fd, 1).await;
    let beside = posted_in(&fd, ids.text_channel).await;
    assert_eq!(
        beside.body["message_reference"]["message_id"],
        first[0].to_string(),
        "a reply to the question: {}",
        beside.body
    );
    let other = TestUser::new(ids.other.id, &ids.other.name);
    let next = fd
        .user_message(ids.text_channel, &other, QUESTIONS[1])
        .await;
    let asked = [first[0], next];
    assert_answered_once(&fd, &asked).await;
    assert_eq!(
        threads_opened(&fd, next),
        1,
        "the next question has a thread"
    );
    bot.stop().await;
}
