use crate::support::repo;
use std::collections::HashMap;
use syncmedic::kb::{ESCALATE, Kb, KbFiles, TAXONOMY};
use syncmedic::text::tokens;

fn kb() -> Kb {
    let files = KbFiles::read_dir(repo()).expect("readable");
    Kb::from_files(&files).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_taxonomy_id_has_an_intent_and_steps() {
    let kb = kb();
    for id in TAXONOMY {
        let intent = kb.find(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(
            intent.examples.len() >= 20,
            "{id}: only {} examples",
            intent.examples.len()
        );
        let r = &intent.response;
        assert!(!r.diagnosis.is_empty(), "{id}: no diagnosis");
        if r.device_specific() {
            for device in r.devices() {
                let steps = r.steps(Some(device)).expect("steps for a listed device");
                assert!(steps.len() >= 2, "{id}/{device}: {} steps", steps.len());
            }
        } else {
            let steps = r.steps(None).map_or(0, |s| s.len());
            assert!(steps >= 2, "{id}: {steps} steps");
        }
        // Asking for a person hands over at once: its response is the
        // hand-over message, and a "when to ask" line would never show.
        assert_eq!(
            r.escalate.is_empty(),
            *id == ESCALATE,
            "{id}: `Ask a person` section"
        );
    }
}

#[test]
fn the_offtopic_class_is_substantial() {
    let kb = kb();
    assert!(kb.offtopic().examples.len() >= 80);
    assert!(kb.offtopic().domain.len() >= 30);
}

/// A run of this many words shared with an eval row is a copy of it, even
/// inside a longer example.
const COPIED_RUN: usize = 7;
/// Rows shorter than this are common phrasings ("photos not syncing"), not
/// anyone's words to copy.
const MIN_ROW_WORDS: usize = 4;

/// The eval sets measure generalisation only while no example copies them:
/// not whole, not inside a longer example, and not as a long run of words.
#[test]
fn no_example_copies_an_eval_row() {
    let kb = kb();
    // A pasted status line ("Waiting to Upload 3 Items") is the app's
    // words, which the knowledge base owns by design.
    let statuses: Vec<Vec<String>> = kb
        .intents()
        .iter()
        .flat_map(|i| i.statuses.iter())
        .map(|s| tokens(s))
        .collect();
    let is_status = |words: &[String]| {
        let core: Vec<String> = words
            .iter()
            .filter(|w| !matches!(w.as_str(), "#" | "items" | "item"))
            .cloned()
            .collect();
        statuses.contains(&core)
    };
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for name in ["eval/dev.tsv", "eval/independent.tsv", "eval/real.tsv"] {
        let text = std::fs::read_to_string(repo().join(name)).expect(name);
        for (row, _) in text.lines().skip(1).filter_map(|l| l.rsplit_once('\t')) {
            let words = tokens(row);
            if words.len() >= MIN_ROW_WORDS && !is_status(&words) {
                rows.push((format!("{name}: {row}"), words));
            }
        }
    }
    // Every run of COPIED_RUN words in any example, to look rows' runs up.
    let examples: Vec<(&String, Vec<String>)> = kb
        .intents()
        .iter()
        .flat_map(|i| i.examples.iter())
        .chain(&kb.offtopic().examples)
        .map(|e| (e, tokens(e)))
        .collect();
    let mut runs: HashMap<&[String], &String> = HashMap::new();
    for (example, words) in &examples {
        for run in words.windows(COPIED_RUN) {
            runs.insert(run, example);
        }
    }
    let mut copies = Vec::new();
    for (row, words) in &rows {
        let whole = examples
            .iter()
            .find(|(_, e)| e.windows(words.len()).any(|w| w == words.as_slice()));
        let run = words.windows(COPIED_RUN).find_map(|w| runs.get(w));
        if let Some(example) = whole.map(|(e, _)| *e).or(run.copied()) {
            copies.push(format!("{example:?} copies {row:?}"));
        }
    }
    assert!(copies.is_empty(), "{} copies: {copies:#?}", copies.len());
}

#[test]
fn the_built_in_copy_matches_the_files() {
    let embedded = syncmedic::shipped::files();
    let on_disk = KbFiles::read_dir(repo()).expect("readable");
    let names = |f: &KbFiles| {
        f.files
            .iter()
            .map(|s| (s.path.clone(), s.text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&embedded),
        names(&on_disk),
        "rebuild to refresh the embedded knowledge base"
    );
}

/// The image must carry each folder by name (a `COPY a b ./` flattens them)
/// and everything the build embeds, run as a user that is not root, and,
/// on a runtime without a shell, run every command in exec form.
#[test]
fn dockerfile_ships_what_the_binary_needs() {
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).expect("Dockerfile");
    for line in [
        "COPY crates ./crates",
        "COPY intents ./intents",
        "COPY responses ./responses",
        "COPY config ./config",
        "COPY migrations ./migrations",
        "COPY assets ./assets",
        "RUN cargo build --release --locked --bin syncmedic",
        "FROM gcr.io/distroless/cc-debian12:nonroot",
        "COPY --chown=nonroot:nonroot intents ./intents",
        "COPY --chown=nonroot:nonroot responses ./responses",
        "COPY --chown=nonroot:nonroot config ./config",
        "COPY --from=build --chown=nonroot:nonroot /out/data ./data",
        "USER nonroot",
        "CMD [\"/usr/local/bin/syncmedic\", \"healthcheck\"]",
        "RUN [\"/usr/local/bin/syncmedic\", \"check\"]",
        "ENTRYPOINT [\"/usr/local/bin/syncmedic\"]",
    ] {
        assert!(
            dockerfile.lines().any(|l| l.trim() == line),
            "Dockerfile lacks `{line}`"
        );
    }
    let runtime = dockerfile.split("\nFROM ").last().expect("a runtime stage");
    for line in runtime.lines().map(str::trim) {
        for instruction in ["RUN ", "CMD ", "ENTRYPOINT "] {
            if let Some(rest) = line.strip_prefix(instruction) {
                assert!(
                    rest.starts_with('['),
                    "shell form in a runtime without a shell: `{line}`"
                );
            }
        }
    }
}

/// Every piece of text a response shows: its diagnosis, each step and the
/// hand-over sentence, with where it comes from.
fn shown_texts(kb: &Kb) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for intent in kb.intents() {
        let r = &intent.response;
        let id = &intent.id;
        out.push((format!("{id}: diagnosis"), r.diagnosis.clone()));
        out.push((format!("{id}: ask a person"), r.escalate.clone()));
        let steps = r
            .common
            .iter()
            .chain(r.per_device.iter().flatten())
            .chain(&r.last);
        for step in steps {
            out.push((format!("{id}:{}", step.line), step.text.clone()));
        }
    }
    out
}

/// One word for each thing across all responses, and the bot speaking as
/// "I": what a reader meets in one answer holds in the next.
#[test]
fn responses_share_one_vocabulary() {
    // (what not to write, what to write instead)
    let table = [
        ("Apple ID", "Apple Account (Apple renamed it in 2024)"),
        ("ⓘ", "(i)"),
        ("info button", "(i)"),
        ("ask a person", "ask for a person"),
        ("tell a person", "ask for a person"),
        ("the bot", "I, me: the bot does not speak of itself"),
        (
            "troubleshooting",
            "the steps themselves, not a pointer to them",
        ),
    ];
    // Said once where people still know the old name.
    let allowed = ["Apple Account (called Apple ID until 2024)"];
    let mut found = Vec::new();
    for (whence, text) in shown_texts(&kb()) {
        let mut text = text;
        for phrase in allowed {
            text = text.replace(phrase, "");
        }
        let lower = text.to_lowercase();
        for (avoid, instead) in table {
            if says(&lower, &avoid.to_lowercase()) {
                found.push(format!("{whence}: {avoid:?}, write {instead}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// `phrase` as whole words ("the bot", not "the bottom").
fn says(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// iCloud for Windows looks different in its newer version (an arrow next
/// to Photos, then Done) and its older one (Options…, then Apply): a step
/// that walks through one walks through both.
#[test]
fn windows_steps_cover_both_versions_of_the_app() {
    let mut found = Vec::new();
    for (whence, text) in shown_texts(&kb()) {
        let newer = text.contains("arrow next to **Photos**");
        let (options, apply) = (text.contains("**Options…**"), text.contains("**Apply**"));
        // Finder and iTunes have an Apply button too.
        let about_the_app = newer || options || (apply && text.contains("iCloud for Windows"));
        if about_the_app && !(newer && (options || apply)) {
            found.push(format!("{whence}: {text}"));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// Findings of issue 13 that are about which quick step comes first, which
/// no marker expresses: for each, a phrase that must come in an earlier
/// step than another.
#[test]
fn the_first_thing_to_try_comes_first() {
    use syncmedic::kb::Device::{Iphone, Mac, Windows};
    let table = [
        (
            "date-time",
            Some(Iphone),
            "Set Automatically",
            "Recently Saved",
        ),
        (
            "date-time",
            Some(Mac),
            "automatic date and time",
            "Recently Saved",
        ),
        (
            "date-time",
            Some(Windows),
            "Set time automatically",
            "Recently Saved",
        ),
        (
            "status-poor-network",
            None,
            "System Status",
            "Restart the router",
        ),
        ("upload-stuck", Some(Iphone), "ten seconds", "overnight"),
        (
            "edits-not-syncing",
            Some(Mac),
            "Keep Photos open",
            "Update every device",
        ),
        (
            "reset-sync",
            Some(Mac),
            "iCloud.com",
            "untick **iCloud Photos**",
        ),
    ];
    let kb = kb();
    for (id, device, first, then) in table {
        let steps = kb
            .find(id)
            .and_then(|i| i.response.steps(device))
            .unwrap_or_else(|| panic!("{id}: no steps for {device:?}"));
        let at = |phrase: &str| {
            steps
                .iter()
                .position(|s| s.text.contains(phrase))
                .unwrap_or_else(|| panic!("{id}: no step says {phrase:?}"))
        };
        assert!(
            at(first) < at(then),
            "{id} on {device:?}: {first:?} must come before {then:?}"
        );
    }
}
