//! Examples claimed twice: by two intents, or by one intent twice.

use super::error::Problems;
use super::id::IntentId;
use super::intent_file::IntentFile;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// Two intents claiming one phrasing would make the matcher's answer depend
/// on load order; one intent listing it twice only weighs it double.
pub(super) fn check(
    intent_files: &[(PathBuf, IntentFile)],
    tokens: &[Vec<Vec<String>>],
    fingerprints: &[Vec<u64>],
    problems: &mut Problems,
) {
    // By fingerprint first, the tokens compared only when two agree.
    type Claim<'a> = (&'a [String], &'a Path, &'a IntentId, usize);
    let mut owners: FxHashMap<u64, Vec<Claim>> = FxHashMap::default();
    for (((path, file), tokens), fingerprints) in intent_files.iter().zip(tokens).zip(fingerprints)
    {
        for ((example, words), fingerprint) in file.examples.iter().zip(tokens).zip(fingerprints) {
            if words.is_empty() {
                problems.push(path, example.line, "example has no words");
                continue;
            }
            let claims = owners.entry(*fingerprint).or_default();
            match claims.iter().find(|(other, ..)| other == words) {
                Some((_, other_path, other_id, other_line)) => {
                    let whom = if *other_id == &file.id {
                        format!("repeats line {other_line}")
                    } else {
                        format!(
                            "also claimed by {other_id} ({}:{other_line})",
                            other_path.display()
                        )
                    };
                    problems.push(
                        path,
                        example.line,
                        format!("example {:?} {whom}", example.text),
                    );
                }
                None => claims.push((words, path, &file.id, example.line)),
            }
        }
    }
}
