//! Load through the loopback Discord, with the bot as it ships: the release
//! binary runs `syncmedic serve` in its own process (default settings, so
//! the 10 s per-user cooldown is on), and this process plays Discord.
//!
//! Phase 1: `LOAD_MESSAGES` (10,000) questions at `LOAD_RATE` (200) a
//! second over `LOAD_CHANNELS` (50) support channels, from enough users in
//! turn that none asks twice within the cooldown; about 5 % is chatter that
//! must get no answer. Reported: answered once / lost / doubled, bot-side
//! latency (gateway dispatch of the question to the arrival of its answer
//! here), throughput, and the bot's memory (VmRSS every second, VmHWM).
//!
//! Phase 2: others ask at `FLOOD_OTHERS_RATE` (20) a second for
//! `FLOOD_SECONDS` (10), first alone, then while one user floods one channel
//! with `FLOOD_RATE` (50) messages a second: their latency both ways.
//!
//! With `LOAD_DISCORD_LIMIT` (say 50) the server enforces Discord's
//! global limit, answering 429 past it, and the bot runs at its default
//! pace (45 a second; `LOAD_PACE` to change): phase 1 then reports the
//! drain time and the 429s met, and phase 2 is skipped. Issue 12's burst:
//! `LOAD_DISCORD_LIMIT=50 LOAD_MESSAGES=1500 LOAD_RATE=150 LOAD_CHANNELS=30`.
//!
//! Exits non-zero if any question is lost or answered twice, or chatter is
//! answered. `cargo bench --bench load`; a quick run:
//! `LOAD_MESSAGES=1000 cargo bench --bench load`.
//!
//! Where the memory goes: `LOAD_WRAPPER="heaptrack -o /tmp/bot"` runs the
//! bot under heaptrack (with `CARGO_PROFILE_RELEASE_STRIP=false
//! CARGO_PROFILE_RELEASE_DEBUG=1` for names); the figures are then the
//! profiler's.

#[path = "../tests/support/discord/mod.rs"]
#[allow(dead_code, clippy::all)]
mod discord;
#[path = "../tests/support/load.rs"]
mod load;
#[path = "../tests/support/questions.rs"]
mod questions;
#[path = "../tests/support/release_bot.rs"]
mod release_bot;

use discord::{FakeDiscord, TestUser};
use load::{Plan, Run};
use questions::{Pool, Tally};
use release_bot::{Memory, kib, spawn_bot, status_kib};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;
use syncmedic::kb::KbFiles;

