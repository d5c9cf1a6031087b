//! Text in, ranked intents out: the matcher decides whether to answer, to ask
//! which of a few readings was meant, or to stay silent.
//!
//! Everything that depends only on the knowledge base (vocabulary, typo
//! index, term weights, status phrases) is built once in `Matcher::new`, so
//! classifying one message costs microseconds.

mod classification;
mod device;
mod features;
mod phrases;
mod scorer;
mod speller;

pub use classification::{Classification, Decision, Scored, StatusSeen};
pub use device::{detect as detect_device, mentioned as devices_mentioned};

use crate::kb::{Device, IntentId, Kb};
use crate::text;
use features::Featurizer;
use phrases::Phrases;
use scorer::{ClassText, Scorer};
use serde::Serialize;
use speller::Speller;

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
            answer: 0.24,
            clarify: 0.2,
            margin: 0.03,
        }
    }
}

/// A phrasing as normalised tokens.
type Tokens = Vec<String>;

/// How many ranked intents a classification keeps.
const RANKED: usize = 5;
/// How many readings "Did you mean…" offers at most.
const CLARIFY_CHOICES: usize = 3;
/// Score a status phrase is worth when it is the whole message.
const STATUS_FULL: f32 = 0.95;
/// Score a phrase of several words is worth however much text surrounds it:
/// "waiting to upload" means the status even inside a long complaint.
const STATUS_PHRASE: f32 = 0.5;
/// A one-word status ("paused", "updating") is as often an ordinary word
/// ("shared album not updating"), so it counts only when it is at least
/// this share of the message's content words.
const WORD_STATUS_COVERAGE: f32 = 0.5;
/// How far a recognised status lifts its intent towards 1.
const STATUS_LIFT: f32 = 0.1;
/// How much the off-topic class must beat the best intent by, when the
/// message has a domain word, for the bot to stay silent.
const OFFTOPIC_MARGIN_IN_DOMAIN: f32 = 0.1;
/// Factor on every score of a message with no domain word and no status.
const OUTSIDE_DOMAIN_FACTOR: f32 = 0.4;
/// Bonus for an intent about the device the message names; the factor for
/// one about a different device.
const DEVICE_BONUS: f32 = 0.06;
const OTHER_DEVICE_FACTOR: f32 = 0.5;

/// Words around a pasted status that do not make it less of a status.
fn status_filler(token: &str) -> bool {
    matches!(
        token,
        "it" | "says"
            | "said"
            | "shows"
            | "showing"
            | "status"
            | "items"
            | "item"
            | "photos"
            | "photo"
            | "icloud"
            | "on"
            | "still"
            | "app"
            | "bar"
            | "mac"
            | "iphone"
            | "ipad"
            | "to"
    )
}

/// A reading this many times ahead of the runner-up (and of the off-topic
/// class) is clear however low its score…
const LEAD_RATIO: f32 = 2.5;
/// …down to this share of the clarify threshold.
const LEAD_FLOOR: f32 = 0.6;

/// What besides the ranking bears on the decision.
#[derive(Debug, Clone, Copy)]
struct Evidence {
    /// The off-topic score, less the margin it must win by.
    offtopic: f32,
    has_status: bool,
    /// A domain word or a status, and no other product named.
    in_domain: bool,
    content_words: usize,
}

pub struct Matcher {
    ids: Vec<IntentId>,
    /// Features (stems, and pairs for two-word entries) of the domain words.
    domain: rustc_hash::FxHashSet<String>,
    /// The off-topic keywords (other products and topics), matched as whole
    /// words: stems would take "pixelated" for "Pixel".
    foreign: Phrases,
    devices: Vec<Vec<Device>>,
    speller: Speller,
    featurizer: Featurizer,
    scorer: Scorer,
    statuses: Phrases,
    thresholds: Thresholds,
}

