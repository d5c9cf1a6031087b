//! Matcher speed: one message classified against the whole knowledge base,
//! and the cost of loading that knowledge base (parse, check, and train or
//! take the models built into the binary).
//!
//! `cargo bench --bench matcher`; criterion prints the median of each.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use syncmedic::Engine;
use syncmedic::kb::{Kb, KbFiles};
use syncmedic::matcher::Thresholds;
use syncmedic::settings::Settings;

/// Messages of the kinds the bot meets: pasted statuses, short and long
/// questions, typos, chatter it must ignore, and one hostile wall of text.
const MESSAGES: &[(&str, &str)] = &[
    ("pasted status", "Waiting to Upload 57 Items…"),
    (
        "two devices",
        "my pics from the iphone never show up on my macbook",
    ),
    (
        "status in a sentence",
        "photos says syncing with icloud paused, why",
    ),
    ("typos", "thumbnials look blury on my ipad"),
    ("short question", "is icloud down right now?"),
    ("how-to", "how do i set up icloud photos on a windows pc"),
    ("chatter", "anyone up for lunch?"),
    (
        "long story",
        "hey so my mom got a new iphone for christmas and half her camera roll is still missing after a week, the old phone says everything uploaded but the count is way lower on the new one, what do we do",
    ),
];

/// The lines `serve` and `eval` use: the shipped ones in
/// `config/default.toml`, which spare the load its cross-validation.
fn shipped_lines() -> Thresholds {
    Settings::load_with_env(None, Vec::new())
        .expect("the shipped settings")
        .thresholds
}

/// The messages of a labelled file, without their labels.
fn rows(file: &str) -> Vec<String> {
    let tsv = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    tsv.lines()
        .skip(1)
        .filter_map(|l| l.rsplit_once('\t'))
        .map(|(t, _)| t.to_string())
        .collect()
}

fn kb_files() -> KbFiles {
    KbFiles::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("the repository's knowledge base")
}

fn classify(c: &mut Criterion) {
    // The allocator as the binary sets it (one arena): loading the
    // knowledge base allocates on several threads, and with an arena each
    // the figures were better than any process of the bot's would see.
    syncmedic::malloc::tune();
    // As the bot answers: with the models built into the binary.
    let engine =
        syncmedic::shipped::engine(&kb_files(), shipped_lines()).expect("valid knowledge base");
    let mut group = c.benchmark_group("classify");
    for (name, message) in MESSAGES {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(engine.matcher.classify(black_box(message))))
        });
    }
    // The development set and the real messages, one pass per iteration:
    // the mean cost of a message of each kind (divide by the count).
    for (name, file) in [
        ("dev set", "eval/dev.tsv"),
        ("real messages", "eval/real.tsv"),
    ] {
        let rows = rows(file);
        group.bench_function(format!("{name} ({} messages)", rows.len()), |b| {
            b.iter(|| {
                for row in &rows {
                    black_box(engine.matcher.classify(black_box(row)));
                }
            })
        });
    }
    // The longest real message, alone: a rambling complaint read whole and
    // sentence by sentence.
    let longest = rows("eval/real.tsv")
        .into_iter()
        .max_by_key(|r| r.len())
        .unwrap_or_default();
    group.bench_function("longest real message", |b| {
        b.iter(|| black_box(engine.matcher.classify(black_box(&longest))))
    });
    let hostile = "ẅ̷̡̛a̶i̴t̵i̸n̷g̵ t̸o̴ u̵p̷l̶o̴a̶d̸ @everyone ```code``` ".repeat(80);
    group.bench_function("4000-char zalgo", |b| {
        b.iter(|| black_box(engine.matcher.classify(black_box(&hostile))))
    });
    group.finish();
}

fn load(c: &mut Criterion) {
    syncmedic::malloc::tune();
    let files = kb_files();
    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    // What a load costs is the time until the engine is ready; freeing the
    // one it replaces (some 10 ms of strings) happens after, when the last
    // reader lets go of it, so it is left out of each figure. One result
    // lives at a time, as in the bot: keeping a batch alive would time
    // fresh pages instead.
    let once = BatchSize::PerIteration;
    group.bench_function("parse and check", |b| {
        b.iter_batched(|| (), |()| Kb::from_files(black_box(&files)), once)
    });
    let lines = shipped_lines();
    // The bot's start on the shipped knowledge base: the models come built
    // into the binary (read where they lie), the rest is built as always.
    group.bench_function("parse, check and built-in models", |b| {
        b.iter_batched(
            || (),
            |()| syncmedic::shipped::engine(black_box(&files), lines),
            once,
        )
    });
    // Any other knowledge base (a folder the team edited, labels from the
    // review queue laid over it): the models are trained at load.
    group.bench_function("parse, check and train", |b| {
        b.iter_batched(
            || (),
            |()| Engine::from_files(black_box(&files), lines),
            once,
        )
    });
    // What `syncmedic tune` and a knowledge base without set lines pay:
    // five more trainings, one per fold.
    group.bench_function("parse, check, train and cross-validate", |b| {
        b.iter_batched(
            || (),
            |()| Engine::from_files(black_box(&files), Thresholds::default()),
            once,
        )
    });
    group.finish();
}

criterion_group!(benches, classify, load);
criterion_main!(benches);
