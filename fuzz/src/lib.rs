//! The bodies of the fuzz targets, one function per target.
//!
//! They live in a file of their own so that two builds share them: the
//! fuzz targets (nightly, libFuzzer) call them, and the integration tests
//! include this file with `#[path]` to replay the committed corpora on
//! stable. A crash the fuzzer found is therefore a failing `cargo test` as
//! soon as its input is in `fuzz/corpus/`. Only `std` and `syncmedic` are
//! used here, so the file compiles unchanged in both places.
//!
//! Each body panics when the code under test breaks a promise; returning
//! normally means the input was handled as designed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use syncmedic::Engine;
use syncmedic::discord::custom_id::{Action, ComponentId, MAX_LEN};
use syncmedic::kb::{Kb, KbError, KbFiles, SourceFile, TAXONOMY};
use syncmedic::matcher::{Classification, Decision, Thresholds};

/// Built once: the matcher target classifies thousands of inputs a second,
/// and building the matcher costs tens of milliseconds.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::from_files(&syncmedic::shipped::files(), Thresholds::default())
            .expect("the built-in knowledge base is valid")
    })
}

/// Any UTF-8 text is a message someone could send: classifying it must
/// not panic, must give the same answer twice, and must keep the promises
/// the dialog relies on (scores in [0, 1], best first, a decision drawn
/// from the ranking).
pub fn matcher(data: &[u8]) {
    let Ok(message) = std::str::from_utf8(data) else {
        return;
    };
    let engine = engine();
    let first = engine.matcher.classify(message);
    check_classification(engine, &first, message);
    let again = engine.matcher.classify(message);
    assert_eq!(first, again, "classify is deterministic for {message:?}");
}

/// The promises of one classification, shared with the property tests.
pub fn check_classification(engine: &Engine, c: &Classification, message: &str) {
    let in_unit = |x: f32| x.is_finite() && (0.0..=1.0).contains(&x);
    assert!(
        in_unit(c.offtopic),
        "off-topic score {} for {message:?}",
        c.offtopic
    );
    for scored in &c.ranked {
        assert!(
            in_unit(scored.score),
            "score {} of {} for {message:?}",
            scored.score,
            scored.intent
        );
        assert!(engine.kb.get(&scored.intent).is_some());
    }
    assert!(
        c.ranked.windows(2).all(|w| w[0].score >= w[1].score),
        "ranking out of order for {message:?}: {:?}",
        c.ranked
    );
    let top = c.ranked.first().map(|s| &s.intent);
    match &c.decision {
        Decision::Answer(id) => assert_eq!(Some(id), top, "answers the best reading"),
        Decision::Clarify(ids) => {
            assert!(!ids.is_empty(), "a question offers something");
            assert_eq!(ids.first(), top, "the best reading is offered first");
            assert!(
                ids.iter()
                    .all(|id| c.ranked.iter().any(|s| &s.intent == id))
            );
        }
        Decision::None => {}
    }
    if let Some(status) = &c.status {
        assert!(engine.kb.get(&status.intent).is_some());
    }
}

/// Any string may arrive as a component id (another bot's, an old one, a
/// forged one). Parsing must not panic, and the ids it accepts are exactly
/// the ones the bot writes: each fits Discord's limit and re-encodes to
/// the same text. The first five bytes also pick an id to round-trip.
pub fn custom_id(data: &[u8]) {
    if let Ok(raw) = std::str::from_utf8(data)
        && let Ok(id) = ComponentId::parse(raw)
    {
        assert!(raw.len() <= MAX_LEN, "{raw:?} is over Discord's limit");
        assert_eq!(id.to_string(), raw, "only the canonical form parses");
    }
    if let [action, a, b, c, d, ..] = *data {
        let id = ComponentId::new(
            Action::ALL[usize::from(action) % Action::ALL.len()],
            u32::from_le_bytes([a, b, c, d]),
        );
        let text = id.to_string();
        assert!(text.len() <= MAX_LEN, "{text:?} is over Discord's limit");
        assert_eq!(ComponentId::parse(&text), Ok(id), "{text:?} round-trips");
    }
}

/// Separates the intent file from the response file in a `kb_loader`
/// input; it never occurs in UTF-8, so text on either side stays intact.
pub const SEPARATOR: u8 = 0xFF;

