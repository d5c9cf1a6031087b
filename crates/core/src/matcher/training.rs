//! Building the matcher from a knowledge base: the phrasings as tokens,
//! their features, the two models trained on them, and the lines.

use super::calibrate;
use super::device;
use super::features::{self, Featurizer, Key};
use super::learned::Learned;
use super::lines::{Cut, Thresholds};
use super::model::{self, Input, Linear, Sample, Training};
use super::phrases::Phrases;
use super::speller::Speller;
use super::status;
use super::vocabulary::{Vocabulary, Word};
use super::{KEYWORD_WEIGHT, Marks, Matcher, Models, OTHER_PRODUCT, TOOL, Theirs};
use crate::kb::{Device, IntentId, Kb};
use crate::text;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// A phrasing as tokens: its intent (`None` for chatter), and its weight.
type Phrasing<'a> = (Option<usize>, Cow<'a, [String]>, f32);

/// One phrasing of the knowledge base, ready for training.
pub(super) struct Example {
    /// Index of the intent; `None` for the off-topic class.
    pub intent: Option<usize>,
    pub features: Input,
    pub weight: f32,
    /// The intent of a status line the phrasing contains.
    pub status: Option<usize>,
    /// The device families the phrasing names.
    pub devices: Vec<Device>,
    /// The phrasing names a third-party tool.
    pub tool: bool,
    /// A stable hash of the phrasing and its class: its place in training
    /// order and its cross-validation fold, whatever else the knowledge
    /// base holds.
    pub key: u64,
}

impl Matcher {
    /// Trains a matcher on the knowledge base, its lines as `thresholds`
    /// set them or, where unset, as cross-validation chooses.
    pub fn new(kb: &Kb, thresholds: Thresholds) -> Matcher {
        Matcher::build(kb, thresholds, None)
    }

    /// A matcher whose models come from `learned`, trained earlier on this
    /// very knowledge base (`Engine::from_files_or_learned` checks its
    /// fingerprint). Choosing lines needs the examples' features, so unless
    /// `thresholds` sets all three, or when the parts do not fit this
    /// knowledge base, the models are trained again.
    pub(crate) fn with_learned(kb: &Kb, thresholds: Thresholds, learned: Learned) -> Matcher {
        Matcher::build(kb, thresholds, Some(learned))
    }

    fn build(kb: &Kb, thresholds: Thresholds, learned: Option<Learned>) -> Matcher {
        let ids: Vec<IntentId> = kb.intents().iter().map(|i| i.id.clone()).collect();

        // Tokens first: they make the vocabulary that typo correction and
        // the stem cache are built from. The examples' tokens come with the
        // knowledge base, which worked them out to check for duplicates.
        // Problems' phrasings come before chatter's: their features get the
        // low indices, which is all the intent model keeps (see `train`).
        let offtopic = kb.offtopic();
        let mut phrasings: Vec<Phrasing> = Vec::new();
        for (index, intent) in kb.intents().iter().enumerate() {
            for tokens in &intent.example_tokens {
                phrasings.push((Some(index), Cow::Borrowed(tokens), 1.0));
            }
            for status in &intent.statuses {
                phrasings.push((Some(index), Cow::Owned(text::tokens(status)), 1.0));
            }
            for keyword in intent.keywords.iter().chain([&intent.title]) {
                phrasings.push((
                    Some(index),
                    Cow::Owned(text::tokens(keyword)),
                    KEYWORD_WEIGHT,
                ));
            }
        }
        for tokens in &offtopic.example_tokens {
            phrasings.push((None, Cow::Borrowed(tokens), 1.0));
        }
        for keyword in offtopic.keywords.iter().chain(&offtopic.tools) {
            phrasings.push((None, Cow::Owned(text::tokens(keyword)), KEYWORD_WEIGHT));
        }
        let status_phrases: Vec<(usize, Vec<String>)> = kb
            .intents()
            .iter()
            .enumerate()
            .flat_map(|(index, intent)| {
                intent.statuses.iter().map(move |s| {
                    let mut tokens = text::tokens(s);
                    tokens.retain(|t| !status::passed_over(t));
                    (index, tokens)
                })
            })
            .collect();
        // Typos are corrected towards the words of the problems the bot
        // knows, not towards every word its chatter examples happen to use.
        // Nothing else needs the speller while the models train, so it is
        // built beside them: a third of the load, off the critical path.
        let vocabulary = Vocabulary::new(phrasings.iter().map(|(_, t, _)| t.as_ref()));
        std::thread::scope(|scope| {
            let speller = scope.spawn(|| {
                let uses = vocabulary.counts(|_| true);
                let problems = vocabulary.counts(|n| phrasings[n].0.is_some());
                let words = vocabulary.distinct().iter().copied();
                Speller::from_counts(
                    words.clone().zip(uses),
                    words
                        .zip(problems)
                        .filter(|&(_, n)| n > 0)
                        .map(|(word, _)| word),
                )
            });
            let mut matcher = Matcher::untrained(kb, ids, status_phrases, &vocabulary);
            let adopted = match (learned, thresholds.complete()) {
                (Some(learned), Some(cut)) => matcher.adopt(learned, cut),
                _ => false,
            };
            if !adopted {
                matcher.fit(&phrasings, &vocabulary, thresholds);
            }
            matcher.speller = speller
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            matcher
        })
    }

