use crate::support::repo;
use std::collections::HashMap;
use syncmedic::kb::{Kb, KbFiles, TAXONOMY};
use syncmedic::text::normalize;

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
            assert!(r.common.len() >= 2, "{id}: {} steps", r.common.len());
        }
        assert!(!r.escalate.is_empty(), "{id}: no `Ask a person` section");
    }
}

#[test]
fn the_offtopic_class_is_substantial() {
    let kb = kb();
    assert!(kb.offtopic().examples.len() >= 80);
    assert!(kb.offtopic().domain.len() >= 30);
}

/// The eval sets measure generalisation only while no example copies them.
#[test]
fn no_example_copies_an_eval_row() {
    let kb = kb();
    let mut sets = String::new();
    for name in ["eval/dev.tsv", "eval/independent.tsv"] {
        sets.push_str(&std::fs::read_to_string(repo().join(name)).expect(name));
    }
    let rows: HashMap<String, &str> = sets
        .lines()
        .filter(|l| *l != "text\tlabel")
        .filter_map(|l| l.rsplit_once('\t'))
        .map(|(text, _)| (normalize(text), text))
        .collect();
    let mut copies = Vec::new();
    let examples = kb
        .intents()
        .iter()
        .flat_map(|i| i.examples.iter())
        .chain(&kb.offtopic().examples);
    for example in examples {
        if let Some(row) = rows.get(&normalize(example)) {
            copies.push(format!("{example:?} copies eval row {row:?}"));
        }
    }
    assert!(copies.is_empty(), "{copies:#?}");
}

#[test]
fn the_built_in_copy_matches_the_files() {
    let embedded = KbFiles::embedded();
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
/// and everything the build embeds.
#[test]
fn dockerfile_ships_what_the_binary_needs() {
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).expect("Dockerfile");
    for line in [
        "COPY intents ./intents",
        "COPY responses ./responses",
        "COPY config ./config",
        "COPY migrations ./migrations",
        "COPY --chown=syncmedic intents ./intents",
        "COPY --chown=syncmedic responses ./responses",
        "COPY --chown=syncmedic config ./config",
        "RUN cargo build --release --locked --bin syncmedic",
        "USER syncmedic",
        "ENTRYPOINT [\"syncmedic\"]",
    ] {
        assert!(
            dockerfile.lines().any(|l| l.trim() == line),
            "Dockerfile lacks `{line}`"
        );
    }
}
