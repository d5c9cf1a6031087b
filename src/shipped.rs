//! The knowledge base built into the binary, so that `chat` and `ask` work
//! from any folder, and the models the build script trained on it, so that
//! the bot starts without training them.

use crate::Engine;
use crate::kb::{KbError, KbFiles};
use crate::matcher::{Learned, Thresholds};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_kb.rs"));
}

/// The models trained on `embedded::FILES` (empty when those files have
/// problems: the load reports them).
static MODEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/model.bin"));

/// The built-in knowledge base's files.
pub fn files() -> KbFiles {
    KbFiles::from_pairs("the built-in knowledge base", embedded::FILES)
}

/// The built-in models, if the build made them.
pub fn learned() -> Option<Learned> {
    match Learned::from_bytes(MODEL) {
        Ok(learned) => Some(learned),
        Err(error) => {
            if !MODEL.is_empty() {
                tracing::warn!(%error, "the built-in models are unreadable; training instead");
            }
            None
        }
    }
}

/// The engine for `files`: with the built-in models when `files` are the
/// ones they were trained on (the built-in copy, or the same files in a
/// folder), trained at load otherwise.
pub fn engine(files: &KbFiles, thresholds: Thresholds) -> Result<Engine, KbError> {
    let learned = learned().filter(|learned| {
        let same = learned.fingerprint() == files.fingerprint();
        if same {
            tracing::debug!(origin = %files.origin, "the built-in models fit these files");
        } else {
            tracing::debug!(origin = %files.origin, "not the built-in files: training the models");
        }
        same
    });
    Engine::from_files_or_learned(files, thresholds, learned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_copy_is_valid() {
        let kb = crate::kb::Kb::from_files(&files());
        assert!(kb.is_ok(), "{:?}", kb.err());
    }

    #[test]
    fn the_built_in_models_are_for_the_built_in_files() {
        let learned = learned().expect("the build trained the built-in knowledge base");
        assert_eq!(learned.fingerprint(), files().fingerprint());
    }
}