    /// Everything but the models, the lines and the speller.
    fn untrained(
        kb: &Kb,
        ids: Vec<IntentId>,
        status_phrases: Vec<(usize, Vec<String>)>,
        vocabulary: &Vocabulary,
    ) -> Matcher {
        let offtopic = kb.offtopic();
        let mut featurizer = Featurizer::default();
        featurizer.learn(vocabulary.distinct().iter().copied());
        let domain = offtopic
            .domain
            .iter()
            .filter_map(|word| featurizer.marker(&text::tokens(word)))
            .collect();
        let foreign = Phrases::new(
            (offtopic.keywords.iter().map(|k| (OTHER_PRODUCT, k)))
                .chain(offtopic.tools.iter().map(|t| (TOOL, t)))
                .map(|(kind, phrase)| (kind, text::tokens(phrase)))
                .collect::<Vec<_>>(),
        );
        Matcher {
            hints: kb.intents().iter().map(|i| i.devices.clone()).collect(),
            ids,
            domain,
            foreign,
            speller: Speller::from_counts([], []),
            featurizer,
            index: FxHashMap::default(),
            models: Models {
                gate: Linear::train(&[], 0, 2, Training::default()),
                intents: Linear::train(&[], 0, 0, Training::default()),
            },
            statuses: Phrases::new(status_phrases),
            cut: Cut {
                answer: 1.0,
                clarify: 1.0,
                margin: 0.0,
            },
        }
    }

    /// Featurises the phrasings, trains the models and sets the lines.
    fn fit(&mut self, phrasings: &[Phrasing], vocabulary: &Vocabulary, thresholds: Thresholds) {
        let examples = self.featurise(phrasings, vocabulary);
        // Grown key by key: the slots it will not need again go.
        self.index.shrink_to_fit();
        let all: Vec<usize> = (0..examples.len()).collect();
        self.models = self.train(&examples, &all);
        // Cross-validation trains the models five times over; lines the
        // settings fix (the shipped ones are themselves its choice, see
        // `syncmedic tune`) spare the load that work.
        let chosen = match thresholds.complete() {
            Some(cut) => cut,
            None => calibrate::choose(self, &examples),
        };
        self.cut = thresholds.over(chosen);
    }

    /// Takes the index and the models from `learned` instead of training;
    /// false, with nothing taken, when they do not fit this knowledge base
    /// (bytes that pass the reader but are not these files' models, say):
    /// such models are trained over, never indexed out of bounds.
    fn adopt(&mut self, learned: Learned, cut: Cut) -> bool {
        if !learned.fits(self.ids.len()) {
            return false;
        }
        let (keys, gate, intents) = learned.into_parts();
        let count = keys.len();
        let index: FxHashMap<Key, u32> = keys.into_iter().zip(0..).collect();
        if index.len() != count {
            return false;
        }
        self.index = index;
        self.models = Models { gate, intents };
        self.cut = cut;
        true
    }

    /// The phrasings as the models read them, their features interned.
    fn featurise(&mut self, phrasings: &[Phrasing], vocabulary: &Vocabulary) -> Vec<Example> {
        let known = vocabulary.words(&self.featurizer, &self.statuses, &self.foreign);
        let mut examples = Vec::with_capacity(phrasings.len());
        for (n, (intent, tokens, weight)) in phrasings.iter().enumerate() {
            let words = vocabulary.words_of(n, &known);
            let (keys, marked, marks, devices) = self.read_phrasing(tokens, &words);
            let features = Input::known(self.intern(keys), self.intern(marked));
            let class = intent.map_or("none", |i| self.ids[i].as_str());
            examples.push(Example {
                intent: *intent,
                features,
                weight: *weight,
                key: model::phrasing_key(class, tokens),
                status: marks.status().map(|(i, _, _)| i),
                tool: marks.tool,
                devices,
            });
        }
        examples
    }

    /// What `read` makes of a message's tokens, from the table of distinct
    /// words instead, and the device families named. The searches for a
    /// status line or another product run only where one could start.
    fn read_phrasing(
        &self,
        tokens: &[String],
        words: &[&Word],
    ) -> (Vec<Key>, Vec<Key>, Marks, Vec<Device>) {
        let theirs = if words.iter().any(|w| w.opens_foreign) {
            self.theirs(tokens)
        } else {
            Theirs::default()
        };
        let marks = Marks {
            statuses: if words.iter().any(|w| w.opens_status) {
                self.statuses(tokens)
            } else {
                Vec::new()
            },
            tool: theirs.tool,
        };
        let devices = device::distinct(words.iter().filter_map(|w| w.device));
        let stems: Vec<Key> = words.iter().filter_map(|w| w.stem).collect();
        let keys = features::keys_of(&stems, devices.len() > 1);
        let marked = self.marked(&keys, theirs.words, &marks);
        (keys, marked, marks, devices)
    }

