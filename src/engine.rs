//! A knowledge base together with the matcher built from it: the unit the
//! adapters hold, and swap whole on reload.

use crate::kb::{Kb, KbError, KbFiles};
use crate::matcher::{Matcher, Thresholds};

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
}