/// The default `limits.user_cooldown_seconds`; users take turns so that
/// none asks again sooner.
const COOLDOWN: Duration = Duration::from_secs(10);

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let clean = runtime.block_on(bench());
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn bench() -> bool {
    let messages: usize = env_or("LOAD_MESSAGES", 10_000);
    let rate: f64 = env_or("LOAD_RATE", 200.0);
    let channel_count: usize = env_or("LOAD_CHANNELS", 50);
    let flood_seconds: f64 = env_or("FLOOD_SECONDS", 10.0);
    let flood_rate: f64 = env_or("FLOOD_RATE", 50.0);
    let others_rate: f64 = env_or("FLOOD_OTHERS_RATE", 20.0);

    let limit: Option<u32> = std::env::var("LOAD_DISCORD_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok());
    let fd = FakeDiscord::start_with(discord::Options {
        global_limit: limit,
        ..discord::Options::default()
    })
    .await;
    let mut channels = vec![fd.ids().text_channel];
    for i in 1..channel_count {
        channels.push(fd.add_text_channel(&format!("help-{i}")).await);
    }
    let bot = spawn_bot(&fd, &channels, limit.is_some()).await;
    let pid = bot.child.id();
    let memory = Memory::sample(pid);
    let files = KbFiles::read_dir(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("knowledge base");
    let settings =
        syncmedic::settings::Settings::load_with_env(None, Vec::<(String, String)>::new())
            .expect("default settings");
    let engine =
        syncmedic::shipped::engine(&files, settings.thresholds).expect("valid knowledge base");
    let pool = questions::pool(&engine);
    println!(
        "load: the bot is pid {pid}; {} answered phrasings and {} chatter lines; VmRSS at rest {} (heap and stacks {}, mapped files {})",
        pool.answered.len(),
        pool.silent.len(),
        kib(status_kib(pid, "VmRSS")),
        kib(status_kib(pid, "RssAnon")),
        kib(status_kib(pid, "RssFile")),
    );

    // Enough users that each asks again only after the cooldown (and a bit).
    let turn = (rate * COOLDOWN.as_secs_f64() * 1.25).ceil() as usize;
    let users = load::users(10_000_000, turn.max(1));
    let plan = Plan {
        messages,
        rate,
        channels: &channels,
        users: &users,
        chatter: 0.05,
        seed: 10_000,
    };
    let run = load::drive(&fd, &plan, &pool).await;
    // Paced, the bot drains about 22 questions a second.
    let settle = Duration::from_secs(60).max(Duration::from_secs(messages as u64 / 15));
    let tally = load::settle(&fd, &run, settle).await;
    let rss = memory.stop();
    let clean = report_load(&fd, &run, &tally, &plan, &rss, pid);
    if limit.is_some() {
        let requests = fd.requests_from(run.cursor);
        let refused = requests.iter().filter(|r| r.status == 429).count();
        println!(
            "load: under the global limit: {refused} of {} requests met a 429 ({:.2} %)",
            requests.len(),
            100.0 * refused as f64 / requests.len().max(1) as f64
        );
        return clean;
    }

    let flood_clean = flood(
        &fd,
        &channels,
        &pool,
        Flood {
            seconds: flood_seconds,
            rate: flood_rate,
            others_rate,
        },
    )
    .await;
    println!(
        "memory: VmRSS after the flood {} (heap and stacks {}, mapped files {}), VmHWM (peak) {}; {} threads",
        kib(status_kib(pid, "VmRSS")),
        kib(status_kib(pid, "RssAnon")),
        kib(status_kib(pid, "RssFile")),
        kib(status_kib(pid, "VmHWM")),
        status_kib(pid, "Threads").unwrap_or(0),
    );
    let problems = std::fs::read_to_string(&bot.log).unwrap_or_default();
    let (warns, errors) = (
        problems.lines().filter(|l| l.contains("WARN")).count(),
        problems.lines().filter(|l| l.contains("ERROR")).count(),
    );
    println!("bot log: {warns} warnings, {errors} errors");
    clean && flood_clean
}

fn report_load(
    fd: &FakeDiscord,
    run: &Run,
    tally: &Tally,
    plan: &Plan<'_>,
    rss: &[u64],
    pid: u32,
) -> bool {
    let latencies = load::latencies(fd, run);
    let (started, finished) = (
        run.started.expect("a run has a start"),
        run.finished.expect("a run has an end"),
    );
    let sent_for = finished.duration_since(started).as_secs_f64();
    let answered_in = fd
        .requests_from(run.cursor)
        .iter()
        .filter(|r| r.method == "POST" && r.status == 200)
        .map(|r| r.at)
        .max()
        .unwrap_or(finished)
        .duration_since(started)
        .as_secs_f64();
    println!(
        "load: {} messages ({} questions, {} chatter) at {} /s over {} channels from {} users in turn, sent in {:.1} s",
        run.expected.len() + run.silent.len(),
        run.expected.len(),
        run.silent.len(),
        plan.rate,
        plan.channels.len(),
        plan.users.len(),
        sent_for
    );
    println!(
        "load: answered once {}, lost {}, doubled {}, chatter answered {}",
        tally.once,
        tally.lost.len(),
        tally.doubled.len(),
        tally.unexpected.len()
    );
    println!(
        "load: bot-side latency {}; throughput {:.0} answers/s (last answer {:.1} s after the first question)",
        load::percentiles(&latencies),
        tally.once as f64 / answered_in,
        answered_in
    );
    let mb = |k: u64| k as f64 / 1024.0;
    if let (Some(first), Some(last)) = (rss.first(), rss.last()) {
        let middle = rss[rss.len() / 2];
        println!(
            "load: bot VmRSS start {:.1} MiB, middle {:.1} MiB, end {:.1} MiB ({} samples, 1 s apart); VmHWM {:.1} MiB",
            mb(*first),
            mb(middle),
            mb(*last),
            rss.len(),
            mb(status_kib(pid, "VmHWM").unwrap_or(0))
        );
        let tenths: Vec<String> = (0..=10)
            .map(|t| format!("{:.1}", mb(rss[(rss.len() - 1) * t / 10])))
            .collect();
        println!(
            "load: bot VmRSS by tenths of the run, MiB: {}",
            tenths.join(" ")
        );
    }
    if !tally.perfect() {
        println!(
            "load: FAILED: lost {:?}; doubled {:?}; chatter answered {:?}",
            tally.lost, tally.doubled, tally.unexpected
        );
    }
    tally.perfect() && tally.once == run.expected.len()
}

struct Flood {
    seconds: f64,
    rate: f64,
    others_rate: f64,
}

/// Others' latency alone, then beside one user flooding one channel.
async fn flood(fd: &FakeDiscord, channels: &[u64], pool: &Pool, f: Flood) -> bool {
    let others = (f.others_rate * f.seconds).round() as usize;
    // Fresh users for each half, so the cooldown of one does not touch the other.
    let quiet_users = load::users(20_000_000, others);
    let busy_users = load::users(30_000_000, others);
    let plan = |users| Plan {
        messages: others,
        rate: f.others_rate,
        channels: if channels.len() > 1 {
            &channels[1..]
        } else {
            channels
        },
        users,
        chatter: 0.0,
        seed: 20_000,
    };
    let alone = load::drive(fd, &plan(&quiet_users), pool).await;
    let alone_tally = load::settle(fd, &alone, Duration::from_secs(30)).await;
    let alone_latency = load::latencies(fd, &alone);

    let flooder = TestUser::new(40_000_000, "flooder");
    let flood_channel = channels[0];
    let flood_messages = (f.rate * f.seconds).round() as usize;
    let text = pool.answered[0].clone();
    let flooding = {
        let fd = fd.clone();
        let flooder = flooder.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / f.rate));
            let mut ids = Vec::with_capacity(flood_messages);
            for _ in 0..flood_messages {
                ticker.tick().await;
                ids.push(fd.user_message(flood_channel, &flooder, &text).await);
            }
            ids
        })
    };
    let beside = load::drive(fd, &plan(&busy_users), pool).await;
    let flood_ids = flooding.await.expect("the flood task finishes");
    let beside_tally = load::settle(fd, &beside, Duration::from_secs(30)).await;
    let beside_latency = load::latencies(fd, &beside);
    let flood_answers = questions::tally(&fd.bot_messages(), &flood_ids, &[]);
    println!(
        "flood: others at {} /s for {} s, alone: answered once {}/{}, {}",
        f.others_rate,
        f.seconds,
        alone_tally.once,
        alone.expected.len(),
        load::percentiles(&alone_latency)
    );
    println!(
        "flood: others beside one user sending {} /s in one channel: answered once {}/{}, {}",
        f.rate,
        beside_tally.once,
        beside.expected.len(),
        load::percentiles(&beside_latency)
    );
    println!(
        "flood: the flooder's {} messages got {} replies (an answer, then one cooldown note per window)",
        flood_ids.len(),
        flood_answers.once + flood_answers.doubled.iter().map(|(_, n)| n).sum::<usize>()
    );
    [alone_tally, beside_tally]
        .iter()
        .zip([&alone, &beside])
        .all(|(t, r)| t.perfect() && t.once == r.expected.len())
}
