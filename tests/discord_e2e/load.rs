//! A CI-sized load run: a thousand questions at 200 a second over fifty
//! support channels, each answered exactly once. Nothing is timed here
//! (timed assertions flake on a shared runner); `cargo bench --bench load`
//! measures.

use super::*;
use crate::support::load::{self, Plan};
use crate::support::questions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_questions_over_fifty_channels_are_each_answered_once() {
    let fd = FakeDiscord::start().await;
    let mut channels = vec![fd.ids().text_channel];
    for i in 1..50 {
        channels.push(fd.add_text_channel(&format!("help-{i}")).await);
    }
    let list: Vec<String> = channels.iter().map(u64::to_string).collect();
    let env = [("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", list.join(","))];
    let bot = bot::start(&fd, &env).await;
    let pool = questions::pool(&bot::engine());
    let users = load::users(8_000_000, 100);
    let plan = Plan {
        messages: 1_000,
        rate: 200.0,
        channels: &channels,
        users: &users,
        chatter: 0.05,
        seed: 1_000,
    };
    let run = load::drive(&fd, &plan, &pool).await;
    each_answered_once(&fd, &run).await;
    assert!(!run.silent.is_empty(), "the run had chatter to leave alone");
    println!(
        "{} questions and {} chatter over {} channels: all answered once; {}",
        run.expected.len(),
        run.silent.len(),
        channels.len(),
        load::percentiles(&load::latencies(&fd, &run))
    );
    bot.stop().await;
}

/// Waits for every question of `run` to be answered, and requires each
/// answered exactly once and no chatter answered.
async fn each_answered_once(fd: &FakeDiscord, run: &load::Run) {
    let tally = load::settle(fd, run, Duration::from_secs(90)).await;
    assert!(
        tally.perfect() && tally.once == run.expected.len(),
        "{} of {} answered once; lost {:?}; doubled {:?}; chatter answered {:?}",
        tally.once,
        run.expected.len(),
        tally.lost,
        tally.doubled,
        tally.unexpected
    );
}

/// A server enforcing Discord's global limit (50 requests a second) with
/// `count` support channels, and the settings of a bot at its default pace
/// answering in all of them.
async fn under_discords_limit(
    count: usize,
) -> (FakeDiscord, Vec<u64>, [(&'static str, String); 2]) {
    use crate::support::discord::Options;
    let fd = FakeDiscord::start_with(Options {
        global_limit: Some(50),
        ..Options::default()
    })
    .await;
    let mut channels = vec![fd.ids().text_channel];
    for i in 1..count {
        channels.push(fd.add_text_channel(&format!("help-{i}")).await);
    }
    let list: Vec<String> = channels.iter().map(u64::to_string).collect();
    let env = [
        ("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", list.join(",")),
        ("SYNCMEDIC__LIMITS__REQUESTS_PER_SECOND", "45".into()),
    ];
    (fd, channels, env)
}

/// A burst three times Discord's global limit, with that limit enforced by
/// the test server: every question answered once, in the bot's own pace,
/// with (almost) no 429 on the way. Nothing is shed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_over_discords_global_limit_is_answered_in_full() {
    let (fd, channels, env) = under_discords_limit(30).await;
    let bot = bot::start(&fd, &env).await;
    let cursor = fd.request_count();
    let pool = questions::pool(&bot::engine());
    let users = load::users(9_000_000, 100);
    let plan = Plan {
        messages: 300,
        rate: 150.0,
        channels: &channels,
        users: &users,
        chatter: 0.0,
        seed: 2_000,
    };
    let run = load::drive(&fd, &plan, &pool).await;
    each_answered_once(&fd, &run).await;
    assert!(
        bot.backlog_kept() > 0,
        "past the window, questions waited in the store"
    );
    let requests = fd.requests_from(cursor);
    let limited = requests.iter().filter(|r| r.status == 429).count();
    let mut kinds = std::collections::BTreeMap::new();
    for r in &requests {
        let shape: Vec<&str> = r
            .path
            .split('/')
            .map(|p| {
                if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
                    "N"
                } else {
                    p
                }
            })
            .collect();
        *kinds
            .entry(format!("{} {} {}", r.method, shape.join("/"), r.status))
            .or_insert(0) += 1;
    }
    assert!(
        limited * 100 <= requests.len(),
        "{limited} of {} requests met a 429: {kinds:?}",
        requests.len()
    );
    println!(
        "{} questions at {} a second, Discord's global limit enforced: all answered once; \
         {limited} of {} requests met a 429; {}",
        run.expected.len(),
        plan.rate,
        requests.len(),
        load::percentiles(&load::latencies(&fd, &run))
    );
    bot.stop().await;
}

/// Stopped while questions wait in the backlog: the next start answers
/// every one of them once (and the ones sent while it was down).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_in_the_backlog_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let (fd, channels, env) = under_discords_limit(10).await;
    let first = bot::start_with_db(&fd, &env, &url).await;
    let pool = questions::pool(&bot::engine());
    let users = load::users(8_000_000, 100);
    let plan = Plan {
        messages: 200,
        rate: 200.0,
        channels: &channels,
        users: &users,
        chatter: 0.0,
        seed: 3_000,
    };
    let run = load::drive(&fd, &plan, &pool).await;
    assert!(
        first.backlog_kept() > 0,
        "some questions waited in the store"
    );
    first.stop().await;

    let _second = bot::start_with_db(&fd, &env, &url).await;
    each_answered_once(&fd, &run).await;
}

/// A burst of questions into one thread, well over the backlog's
/// window: they take the thread's turn one at a time, and past the window
/// they wait in the store, not as handlers in memory. Every one is
/// answered once, at the pace Discord allows one channel (five posts in
/// five seconds), so this takes over a minute.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_into_one_thread_waits_in_the_store_and_is_answered_once() {
    let (fd, _, env) = under_discords_limit(1).await;
    let bot = bot::start(&fd, &env).await;
    let ids = fd.ids().clone();
    let (thread, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let question = format!("<@{}> my ipad says Low Battery", ids.bot.id);
    let mut sent = Vec::new();
    for user in &load::users(7_000_000, 90) {
        sent.push(fd.user_message(thread, user, &question).await);
    }
    let replies_to = |fd: &FakeDiscord| {
        let mut counts: std::collections::HashMap<u64, usize> = Default::default();
        for m in fd.messages_in(thread) {
            let to = m["message_reference"]["message_id"].as_str();
            if let Some(to) = to.and_then(|t| t.parse().ok()) {
                *counts.entry(to).or_default() += 1;
            }
        }
        counts
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    while sent.iter().any(|q| !replies_to(&fd).contains_key(q))
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let counts = replies_to(&fd);
    let once = sent.iter().filter(|q| counts.get(q) == Some(&1)).count();
    assert_eq!(once, sent.len(), "{counts:?}");
    assert!(
        bot.backlog_kept() > 0,
        "questions waiting for the thread's turn waited in the store"
    );
    bot.stop().await;
}
