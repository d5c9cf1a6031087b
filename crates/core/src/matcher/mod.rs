//! Text in, ranked intents out: the matcher decides whether to answer, to ask
//! which of a few readings was meant, or to stay silent.
//!
//! Two models learned from the knowledge base decide, and rules add what
//! rules do best:
//!
//! - the *gate* (a two-class logistic regression: our examples against the
//!   `none` file's) says whether a message is about iCloud Photos at all;
//! - the *intent model* (a multinomial logistic regression over the intents'
//!   examples) ranks what it is about;
//! - a pasted or retold status line of the Photos app wins outright, as the
//!   labelling rules say, and an intent about one platform counts half when
//!   the message names only others; other products named in the text and
//!   the domain words are marks both models weigh as the data says.
//!
//! Long messages are read whole and sentence by sentence: the sentence that
//! states the problem is found, and two sentences naming two problems offer
//! both. Where the lines lie (answer, ask, stay silent) is chosen by
//! cross-validation over the examples unless the operator sets it.

mod calibrate;
mod classification;
mod decide;
mod device;
mod features;
mod learned;
mod lines;
mod model;
mod phrases;
mod speller;
mod status;
#[cfg(test)]
mod tests;
mod training;
mod vocabulary;

pub use classification::{Classification, Decision, Scored, StatusSeen};
pub use device::{detect as detect_device, is_device_word, mentioned as devices_mentioned};
pub use features::is_stopword;
pub use learned::{Learned, Malformed};
pub use lines::{Cut, Thresholds};

use crate::kb::{Device, IntentId};
use crate::text;
use decide::{Ranked, Reading, Verdict, decide, names_nothing, offer, verdict};
use features::{Featurizer, Key};
use model::{Input, Linear};
use phrases::Phrases;
use rustc_hash::{FxHashMap, FxHashSet};
use speller::Speller;

/// How many ranked intents a classification keeps.
const RANKED: usize = 5;
/// How many readings "Did you mean…" offers at most.
const CLARIFY_CHOICES: usize = 3;
/// A reading is offered beside the best one when it scores at least this
/// share of the best.
const CLARIFY_SHARE: f32 = 0.3;
/// The score a recognised status line gives its intent. The labelling rule
/// is that a quoted status wins, so it sits above any learned line.
const STATUS_SCORE: f32 = 0.97;
/// Weight of a keyword or title phrase as a training sample: a hint, not
/// a whole phrasing.
const KEYWORD_WEIGHT: f32 = 0.5;
/// What an intent about another platform keeps of its score.
const OTHER_DEVICE_FACTOR: f32 = 0.5;
/// A message of at most this many content words needs one of ours.
const SMALL_TALK_WORDS: usize = 3;
/// At most this many sentences of a message are read.
const MAX_SENTENCES: usize = 32;
/// A sentence needs this many content words to be read on its own.
const MIN_SENTENCE_WORDS: usize = 3;

/// The two learned models.
struct Models {
    gate: Linear,
    intents: Linear,
}

/// What the rules found in one stretch of text, besides its words.
struct Marks {
    /// The status lines quoted, as `Matcher::statuses` finds them:
    /// (intent, start, len), the most specific first.
    statuses: Vec<(usize, usize, usize)>,
    /// A third-party tool is named (`none.toml`'s `tools`).
    tool: bool,
}

impl Marks {
    /// The status line the message is read as: of several, the most
    /// specific (the longest), then the first.
    fn status(&self) -> Option<(usize, usize, usize)> {
        self.statuses.first().copied()
    }
}

/// Other products named in a stretch of text.
#[derive(Default)]
struct Theirs {
    /// How many tokens name them.
    words: usize,
    /// Whether one of them is a third-party tool.
    tool: bool,
}

/// The kinds of phrase in `Matcher::foreign`.
const OTHER_PRODUCT: usize = 0;
const TOOL: usize = 1;

pub struct Matcher {
    ids: Vec<IntentId>,
    /// Per intent, the device families it is about (empty: any).
    hints: Vec<Vec<Device>>,
    /// Keys (stems, and pairs for two-word entries) of the domain words.
    domain: FxHashSet<Key>,
    /// The off-topic keywords (other products and topics, `OTHER_PRODUCT`)
    /// and the third-party tools (`TOOL`), matched as whole words: stems
    /// would take "pixelated" for "Pixel".
    foreign: Phrases,
    speller: Speller,
    featurizer: Featurizer,
    /// Feature key -> its row in the models.
    index: FxHashMap<Key, u32>,
    models: Models,
    statuses: Phrases,
    cut: Cut,
}

impl Matcher {
    /// The lines in use: the operator's, or those cross-validation chose.
    pub fn cut(&self) -> Cut {
        self.cut
    }

    /// Normalised tokens with typos corrected against the knowledge base.
    pub fn tokens(&self, message: &str) -> Vec<String> {
        self.tokens_keeping(message, |_| false)
    }

