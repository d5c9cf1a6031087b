//! Text in, ranked intents out: the matcher decides whether to answer, to ask
//! which of a few readings was meant, or to stay silent.
//!
//! Everything that depends only on the knowledge base (vocabulary, typo
//! index, term weights, status phrases) is built once in `Matcher::new`, so
//! classifying one message costs microseconds.

mod device;
mod features;
mod scorer;
mod speller;
mod status;

pub use device::{detect as detect_device, mentioned as devices_mentioned};

use crate::kb::{Device, IntentId, Kb};
use crate::text;
use features::Featurizer;
use scorer::{ClassText, Scorer};
use serde::Serialize;
use speller::Speller;
use status::Statuses;

/// Where the matcher draws its lines. Scores are in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// At or above this, with a clear lead, the bot answers.
    pub answer: f32,
    /// At or above this (and below an answer) it asks "Did you mean…".
    pub clarify: f32,
    /// The lead over the runner-up needed to answer outright.
    pub margin: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            answer: 0.42,
            clarify: 0.28,
            margin: 0.06,
        }
    }
}

/// What to do with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "intents", rename_all = "lowercase")]
pub enum Decision {
    Answer(IntentId),
    /// The best two or three readings, best first.
    Clarify(Vec<IntentId>),
    None,
}

/// One intent and how well the message matches it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub intent: IntentId,
    pub score: f32,
}

/// A status line recognised in the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusSeen {
    pub intent: IntentId,
    /// The words of the status as found (normalised).
    pub text: String,
}

/// Everything the matcher concluded about one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub decision: Decision,
    /// The best few intents, best first (the off-topic class is not listed).
    pub ranked: Vec<Scored>,
    /// How much the message looks like chatter the bot must leave alone.
    pub offtopic: f32,
    pub device: Option<Device>,
    pub status: Option<StatusSeen>,
}

impl Classification {
    pub fn top(&self) -> Option<&Scored> {
        self.ranked.first()
    }
}

/// How many ranked intents a classification keeps.
const RANKED: usize = 5;
/// How many readings "Did you mean…" offers at most.
const CLARIFY_CHOICES: usize = 3;
/// Score a status phrase is worth when it is the whole message.
const STATUS_FULL: f32 = 0.95;
/// Score a phrase of several words is worth however much text surrounds it:
/// "waiting to upload" means the status even inside a long complaint.
const STATUS_PHRASE: f32 = 0.5;
/// The same for a one-word status ("paused", "updating"), which is as often
/// an ordinary word: "shared album not updating" is about shared albums.
const STATUS_WORD: f32 = 0.2;
/// Factor on every score of a message with no domain word and no status.
const OUTSIDE_DOMAIN_FACTOR: f32 = 0.6;
/// Bonus for an intent about the device the message names; the factor for
/// one about a different device.
const DEVICE_BONUS: f32 = 0.06;
const OTHER_DEVICE_FACTOR: f32 = 0.75;

/// Words around a pasted status that do not make it less of a status.
const STATUS_FILLER: &[&str] = &[
    "it", "says", "said", "shows", "showing", "status", "items", "item", "photos", "photo", "icloud",
    "my", "the", "a", "is", "on", "still", "app", "bar", "mac", "iphone", "ipad", "to", "just",
];

pub struct Matcher {
    ids: Vec<IntentId>,
    /// Features (stems, and pairs for two-word entries) of the domain words.
    domain: Vec<String>,
    devices: Vec<Vec<Device>>,
    speller: Speller,
    featurizer: Featurizer,
    scorer: Scorer,
    statuses: Statuses,
    thresholds: Thresholds,
}

