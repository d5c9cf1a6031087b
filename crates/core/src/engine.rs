//! A knowledge base together with the matcher built from it: the unit the
//! adapters hold, and swap whole on reload.

use crate::kb::{Kb, KbError, KbFiles};
use crate::matcher::{Learned, Matcher, Thresholds};
use std::sync::{Arc, RwLock};

pub struct Engine {
    pub kb: Kb,
    pub matcher: Matcher,
}

impl Engine {
    pub fn new(kb: Kb, thresholds: Thresholds) -> Engine {
        let matcher = Matcher::new(&kb, thresholds);
        Engine { kb, matcher }
    }

    pub fn from_files(files: &KbFiles, thresholds: Thresholds) -> Result<Engine, KbError> {
        Ok(Engine::new(Kb::from_files(files)?, thresholds))
    }

    /// As `from_files`, with the models of `learned` when it was trained on
    /// these very files (the binary's built-in ones, see
    /// `syncmedic::shipped`): the load then skips training.
    pub fn from_files_or_learned(
        files: &KbFiles,
        thresholds: Thresholds,
        learned: Option<Learned>,
    ) -> Result<Engine, KbError> {
        let kb = Kb::from_files(files)?;
        let matcher = match learned {
            Some(learned) if learned.fingerprint() == files.fingerprint() => {
                Matcher::with_learned(&kb, thresholds, learned)
            }
            _ => Matcher::new(&kb, thresholds),
        };
        Ok(Engine { kb, matcher })
    }

    /// The engine of a bot that only answers (`serve`, `chat`): the
    /// examples the matcher learnt from are let go, a few megabytes a
    /// long-running bot would otherwise hold for nothing. `eval`, `tune`,
    /// `check` and the tests keep theirs.
    pub fn for_answering(mut self) -> Engine {
        self.kb.forget_examples();
        self
    }
}

/// The engine in use, replaced whole by a reload. Readers take an `Arc` and
/// keep the version they started with, so a conversation turn never sees
/// half of an old knowledge base and half of a new one.
pub struct SharedEngine(RwLock<Arc<Engine>>);

impl SharedEngine {
    pub fn new(engine: Engine) -> SharedEngine {
        SharedEngine(RwLock::new(Arc::new(engine)))
    }

    pub fn current(&self) -> Arc<Engine> {
        let guard = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(&guard)
    }

    /// Puts `engine` in place; the old one lives on until its last reader
    /// is done.
    pub fn replace(&self, engine: Engine) {
        let mut guard = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Arc::new(engine);
    }
}
