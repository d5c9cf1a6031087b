//! Building the matcher from a knowledge base: the phrasings as tokens,
//! their features, the two models trained on them, and the lines.

use super::calibrate;
use super::device;
use super::features::{Featurizer, Key};
use super::lines::{Cut, Thresholds};
use super::model::{Input, Linear, Sample, Training};
use super::phrases::Phrases;
use super::speller::Speller;
use super::{KEYWORD_WEIGHT, Matcher, Models};
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
}

impl Matcher {
    pub fn new(kb: &Kb, thresholds: Thresholds) -> Matcher {
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
        for keyword in &offtopic.keywords {
            phrasings.push((None, Cow::Owned(text::tokens(keyword)), KEYWORD_WEIGHT));
        }
        let status_phrases: Vec<(usize, Vec<String>)> = kb
            .intents()
            .iter()
            .enumerate()
            .flat_map(|(index, intent)| {
                intent
                    .statuses
                    .iter()
                    .map(move |s| (index, text::tokens(s)))
            })
            .collect();
        // Typos are corrected towards the words of the problems the bot
        // knows, not towards every word its chatter examples happen to use.
        // Nothing else needs the speller while the models train, so it is
        // built beside them: a third of the load, off the critical path.
        std::thread::scope(|scope| {
            let speller = scope.spawn(|| {
                Speller::new(
                    phrasings
                        .iter()
                        .flat_map(|(_, t, _)| t.iter())
                        .map(String::as_str),
                    phrasings
                        .iter()
                        .filter(|(intent, _, _)| intent.is_some())
                        .flat_map(|(_, t, _)| t.iter())
                        .map(String::as_str),
                )
            });
            let mut matcher = Matcher::untrained(kb, ids, status_phrases, &phrasings);
            matcher.fit(&phrasings, thresholds);
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
        phrasings: &[Phrasing],
    ) -> Matcher {
        let offtopic = kb.offtopic();
        let mut featurizer = Featurizer::default();
        featurizer.learn(
            phrasings
                .iter()
                .flat_map(|(_, t, _)| t.iter())
                .map(String::as_str),
        );
        let domain = offtopic
            .domain
            .iter()
            .filter_map(|word| featurizer.marker(&text::tokens(word)))
            .collect();
        let foreign = Phrases::new(
            offtopic
                .keywords
                .iter()
                .map(|k| (0, text::tokens(k)))
                .collect::<Vec<_>>(),
        );
        Matcher {
            hints: kb.intents().iter().map(|i| i.devices.clone()).collect(),
            ids,
            domain,
            foreign,
            speller: Speller::new([], []),
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
    fn fit(&mut self, phrasings: &[Phrasing], thresholds: Thresholds) {
        let matcher = self;
        let mut examples = Vec::with_capacity(phrasings.len());
        for (intent, tokens, weight) in phrasings {
            let marks = matcher.status(tokens);
            let status = marks.status.map(|(i, _, _)| i);
            let (words, marked) = matcher.feature_keys(tokens, &marks);
            let mut intern = |keys: Vec<Key>| -> Vec<u32> {
                keys.into_iter()
                    .map(|k| {
                        let next = matcher.index.len() as u32;
                        *matcher.index.entry(k).or_insert(next)
                    })
                    .collect()
            };
            let features = Input::known(intern(words), intern(marked));
            examples.push(Example {
                intent: *intent,
                features,
                weight: *weight,
                status,
                devices: device::mentioned(tokens),
            });
        }
        // Grown key by key: the slots it will not need again go.
        matcher.index.shrink_to_fit();
        let all: Vec<usize> = (0..examples.len()).collect();
        matcher.models = matcher.train(&examples, &all);
        // Cross-validation trains the models five times over; lines the
        // settings fix (the shipped ones are themselves its choice, see
        // `syncmedic tune`) spare the load that work.
        let chosen = match thresholds.complete() {
            Some(cut) => cut,
            None => calibrate::choose(matcher, &examples),
        };

        matcher.cut = thresholds.over(chosen);
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
                input: e.features.clone(),
                class: ours as u16,
                weight: e.weight * balance(gate_sum / 2.0, gate_totals[ours]),
            });
            if let Some(i) = e.intent {
                intents.push(Sample {
                    input: e.features.clone(),
                    class: i as u16,
                    weight: e.weight * balance(intent_sum / classes as f32, intent_totals[i]),
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