    /// The models' rows of `keys`, new keys given the next ones.
    fn intern(&mut self, keys: Vec<Key>) -> Vec<u32> {
        keys.into_iter()
            .map(|k| {
                let next = self.index.len() as u32;
                *self.index.entry(k).or_insert(next)
            })
            .collect()
    }

    /// Trains both models on the examples at `rows`.
    pub(super) fn train(&self, examples: &[Example], rows: &[usize]) -> Models {
        let features = self.index.len();
        let classes = self.ids.len();
        // Each class of each model weighs the same in all: the knowledge
        // base has many more phrasings of problems than of chatter, and a
        // few more of some problems than of others.
        let mut gate_totals = [0.0f32; 2];
        let mut intent_totals = vec![0.0f32; classes];
        for &r in rows {
            let e = &examples[r];
            gate_totals[usize::from(e.intent.is_some())] += e.weight;
            if let Some(i) = e.intent {
                intent_totals[i] += e.weight;
            }
        }
        let balance = |total: f32, of: f32| if of > 0.0 { total / of } else { 0.0 };
        let gate_sum: f32 = gate_totals.iter().sum();
        let intent_sum: f32 = intent_totals.iter().sum();
        let mut gate = Vec::with_capacity(rows.len());
        let mut intents = Vec::with_capacity(rows.len());
        for &r in rows {
            let e = &examples[r];
            let ours = usize::from(e.intent.is_some());
            gate.push(Sample {
                input: &e.features,
                class: ours as u16,
                weight: e.weight * balance(gate_sum / 2.0, gate_totals[ours]),
                key: e.key,
            });
            if let Some(i) = e.intent {
                intents.push(Sample {
                    input: &e.features,
                    class: i as u16,
                    weight: e.weight * balance(intent_sum / classes as f32, intent_totals[i]),
                    key: e.key,
                });
            }
        }
        // The intent model trains on problems only, so a feature only chatter
        // uses would be a row of zeros in it: it keeps rows up to the last
        // feature a problem uses, and problems' phrasings are interned first
        // (`Matcher::new`), so the chatter-only rows go (`ask`'s peak memory
        // fell by 2.6 MB with them).
        let intent_rows = intents.iter().map(|s| s.input.rows()).max().unwrap_or(0);
        // The two models are independent: trained side by side.
        std::thread::scope(|scope| {
            let gate = scope.spawn(|| Linear::train(&gate, features, 2, Training::default()));
            let intents = Linear::train(&intents, intent_rows, classes, Training::default());
            Models {
                gate: gate
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                intents,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::fixture;

    /// Training reads its phrasings through the table of distinct words;
    /// a message is read token by token. Both must see the same features,
    /// or the models learn from something no message can show them.
    #[test]
    fn a_phrasing_trains_on_what_a_message_shows() {
        let kb = fixture::kb();
        let matcher = Matcher::new(&kb, Thresholds::default());
        let mut texts: Vec<Vec<String>> = kb
            .intents()
            .iter()
            .flat_map(|i| i.example_tokens.iter().cloned())
            .chain(kb.offtopic().example_tokens.iter().cloned())
            .collect();
        texts.extend(
            [
                "Waiting to Upload 57 Items on my iPhone and my Mac",
                "it says syncing paused, lightroom and google photos too",
                "the the the",
                "windows pc icloud for windows photos not downloading",
                "on my ipad but not on the macbook",
                "",
            ]
            .map(text::tokens),
        );
        let vocabulary = Vocabulary::new(texts.iter().map(Vec::as_slice));
        let known = vocabulary.words(&matcher.featurizer, &matcher.statuses, &matcher.foreign);
        let (mut statuses, mut foreign, mut several) = (0, 0, 0);
        for (n, tokens) in texts.iter().enumerate() {
            let words = vocabulary.words_of(n, &known);
            let (keys, marked, marks, devices) = matcher.read_phrasing(tokens, &words);
            let (want_keys, want_marked, want_marks) =
                matcher.read(tokens, &matcher.featurizer.stems(tokens));
            assert_eq!(keys, want_keys, "{tokens:?}");
            assert_eq!(marked, want_marked, "{tokens:?}");
            assert_eq!(marks.statuses, want_marks.statuses, "{tokens:?}");
            assert_eq!(devices, device::mentioned(tokens), "{tokens:?}");
            statuses += usize::from(marks.status().is_some());
            foreign += usize::from(matcher.theirs(tokens).words > 0);
            several += usize::from(devices.len() > 1);
        }
        assert!(
            statuses >= 2 && foreign >= 1 && several >= 2,
            "the table has each rule at work: {statuses} {foreign} {several}"
        );
    }
}