    /// `tokens`, but words that `keep` knows stay as written: the
    /// speller mends towards the knowledge base's words, which the
    /// dialog's own words need not be ("resumed" is no typo of "resume",
    /// nor "ticked" of "ticket").
    pub fn tokens_keeping(&self, message: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut tokens = text::tokens(message);
        self.correct(&mut tokens, keep);
        tokens
    }

    /// Whether a message uses any of the domain words (`none.toml`'s
    /// `domain`) and names no third-party tool: the bot's silence on such
    /// a message may be a gap in its knowledge rather than chatter, so the
    /// review queue hears of it. Silence on a tool's message is the rule.
    pub fn in_domain(&self, message: &str) -> bool {
        let tokens = self.tokens(message);
        !self.theirs(&tokens).tool
            && self
                .featurizer
                .keys(&tokens)
                .iter()
                .any(|k| self.domain.contains(k))
    }

    fn correct(&self, tokens: &mut [String], keep: impl Fn(&str) -> bool) {
        for token in tokens.iter_mut().filter(|t| !keep(t)) {
            if let Some(fixed) = self.speller.correct(token) {
                *token = fixed.to_string();
            }
        }
    }

    /// The other products `tokens` name.
    fn theirs(&self, tokens: &[String]) -> Theirs {
        let hits = self.foreign.find(tokens);
        Theirs {
            words: hits.iter().map(|h| h.len).sum(),
            tool: hits.iter().any(|h| h.intent == TOOL),
        }
    }

    /// What the rules find in a stretch of text: its status line, and
    /// whether it names a third-party tool.
    fn marks(&self, tokens: &[String], theirs: &Theirs) -> Marks {
        Marks {
            statuses: self.statuses(tokens),
            tool: theirs.tool,
        }
    }

    /// The marks for what the rules recognise in a stretch of text whose
    /// word keys are `words`, which the models weigh beside the words.
    fn marked(&self, words: &[Key], theirs: usize, marks: &Marks) -> Vec<Key> {
        let mut marked = Vec::new();
        if let Some((intent, _, _)) = marks.status() {
            marked.push(features::key(&format!("~status {intent}")));
        }
        let ours = words.iter().filter(|k| self.domain.contains(*k)).count();
        if ours > 0 {
            marked.push(features::key("~domain"));
        }
        if ours > 1 {
            marked.push(features::key("~domain+"));
        }
        if theirs > 0 {
            marked.push(features::key("~foreign"));
        }
        if theirs > ours {
            marked.push(features::key("~more-foreign"));
        }
        marked
    }

    /// Every feature of a stretch of text whose content stems are `stems`,
    /// by key: its words and pairs, and the marks for what the rules
    /// recognise (with the status line found).
    fn read(&self, tokens: &[String], stems: &[Key]) -> (Vec<Key>, Vec<Key>, Marks) {
        let theirs = self.theirs(tokens);
        let marks = self.marks(tokens, &theirs);
        let several = device::mentioned(tokens).len() > 1;
        let words = features::keys_of(stems, several);
        let marked = self.marked(&words, theirs.words, &marks);
        (words, marked, marks)
    }