impl Matcher {
    pub fn new(kb: &Kb, thresholds: Thresholds) -> Matcher {
        let ids: Vec<IntentId> = kb.intents().iter().map(|i| i.id.clone()).collect();
        let tokenise = |texts: &[String]| texts.iter().map(|t| text::tokens(t)).collect::<Vec<_>>();

        // Tokens first: they make the vocabulary that typo correction and
        // the stem cache are built from.
        let mut status_phrases = Vec::new();
        let mut texts: Vec<(Vec<Tokens>, Vec<Tokens>)> = Vec::with_capacity(ids.len() + 1);
        for (index, intent) in kb.intents().iter().enumerate() {
            let mut examples = tokenise(&intent.examples);
            for status in tokenise(&intent.statuses) {
                examples.push(status.clone());
                status_phrases.push((index, status));
            }
            let mut keywords = tokenise(&intent.keywords);
            // The title counts as a keyword phrase: it names the problem.
            keywords.push(text::tokens(&intent.title));
            texts.push((examples, keywords));
        }
        let offtopic = kb.offtopic();
        texts.push((tokenise(&offtopic.examples), tokenise(&offtopic.keywords)));
        let vocabulary: Vec<&str> = texts
            .iter()
            .flat_map(|(examples, keywords)| examples.iter().chain(keywords))
            .flatten()
            .map(String::as_str)
            .collect();

        let mut featurizer = Featurizer::default();
        featurizer.learn(vocabulary.iter().copied());
        let speller = Speller::new(vocabulary.iter().copied());
        let classes: Vec<ClassText> = texts
            .iter()
            .map(|(examples, keywords)| ClassText {
                examples: examples.iter().map(|e| featurizer.features(e)).collect(),
                keywords: keywords.iter().map(|k| featurizer.features(k)).collect(),
            })
            .collect();
        // The longest feature of a phrase is its pair ("apple id"), of a
        // word its stem.
        let marker = |word: &String| {
            featurizer
                .features(&text::tokens(word))
                .into_iter()
                .max_by_key(|f| f.len())
        };
        let domain = offtopic.domain.iter().filter_map(marker).collect();
        let foreign = Phrases::new(texts[ids.len()].1.iter().map(|k| (0, k.clone())));
        Matcher {
            domain,
            foreign,
            devices: kb.intents().iter().map(|i| i.devices.clone()).collect(),
            speller,
            scorer: Scorer::new(&classes),
            statuses: Phrases::new(status_phrases),
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
        // "dropbox camera uploads stopped" names our words about another
        // product, and the product decides; "zoom in" beside "icloud" and
        // "pics" is ours. Each side counts its words.
        let in_domain = !hits.is_empty() || {
            let ours = features.iter().filter(|f| self.domain.contains(*f)).count();
            let theirs: usize = self.foreign.find(&tokens).iter().map(|h| h.len).sum();
            ours > theirs
        };
        if !in_domain {
            scores.iter_mut().for_each(|s| *s *= OUTSIDE_DOMAIN_FACTOR);
        }
        let longest = hits.iter().map(|h| h.len).max().unwrap_or(0);
        let content = tokens
            .iter()
            .filter(|t| {
                t.as_str() != text::NUMBER && !status_filler(t) && !features::is_stopword(t)
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
            let score = &mut scores[hit.intent];
            // The lift is measured from the score before the floor, so a
            // low score raised to a high floor would pass 1: capped there,
            // as everything downstream reads scores in [0, 1].
            if hit.len > 1 {
                let floor = STATUS_PHRASE + (STATUS_FULL - STATUS_PHRASE) * coverage;
                *score = (score.max(floor) + STATUS_LIFT * (1.0 - *score)).min(1.0);
            } else if coverage >= WORD_STATUS_COVERAGE {
                *score =
                    (score.max(STATUS_FULL * coverage) + STATUS_LIFT * (1.0 - *score)).min(1.0);
            } else {
                // "wifi keeps dropping while uploading": a verb, not a status.
                continue;
            }
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
        // Inside the domain, chatter must clearly beat every intent to
        // silence the bot: "photos sync broke after I changed my Apple ID
        // password" is ours even though password resets are not.
        let offtopic_bar = offtopic
            - if in_domain {
                OFFTOPIC_MARGIN_IN_DOMAIN
            } else {
                0.0
            };
        let content_words = tokens.iter().filter(|t| !features::is_stopword(t)).count();
        let evidence = Evidence {
            offtopic: offtopic_bar,
            has_status: status.is_some(),
            in_domain,
            content_words,
        };
        let decision = self.decide(&ranked, evidence);
        Classification {
            decision,
            ranked,
            offtopic,
            device,
            status,
        }
    }

    fn decide(&self, ranked: &[Scored], evidence: Evidence) -> Decision {
        let t = self.thresholds;
        let Some(top) = ranked.first() else {
            return Decision::None;
        };
        // One word with nothing of ours in it ("ok", "lol") is no evidence.
        if !evidence.in_domain && evidence.content_words <= 1 {
            return Decision::None;
        }
        let runner_up = ranked.get(1).map_or(0.0, |s| s.score);
        if evidence.offtopic >= top.score && !evidence.has_status {
            return Decision::None;
        }
        // A long message about our domain spreads its weight thin, so its
        // best score runs low; a reading far ahead of every other is still
        // a clear one.
        let clear_lead = evidence.in_domain
            && top.score >= t.clarify * LEAD_FLOOR
            && top.score >= LEAD_RATIO * runner_up;
        if clear_lead && top.score < t.answer {
            return Decision::Answer(top.intent.clone());
        }
        if top.score < t.clarify {
            return Decision::None;
        }
        if top.score >= t.answer && top.score - runner_up >= t.margin && evidence.in_domain {
            return Decision::Answer(top.intent.clone());
        }
        // Outside the domain the bot never answers outright, and asks only
        // when the match is as strong as an answer would need.
        if !evidence.in_domain && top.score < t.answer {
            return Decision::None;
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