impl Matcher {
    pub fn new(kb: &Kb, thresholds: Thresholds) -> Matcher {
        let ids: Vec<IntentId> = kb.intents().iter().map(|i| i.id.clone()).collect();
        let mut vocabulary: Vec<String> = Vec::new();
        let mut tokenised = |s: &str| {
            let tokens = text::tokens(s);
            vocabulary.extend(tokens.iter().cloned());
            tokens
        };
        let featurizer = Featurizer::default();
        let mut classes = Vec::with_capacity(ids.len() + 1);
        let mut status_phrases = Vec::new();
        for (index, intent) in kb.intents().iter().enumerate() {
            let mut examples: Vec<Vec<String>> = intent.examples.iter().map(|e| tokenised(e)).collect();
            for status in &intent.statuses {
                let tokens = tokenised(status);
                examples.push(tokens.clone());
                status_phrases.push((index, tokens));
            }
            let keywords = intent.keywords.iter().map(|k| tokenised(k)).collect::<Vec<_>>();
            tokenised(&intent.title);
            classes.push(ClassText {
                examples: examples.iter().map(|e| featurizer.features(e)).collect(),
                keywords: keywords.iter().map(|k| featurizer.features(k)).collect(),
            });
        }
        let offtopic = kb.offtopic();
        let off_examples: Vec<Vec<String>> = offtopic.examples.iter().map(|e| tokenised(e)).collect();
        let off_keywords: Vec<Vec<String>> = offtopic.keywords.iter().map(|k| tokenised(k)).collect();
        classes.push(ClassText {
            examples: off_examples.iter().map(|e| featurizer.features(e)).collect(),
            keywords: off_keywords.iter().map(|k| featurizer.features(k)).collect(),
        });
        let domain = offtopic
            .domain
            .iter()
            .filter_map(|word| {
                let features = featurizer.features(&text::tokens(word));
                // The longest feature is the pair for "apple id", the stem otherwise.
                features.into_iter().max_by_key(|f| f.len())
            })
            .collect();
        Matcher {
            domain,
            devices: kb.intents().iter().map(|i| i.devices.clone()).collect(),
            speller: Speller::new(vocabulary.iter().map(String::as_str)),
            scorer: Scorer::new(&classes),
            statuses: Statuses::new(status_phrases),
            featurizer,
            ids,
            thresholds,
        }
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Normalised tokens with typos corrected against the knowledge base.
    pub fn tokens(&self, message: &str) -> Vec<String> {
        let mut tokens = text::tokens(message);
        for token in &mut tokens {
            if let Some(fixed) = self.speller.correct(token) {
                *token = fixed.to_string();
            }
        }
        tokens
    }

    pub fn classify(&self, message: &str) -> Classification {
        let tokens = self.tokens(message);
        let mentioned = device::mentioned(&tokens);
        let device = device::detect(&tokens);
        let features = self.featurizer.features(&tokens);
        let mut scores = self.scorer.score(&features);
        let offtopic = scores.pop().unwrap_or(0.0);

        if !mentioned.is_empty() {
            for (score, hints) in scores.iter_mut().zip(&self.devices) {
                if hints.is_empty() {
                    continue;
                }
                if hints.iter().any(|d| mentioned.contains(d)) {
                    *score = (*score + DEVICE_BONUS).min(1.0);
                } else {
                    *score *= OTHER_DEVICE_FACTOR;
                }
            }
        }

        let hits = self.statuses.find(&tokens);
        if hits.is_empty() && !features.iter().any(|f| self.domain.contains(f)) {
            scores.iter_mut().for_each(|s| *s *= OUTSIDE_DOMAIN_FACTOR);
        }
        let longest = hits.iter().map(|h| h.len).max().unwrap_or(0);
        let content = tokens
            .iter()
            .filter(|t| {
                t.as_str() != text::NUMBER && !STATUS_FILLER.contains(&t.as_str()) && !features::is_stopword(t)
            })
            .count()
            .max(1);
        let mut status = None;
        for hit in &hits {
            // A shorter phrase beside a longer one ("optimizing system
            // performance … paused") is context, not the status.
            if hit.len < longest {
                continue;
            }
            let coverage = (hit.len as f32 / content as f32).min(1.0);
            let base = if hit.len > 1 { STATUS_PHRASE } else { STATUS_WORD };
            let floor = base + (STATUS_FULL - base) * coverage;
            let score = &mut scores[hit.intent];
            *score = (*score).max(floor) + 0.1 * (1.0 - *score);
            if status.is_none() {
                status = Some(StatusSeen {
                    intent: self.ids[hit.intent].clone(),
                    text: tokens[hit.start..hit.start + hit.len].join(" "),
                });
            }
        }

        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let ranked: Vec<Scored> = order
            .iter()
            .take(RANKED)
            .map(|&i| Scored {
                intent: self.ids[i].clone(),
                score: scores[i],
            })
            .collect();
        let decision = self.decide(&ranked, offtopic, status.is_some());
        Classification {
            decision,
            ranked,
            offtopic,
            device,
            status,
        }
    }

    fn decide(&self, ranked: &[Scored], offtopic: f32, has_status: bool) -> Decision {
        let t = self.thresholds;
        let Some(top) = ranked.first() else {
            return Decision::None;
        };
        if top.score < t.clarify || (offtopic >= top.score && !has_status) {
            return Decision::None;
        }
        let runner_up = ranked.get(1).map_or(0.0, |s| s.score);
        if top.score >= t.answer && top.score - runner_up >= t.margin {
            return Decision::Answer(top.intent.clone());
        }
        let floor = (top.score - 2.0 * t.margin).max(t.clarify * 0.8);
        Decision::Clarify(
            ranked
                .iter()
                .take(CLARIFY_CHOICES)
                .filter(|s| s.score >= floor)
                .map(|s| s.intent.clone())
                .collect(),
        )
    }
}