    /// What the models read of a stretch of text whose content stems are
    /// `stems`, and the status line in it.
    fn input(&self, tokens: &[String], stems: &[Key]) -> (Input, Marks) {
        let (words, marked, marks) = self.read(tokens, stems);
        let known = |keys: Vec<Key>| -> Vec<u32> {
            let mut ids: Vec<u32> = keys
                .iter()
                .filter_map(|k| self.index.get(k).copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let seen = words.len();
        let input = Input {
            words: known(words),
            marks: known(marked),
            seen,
        };
        (input, marks)
    }

    /// The gate's probability that a stretch of text is ours, and the joint
    /// scores (ours × intent).
    fn unit_scores(&self, models: &Models, features: &Input) -> (f32, Vec<f32>) {
        let ours = models
            .gate
            .probabilities(features)
            .get(1)
            .copied()
            .unwrap_or(0.0);
        let mut scores = models.intents.probabilities(features);
        scores.iter_mut().for_each(|s| *s *= ours);
        (ours, scores)
    }

    /// Scores for a message cut into sentences: the whole, and each
    /// sentence that says enough on its own.
    fn scores(&self, models: &Models, sentences: &[Vec<String>], whole: &[String]) -> Reading {
        // Each word is stemmed once; the whole message's stems are its
        // sentences' stems joined.
        let stems: Vec<Vec<Key>> = sentences.iter().map(|s| self.featurizer.stems(s)).collect();
        let joined: Vec<Key> = stems.iter().flatten().copied().collect();
        let (input, marks) = self.input(whole, &joined);
        // Not one word the knowledge base knows: no evidence that the
        // message is ours, whatever the models' priors say. A third-party
        // tool named makes it the tool's (a status line still wins below).
        let whole_ours = if input.words.is_empty() || marks.tool {
            0.0
        } else {
            models
                .gate
                .probabilities(&input)
                .get(1)
                .copied()
                .unwrap_or(0.0)
        };
        let mut parts = vec![models.intents.probabilities(&input)];
        if sentences.len() > 1 {
            for (sentence, stems) in sentences.iter().zip(&stems) {
                if stems.len() < MIN_SENTENCE_WORDS {
                    continue;
                }
                let (input, _) = self.input(sentence, stems);
                parts.push(models.intents.probabilities(&input));
            }
        }
        // Whether the message is ours is the whole message's question:
        // "Lightroom" in one sentence makes the next one about Lightroom
        // too. Which problem it is, a sentence can say best.
        let ours = whole_ours;
        let units: Vec<Vec<f32>> = parts
            .into_iter()
            .map(|p| p.into_iter().map(|p| p * ours).collect())
            .collect();
        let mut best = units[0].clone();
        for unit in &units[1..] {
            for (b, s) in best.iter_mut().zip(unit) {
                *b = b.max(*s);
            }
        }
        Reading {
            ours,
            statuses: marks.statuses,
            scores: best,
            units,
        }
    }

    pub fn classify(&self, message: &str) -> Classification {
        // The same bounds as one run of `text::tokens`, however the text is
        // cut into sentences: the work one message can cause stays small.
        let capped = match message.char_indices().nth(text::MAX_INPUT_CHARS) {
            Some((end, _)) => &message[..end],
            None => message,
        };
        let mut budget = text::MAX_TOKENS;
        let mut sentences: Vec<Vec<String>> = Vec::new();
        for sentence in text::sentences(capped).take(MAX_SENTENCES) {
            let mut tokens = text::tokens(sentence);
            tokens.truncate(budget);
            budget -= tokens.len();
            self.correct(&mut tokens, |_| false);
            if !tokens.is_empty() {
                sentences.push(tokens);
            }
            if budget == 0 {
                break;
            }
        }
        let tokens: Vec<String> = sentences.iter().flatten().cloned().collect();
        let device = device::detect(&tokens);
        let reading = self.scores(&self.models, &sentences, &tokens);
        let mut scores = reading.scores.clone();
        self.weigh_devices(&mut scores, &device::mentioned(&tokens));

        // A status line wins: the labelling rule, and what a pasted status
        // means whatever surrounds it.
        let status = reading.statuses.first().map(|&(intent, start, len)| {
            scores[intent] = scores[intent].max(STATUS_SCORE);
            StatusSeen {
                intent: self.ids[intent].clone(),
                text: tokens[start..start + len].join(" "),
            }
        });
        // Two states of the app quoted alike: a message that names two
        // problems is offered both, as "Did you mean", best first.
        let quoted: Vec<usize> = reading.statuses.iter().map(|&(i, _, _)| i).collect();
        for &intent in &quoted {
            scores[intent] = scores[intent].max(STATUS_SCORE);
        }
        let ranked = self.rank(&scores);
        let offered: Vec<usize> = ranked
            .iter()
            .map(|r| r.index)
            .take_while(|i| quoted.contains(i))
            .take(CLARIFY_CHOICES)
            .collect();
        let decision = if offered.len() > 1 {
            Decision::Clarify(offered)
        } else if status.is_none() && self.is_small_talk(&tokens) {
            Decision::None
        } else {
            match decide(self.cut, &ranked, &reading.units, status.is_some()) {
                Decision::Answer(_) if status.is_none() && names_nothing(&tokens) => {
                    Decision::Clarify(offer(&ranked))
                }
                decision => decision,
            }
        };
        Classification {
            decision: decision.map(|i| self.ids[i].clone()),
            ranked: ranked
                .into_iter()
                .take(RANKED)
                .map(|s| Scored {
                    intent: self.ids[s.index].clone(),
                    score: s.score,
                })
                .collect(),
            offtopic: 1.0 - reading.ours,
            device,
            status,
        }
    }

    /// A rule the models cannot learn from message words alone: an intent
    /// about one platform ("iCloud for Windows") is unlikely when the
    /// message names only others.
    fn weigh_devices(&self, scores: &mut [f32], mentioned: &[Device]) {
        if mentioned.is_empty() {
            return;
        }
        for (score, hints) in scores.iter_mut().zip(&self.hints) {
            if !hints.is_empty() && !hints.iter().any(|d| mentioned.contains(d)) {
                *score *= OTHER_DEVICE_FACTOR;
            }
        }
    }

    /// One or two words with nothing of ours in them ("ok", "hey all")
    /// are no evidence, whatever a model makes of them.
    fn is_small_talk(&self, tokens: &[String]) -> bool {
        let words = tokens.iter().filter(|t| !features::is_stopword(t)).count();
        words <= SMALL_TALK_WORDS
            && !self
                .featurizer
                .keys(tokens)
                .iter()
                .any(|k| self.domain.contains(k))
    }

    fn rank(&self, scores: &[f32]) -> Vec<Ranked> {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        order
            .into_iter()
            .map(|index| Ranked {
                index,
                score: scores[index],
            })
            .collect()
    }
}
