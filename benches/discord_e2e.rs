//! The bot end to end on loopback: questions in through the gateway,
//! replies out through REST, against the Discord-compatible test server.
//!
//! `cargo bench --bench discord_e2e` prints criterion's median for one
//! question answered at a time, then a paced run (200 questions a second)
//! with the bot-side latency p50/p99 and the messages answered per second.
//! Latency is from the gateway dispatch of the question to the arrival of
//! the reply at the REST server; both run in this process, on 2 threads.

#[path = "../tests/support/discord/mod.rs"]
#[allow(dead_code, clippy::all)]
mod discord;

use criterion::Criterion;
use discord::{FakeDiscord, TestUser};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};
use syncmedic::kb::KbFiles;
use syncmedic::settings::{Secret, Settings};

const QUESTIONS: &[&str] = &[
    "photos on my mac says Waiting to Upload 57 Items",
    "Syncing Paused on my iphone",
    "is icloud down right now?",
    "my pics from the iphone never show up on my macbook",
    "Unable to Upload 3 Items on my ipad",
    "how do i turn on icloud photos on windows",
];
const WAIT: Duration = Duration::from_secs(20);

/// The paced run: how many questions, and how fast.
const LOAD_MESSAGES: usize = 2_000;
const LOAD_RATE: f64 = 200.0;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let fd = runtime.block_on(start());
    let users: Vec<TestUser> = (0..50)
        .map(|i| TestUser::new(9_000_000 + i, &format!("user{i}")))
        .collect();

    let mut criterion = Criterion::default().configure_from_args();
    let mut n = 0usize;
    criterion.bench_function("discord_e2e/one question, answered", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    n += 1;
                    let cursor = fd.request_count();
                    let started = Instant::now();
                    let id = fd
                        .user_message(
                            fd.ids().text_channel,
                            &users[n % users.len()],
                            QUESTIONS[n % QUESTIONS.len()],
                        )
                        .await;
                    let reply = format!("/channels/{id}/messages");
                    fd.wait_for_after(cursor, WAIT, |r| r.method == "POST" && r.path == reply)
                        .await;
                    total += started.elapsed();
                }
                total
            })
        })
    });
    criterion.final_summary();

    runtime.block_on(load(&fd, &users));
}

async fn start() -> FakeDiscord {
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let env = [
        ("SYNCMEDIC__DISCORD__API_URL", fd.api_url()),
        ("SYNCMEDIC__DISCORD__GUILD_ID", ids.guild.to_string()),
        (
            "SYNCMEDIC__DISCORD__SUPPORT_CHANNELS",
            ids.text_channel.to_string(),
        ),
        ("SYNCMEDIC__LIMITS__USER_COOLDOWN_SECONDS", "0".to_string()),
        (
            "SYNCMEDIC__LIMITS__USER_REPLIES_PER_MINUTE",
            "0".to_string(),
        ),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let settings = Settings::load_with_env(None, env).expect("settings");
    let files = KbFiles::read_dir(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("knowledge base");
    let engine =
        syncmedic::shipped::engine(&files, settings.thresholds).expect("valid knowledge base");
    let store = std::sync::Arc::new(
        syncmedic::store::SqliteStore::open("sqlite::memory:").expect("database"),
    );
    tokio::spawn(syncmedic::discord::serve(
        settings,
        engine,
        None,
        store,
        Secret::new(fd.token()),
        std::sync::Arc::default(),
        std::future::pending(),
    ));
    let commands = format!(
        "/applications/{}/guilds/{}/commands",
        ids.application, ids.guild
    );
    fd.wait_for(WAIT, |r| r.method == "PUT" && r.path == commands)
        .await;
    fd
}

/// Questions at a steady rate; then each one's latency from its reply.
async fn load(fd: &FakeDiscord, users: &[TestUser]) {
    let cursor = fd.request_count();
    let interval = Duration::from_secs_f64(1.0 / LOAD_RATE);
    let mut sent: HashMap<u64, Instant> = HashMap::with_capacity(LOAD_MESSAGES);
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let first = Instant::now();
    for i in 0..LOAD_MESSAGES {
        ticker.tick().await;
        let id = fd
            .user_message(
                fd.ids().text_channel,
                &users[i % users.len()],
                QUESTIONS[i % QUESTIONS.len()],
            )
            .await;
        sent.insert(id, Instant::now());
    }
    let deadline = Instant::now() + WAIT;
    let mut latencies: Vec<Duration> = Vec::new();
    let mut last = first;
    while Instant::now() < deadline {
        latencies.clear();
        for r in fd.requests_from(cursor) {
            let Some(id) = r
                .path
                .strip_prefix("/channels/")
                .and_then(|p| p.strip_suffix("/messages"))
            else {
                continue;
            };
            if let (true, Some(at)) = (
                r.method == "POST",
                id.parse().ok().and_then(|id: u64| sent.get(&id)),
            ) {
                latencies.push(r.at.saturating_duration_since(*at));
                last = last.max(r.at);
            }
        }
        if latencies.len() >= LOAD_MESSAGES {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let elapsed = last.duration_since(first).as_secs_f64();
    println!(
        "discord_e2e/paced: {} questions at {LOAD_RATE}/s: answered {}, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0} answered/s",
        LOAD_MESSAGES,
        latencies.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.90).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        latencies.len() as f64 / elapsed
    );
    assert_eq!(
        latencies.len(),
        LOAD_MESSAGES,
        "every question answered once"
    );
}
