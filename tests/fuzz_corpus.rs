//! Every input in `fuzz/corpus/<target>/` run through its target's body on
//! stable, so the coverage the fuzzer found (and any crash turned into a
//! seed) is checked by every `cargo test`, without nightly or libFuzzer.

use crate::fuzz_bodies;
use crate::support::repo;
use std::path::PathBuf;

/// The corpus files of one target, sorted; an empty or missing corpus
/// fails, as it would silently test nothing.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = repo().join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no inputs", dir.display());
    files
}

/// Runs every input, naming the one that failed.
fn replay(target: &str, body: fn(&[u8])) {
    for path in corpus(target) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
}

#[test]
fn matcher_corpus() {
    replay("matcher", fuzz_bodies::matcher);
}

#[test]
fn custom_id_corpus() {
    replay("custom_id", fuzz_bodies::custom_id);
}

#[test]
fn kb_loader_corpus() {
    replay("kb_loader", fuzz_bodies::kb_loader);
}
