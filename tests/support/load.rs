//! Paced runs of many questions through the loopback Discord and what they
//! show: every question's answers counted, and the bot-side latency of each
//! (gateway dispatch of the question to the arrival of its answer). Shared
//! by the CI load test and the load bench, which includes this file by path
//! beside `discord` and `questions`.
// Shared by a test module and a bench: each uses what it needs.
#![allow(dead_code)]

use super::discord::{FakeDiscord, TestUser};
use super::questions::{self, Pool, Rng, Tally};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What to send: `messages` at `rate` a second, spread over `channels`,
/// each from the next of `users` in turn.
pub struct Plan<'a> {
    pub messages: usize,
    pub rate: f64,
    pub channels: &'a [u64],
    pub users: &'a [TestUser],
    /// The share of chatter, which must get no answer.
    pub chatter: f64,
    pub seed: u64,
}

/// What was sent, to check against what came back.
#[derive(Default)]
pub struct Run {
    /// Questions the bot must answer once, with when each was dispatched.
    pub sent: HashMap<u64, Instant>,
    pub expected: Vec<u64>,
    pub silent: Vec<u64>,
    /// The server's request count before the run: answers come after it.
    pub cursor: usize,
    pub started: Option<Instant>,
    pub finished: Option<Instant>,
}

/// `n` users in turn, with ids from `first`. At `rate` messages a second a
/// user asks again after `n / rate` seconds.
pub fn users(first: u64, n: usize) -> Vec<TestUser> {
    (0..n as u64)
        .map(|i| TestUser::new(first + i, &format!("user{}", first + i)))
        .collect()
}

/// Sends the plan at its pace; a tick missed by a slow send is made up at
/// once, so the average rate holds.
pub async fn drive(fd: &FakeDiscord, plan: &Plan<'_>, pool: &Pool) -> Run {
    let mut rng = Rng::new(plan.seed);
    let mut run = Run {
        cursor: fd.request_count(),
        started: Some(Instant::now()),
        ..Run::default()
    };
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / plan.rate));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    for i in 0..plan.messages {
        ticker.tick().await;
        let silent = rng.chance(plan.chatter);
        let text = if silent {
            rng.pick(&pool.silent)
        } else {
            rng.pick(&pool.answered)
        };
        let channel = plan.channels[i % plan.channels.len()];
        let user = &plan.users[i % plan.users.len()];
        let id = fd.user_message(channel, user, text).await;
        if silent {
            run.silent.push(id);
        } else {
            run.sent.insert(id, Instant::now());
            run.expected.push(id);
        }
    }
    run.finished = Some(Instant::now());
    run
}

/// Waits until every expected question has an answer (or `timeout`), then
/// a second more for any second answer, and counts.
pub async fn settle(fd: &FakeDiscord, run: &Run, timeout: Duration) -> Tally {
    let deadline = Instant::now() + timeout;
    loop {
        let tally = questions::tally(&fd.bot_messages(), &run.expected, &run.silent);
        if tally.lost.is_empty() || Instant::now() > deadline {
            tokio::time::sleep(Duration::from_secs(1)).await;
            return questions::tally(&fd.bot_messages(), &run.expected, &run.silent);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Each answered question's latency: dispatch to the arrival of the first
/// post that answered it.
pub fn latencies(fd: &FakeDiscord, run: &Run) -> Vec<Duration> {
    let mut first: HashMap<u64, Instant> = HashMap::new();
    for r in fd.requests_from(run.cursor) {
        let channel = r
            .path
            .strip_prefix("/channels/")
            .and_then(|p| p.strip_suffix("/messages"))
            .and_then(|c| c.parse().ok());
        let (Some(channel), "POST", 200) = (channel, r.method.as_str(), r.status) else {
            continue;
        };
        if let Some(q) = questions::answers(channel, &r.body, |id| run.sent.contains_key(&id)) {
            first.entry(q).or_insert(r.at);
        }
    }
    let mut out: Vec<Duration> = (first.iter())
        .map(|(q, at)| at.saturating_duration_since(run.sent[q]))
        .collect();
    out.sort();
    out
}

/// p50, p90, p99 and max of sorted latencies, in ms.
pub fn percentiles(sorted: &[Duration]) -> String {
    if sorted.is_empty() {
        return "no answers".into();
    }
    let at = |p: f64| {
        let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[i].as_secs_f64() * 1e3
    };
    format!(
        "p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    )
}
