//! The knowledge base: intents (what people say) and responses (what to do),
//! read from data files and checked as a whole before anything uses them.

mod append;
mod claims;
mod device;
mod error;
mod files;
mod id;
mod intent_file;
mod links;
mod order;
mod response_file;
mod step;
mod validate;

#[cfg(any(test, feature = "fixture"))]
pub mod fixture;

pub use append::{AppendError, append_example, has_example};
pub use device::Device;
pub use error::{KbError, Problem};
pub use files::{KbFiles, SourceFile};
pub use id::{ESCALATE, IntentId, NONE_LABEL, TAXONOMY};
pub use intent_file::MAX_EXAMPLE;
pub use links::{LINKS_FILE, LinkError, Links, Page, targets as link_targets};
pub use order::OrderError;
pub use response_file::{Response, StepPlan};
pub use step::{MarkerError, Pace, Risk, Step};

use error::Problems;

/// One intent, ready to use.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: IntentId,
    pub title: String,
    /// Status texts of the Photos app this intent owns, as written.
    pub statuses: Vec<String>,
    pub keywords: Vec<String>,
    pub related: Vec<IntentId>,
    /// Intents whose status, pasted in this one's case, says it is over:
    /// "Uploading 212 Items" after "Paused" is sync moving again.
    pub over_when: Vec<IntentId>,
    /// Device families the intent is about (empty: any). A message naming
    /// another family is unlikely to mean this intent.
    pub devices: Vec<Device>,
    pub examples: Vec<String>,
    /// Each example's normalised tokens (`text::tokens`), in the same order.
    pub example_tokens: Vec<Vec<String>>,
    pub response: Response,
}

/// Messages the bot must leave alone: the `none` file's examples and the
/// names of other products that mark a message as not ours.
#[derive(Debug, Clone, Default)]
pub struct OffTopic {
    pub keywords: Vec<String>,
    /// Words that place a message inside the bot's domain.
    pub domain: Vec<String>,
    /// Third-party tools: a message that names one is about that tool,
    /// which the labelling rules leave to its makers, whatever else it
    /// says of iCloud Photos (a pasted status line of the Photos app
    /// still wins).
    pub tools: Vec<String>,
    pub examples: Vec<String>,
    /// Each example's normalised tokens (`text::tokens`), in the same order.
    pub example_tokens: Vec<Vec<String>>,
}

/// A validated knowledge base. It can only be built by `Kb::from_files`, so
/// holding one means every check passed.
#[derive(Debug, Clone)]
pub struct Kb {
    intents: Vec<Intent>,
    offtopic: OffTopic,
    links: Links,
}

impl Kb {
    /// Parses and checks every file, collecting all problems before failing.
    pub fn from_files(files: &KbFiles) -> Result<Kb, KbError> {
        let mut problems = Problems::default();
        let kb = validate::build(files, &mut problems);
        if problems.0.is_empty() {
            Ok(kb)
        } else {
            problems
                .0
                .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            Err(KbError::Invalid(problems.0))
        }
    }

    /// Intents sorted by id.
    pub fn intents(&self) -> &[Intent] {
        &self.intents
    }

    pub fn get(&self, id: &IntentId) -> Option<&Intent> {
        self.index_of(id.as_str()).map(|i| &self.intents[i])
    }

    /// Looks an id up by its text, as buttons and eval files carry it.
    pub fn find(&self, id: &str) -> Option<&Intent> {
        self.index_of(id).map(|i| &self.intents[i])
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.intents
            .binary_search_by(|intent| intent.id.as_str().cmp(id))
            .ok()
    }

    pub fn offtopic(&self) -> &OffTopic {
        &self.offtopic
    }

    /// How many example phrasings the intents have (the `none` file's not
    /// counted).
    pub fn example_count(&self) -> usize {
        self.intents.iter().map(|i| i.examples.len()).sum()
    }

    /// Lets go of every example and its tokens: what the matcher learns
    /// from, most of a knowledge base's memory, and nothing an answer
    /// needs. Only for an engine whose matcher is already trained.
    pub(crate) fn forget_examples(&mut self) {
        for intent in &mut self.intents {
            intent.examples = Vec::new();
            intent.example_tokens = Vec::new();
        }
        self.offtopic.examples = Vec::new();
        self.offtopic.example_tokens = Vec::new();
    }

    /// The hosts responses may link to and the pages they name.
    pub fn links(&self) -> &Links {
        &self.links
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture_loads_and_finds_by_id() {
        let kb = super::fixture::kb();
        assert_eq!(kb.intents().len(), super::TAXONOMY.len());
        assert!(kb.find("status-paused").is_some());
        assert!(
            kb.find("none").is_none(),
            "the off-topic class is not an intent"
        );
        assert_eq!(kb.offtopic().keywords, vec!["lunch", "dropbox"]);
    }
}
