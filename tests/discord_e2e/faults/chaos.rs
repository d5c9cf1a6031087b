//! Every fault at once: a few hundred questions from several users over
//! several support channels, with gateway and REST faults injected before
//! questions a seeded sequence picks. `CHAOS_SEED=N` replays a run.

use super::*;
use crate::support::questions::{self, Rng};

const SEED: u64 = 0x5EED_FA17;
const ASKED: usize = 300;
const USERS: u64 = 6;
const CHANNELS: usize = 5;
/// Between two questions: the run asks for about 15 s.
const PACE: Duration = Duration::from_millis(50);
/// The chance of a fault before a question: about twenty in a run.
const FAULT_RATE: f64 = 0.07;
/// The chance that a message is chatter the bot must leave alone.
const CHATTER_RATE: f64 = 0.1;

#[derive(Debug, Clone, Copy)]
enum Chaos {
    Drop,
    Reconnect,
    Invalidate {
        resumable: bool,
    },
    Zombie,
    /// An already answered question delivered again.
    Replay,
    Rest {
        fault: RestFault,
        thread: bool,
    },
}

#[derive(Debug, Clone, Copy)]
enum RestFault {
    RateLimited { global: bool },
    Status(u16),
    SlowAfter,
    SlowBefore,
}

fn pick(rng: &mut Rng) -> Chaos {
    let rest = |fault| Chaos::Rest {
        fault,
        thread: false,
    };
    let mut chaos = match rng.below(11) {
        0 => Chaos::Drop,
        1 => Chaos::Reconnect,
        2 => Chaos::Invalidate { resumable: true },
        3 => Chaos::Invalidate { resumable: false },
        4 => Chaos::Zombie,
        5 => Chaos::Replay,
        6 => rest(RestFault::RateLimited { global: false }),
        7 => rest(RestFault::RateLimited { global: true }),
        8 => rest(RestFault::Status(*rng.pick(&[500, 502, 503]))),
        9 => rest(RestFault::SlowAfter),
        _ => rest(RestFault::SlowBefore),
    };
    if let Chaos::Rest { thread, .. } = &mut chaos {
        *thread = rng.chance(0.5);
    }
    chaos
}

/// The fault as the server plays it.
fn fault_of(fault: RestFault, rng: &mut Rng) -> Fault {
    match fault {
        RestFault::RateLimited { global } => Fault::RateLimited {
            retry_after_secs: 0.1 + rng.below(4) as f64 / 10.0,
            global,
        },
        RestFault::Status(code) => Fault::Status(code),
        RestFault::SlowAfter => Fault::DelayAfter(SLOW),
        RestFault::SlowBefore => Fault::Delay(SLOW),
    }
}

async fn inject(fd: &FakeDiscord, chaos: Chaos, asked: &[(u64, u64)], rng: &mut Rng) -> String {
    let gateway = !matches!(chaos, Chaos::Rest { .. } | Chaos::Replay);
    if gateway {
        // A session is only dropped for good while it is live: events sent
        // meanwhile are lost by the protocol, not by the bot.
        fd.wait_gateway(WAIT, "a live gateway", |s| s.live).await;
    }
    match chaos {
        Chaos::Drop => fd.drop_gateway().await,
        Chaos::Reconnect => fd.send_reconnect().await,
        Chaos::Invalidate { resumable } => fd.invalidate_session(resumable).await,
        Chaos::Zombie => {
            let before = fd.gateway_status().connections;
            fd.stop_heartbeat_acks(true);
            let fd = fd.clone();
            tokio::spawn(async move {
                let deadline = tokio::time::Instant::now() + WAIT;
                while fd.gateway_status().connections == before
                    && tokio::time::Instant::now() < deadline
                {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                fd.stop_heartbeat_acks(false);
            });
        }
        Chaos::Replay => {
            if asked.is_empty() {
                return "replay: nothing asked yet".into();
            }
            let (channel, question) = *rng.pick(asked);
            let stored = (fd.all_messages_in(channel).into_iter())
                .find(|m| id_of(&m["id"]) == question)
                .expect("an asked question is stored");
            fd.dispatch("MESSAGE_CREATE", stored).await;
            return format!("replay of {question}");
        }
        Chaos::Rest { fault, thread } => {
            let suffix = if thread { "/threads" } else { "/messages" };
            let played = fault_of(fault, rng);
            fd.fail_next_ending("POST", "/channels/", suffix, vec![played.clone()]);
            return format!("{played:?} on the next POST …{suffix}");
        }
    }
    format!("{chaos:?}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_question_is_answered_once_through_seeded_faults() {
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut rng = Rng::new(seed);
    let fd = FakeDiscord::start_with(Options {
        heartbeat_interval: HEARTBEAT,
        ..Options::default()
    })
    .await;
    let mut channels = vec![fd.ids().text_channel];
    for i in 1..CHANNELS {
        channels.push(fd.add_text_channel(&format!("help-{i}")).await);
    }
    let list: Vec<String> = channels.iter().map(u64::to_string).collect();
    let env = [("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", list.join(","))];
    let bot = bot::start(&fd, &env).await;
    let pool = questions::pool(&bot::engine());
    let users: Vec<TestUser> = (0..USERS)
        .map(|i| TestUser::new(7_000_000 + i, &format!("user{i}")))
        .collect();

    let started = std::time::Instant::now();
    let mut log = Vec::new();
    let (mut asked, mut chatter) = (Vec::new(), Vec::new());
    let mut all: Vec<(u64, u64)> = Vec::new();
    let mut texts = std::collections::HashMap::new();
    for i in 0..ASKED {
        if rng.chance(FAULT_RATE) {
            let chaos = pick(&mut rng);
            let done = inject(&fd, chaos, &all, &mut rng).await;
            log.push(format!("before #{i} at {:?}: {done}", started.elapsed()));
        }
        let silent = rng.chance(CHATTER_RATE);
        let text = if silent {
            rng.pick(&pool.silent)
        } else {
            rng.pick(&pool.answered)
        };
        let channel = *rng.pick(&channels);
        let user = rng.pick(&users);
        let id = fd.user_message(channel, user, text).await;
        texts.insert(id, (i, text.clone()));
        all.push((channel, id));
        if silent { &mut chatter } else { &mut asked }.push(id);
        tokio::time::sleep(PACE).await;
    }
    fd.stop_heartbeat_acks(false);
    let mut tally = settle(&fd, &asked).await;
    tally.unexpected = questions::tally(&fd.bot_messages(), &[], &chatter).unexpected;
    let took = started.elapsed();
    let name = |q: &u64| format!("{q} {:?}", texts.get(q));
    assert!(
        tally.perfect() && tally.once == asked.len(),
        "seed {seed}: {} of {} answered once in {took:?}\nlost: {:?}\ndoubled: {:?}\nanswered chatter: {:?}\nfaults:\n  {}",
        tally.once,
        asked.len(),
        tally.lost.iter().map(name).collect::<Vec<_>>(),
        tally.doubled,
        tally.unexpected.iter().map(name).collect::<Vec<_>>(),
        log.join("\n  ")
    );
    println!(
        "chaos seed {seed}: {} questions and {} chatter over {CHANNELS} channels, {} faults, all answered once in {took:?}:\n  {}",
        asked.len(),
        chatter.len(),
        log.len(),
        log.join("\n  ")
    );
    bot.stop().await;
}