/// A small valid knowledge base, every taxonomy id with one example and
/// two steps, into which `kb_loader` puts the files it is given: loading
/// it costs a fraction of the real one, so the fuzzer runs many more
/// inputs, and a valid input still loads completely.
pub fn base_files() -> KbFiles {
    let mut files = Vec::new();
    for id in TAXONOMY {
        files.push(SourceFile {
            path: PathBuf::from(format!("intents/{id}.toml")),
            text: format!(
                "id = \"{id}\"\ntitle = \"About {id}\"\nexamples = [\"{}\"]\n",
                id.replace('-', " ")
            ),
        });
        files.push(SourceFile {
            path: PathBuf::from(format!("responses/{id}.md")),
            text: format!("About {id}.\n\n## Steps\n1. Do the first thing\n2. And the second\n"),
        });
    }
    files.push(SourceFile {
        path: PathBuf::from("intents/none.toml"),
        text: "id = \"none\"\ntitle = \"Not ours\"\ndomain = [\"photos\", \"sync\"]\n\
               keywords = [\"dropbox\"]\nexamples = [\"good morning all\"]\n"
            .to_string(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    KbFiles {
        origin: "fuzz".to_string(),
        files,
    }
}

/// The knowledge base a `kb_loader` input describes: byte 0 picks a
/// taxonomy id, the bytes up to `SEPARATOR` replace its intent file, and
/// the bytes after it (if any) its response file.
pub fn kb_files_from(data: &[u8]) -> KbFiles {
    let mut files = base_files();
    let Some((&pick, rest)) = data.split_first() else {
        return files;
    };
    let id = TAXONOMY[usize::from(pick) % TAXONOMY.len()];
    let (intent, response) = match rest.iter().position(|&b| b == SEPARATOR) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let mut replace = |path: String, bytes: &[u8]| {
        let path = PathBuf::from(path);
        if let Some(file) = files.files.iter_mut().find(|f| f.path == path) {
            file.text = String::from_utf8_lossy(bytes).into_owned();
        }
    };
    replace(format!("intents/{id}.toml"), intent);
    if let Some(response) = response {
        replace(format!("responses/{id}.md"), response);
    }
    files
}

/// An author can save anything in an intent or response file. Loading
/// must not panic; it either gives a knowledge base the matcher can be
/// built from, or problems that each name a file and a line inside it.
pub fn kb_loader(data: &[u8]) {
    check_load(&kb_files_from(data));
}

/// The promises of one load, shared with the property tests.
pub fn check_load(files: &KbFiles) {
    match Kb::from_files(files) {
        Ok(kb) => {
            let engine = Engine::new(kb, Thresholds::default());
            // A few texts per intent: enough to reach every status and
            // keyword path, few enough that the fuzzer stays fast.
            for intent in engine.kb.intents() {
                for text in intent.examples.iter().take(2).chain([&intent.title]) {
                    let c = engine.matcher.classify(text);
                    check_classification(&engine, &c, text);
                }
            }
        }
        Err(KbError::Invalid(problems)) => check_problems(files, &problems),
        Err(other) => panic!("loading from memory cannot fail with {other}"),
    }
}

/// Each problem names a file of the knowledge base and a line within it
/// (0 for the file as a whole); only a missing taxonomy file is named
/// without being there.
pub fn check_problems(files: &KbFiles, problems: &[syncmedic::kb::Problem]) {
    assert!(!problems.is_empty(), "an invalid knowledge base says why");
    let texts: HashMap<&Path, &str> = files
        .files
        .iter()
        .map(|f| (f.path.as_path(), f.text.as_str()))
        .collect();
    for problem in problems {
        assert!(
            !problem.message.trim().is_empty(),
            "{problem:?} says nothing"
        );
        match texts.get(problem.path.as_path()) {
            Some(text) => {
                let lines = text.matches('\n').count() + 1;
                assert!(
                    problem.line <= lines,
                    "{problem} is past the end of a file of {lines} lines"
                );
            }
            None => assert!(
                problem.line == 0
                    && problem.path.starts_with(&files.origin)
                    && problem.message.contains("has no intent file"),
                "{problem} names a file that is not in the knowledge base"
            ),
        }
    }
}
