//! Scores every class (each intent, plus the off-topic class) for a set of
//! features, from two views of the training phrasings:
//!
//! - nearest example: the best inverse-document-frequency weighted cosine
//!   between the message and any one example, which rewards a close
//!   paraphrase;
//! - class profile: how much of the message's weight falls on words the
//!   class uses often (or lists as keywords), which generalises to
//!   phrasings no example foresaw.

use super::features::is_pair;
use rustc_hash::FxHashMap as HashMap;

/// Training text for one class: examples, and phrases counted as keywords.
pub struct ClassText {
    pub examples: Vec<Vec<String>>,
    pub keywords: Vec<Vec<String>>,
}

pub struct Scorer {
    classes: usize,
    terms: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Per term: (class, share of the class's examples that use it, or the
    /// keyword share if higher).
    profile: Vec<Vec<(u16, f32)>>,
    /// Per term: examples that use it.
    postings: Vec<Vec<u32>>,
    example_class: Vec<u16>,
    example_norm: Vec<f32>,
    /// Per term: whether it is a pair of words.
    pair: Vec<bool>,
    /// Per term: too common to help find the nearest example ("photo",
    /// "not"). Left out of that view, where walking its long posting list
    /// would cost most of the time; the class profile still counts it.
    common: Vec<bool>,
    /// Weight given to a word no class knows: it dilutes the profile score
    /// a little, so a long message about something else scores low.
    unknown_weight: f32,
}

/// Share of a class's examples that a keyword counts as.
const KEYWORD_SHARE: f32 = 0.6;
/// The nearest example's share of the example view; the second nearest
/// has the rest, so one lucky example cannot carry a class alone.
const NEAREST_WEIGHT: f32 = 0.7;
/// A term in more than this share of all examples is "common".
const COMMON_SHARE: f32 = 0.12;
/// Pairs weigh less than words: they are rarer, so their idf runs high.
const PAIR_FACTOR: f32 = 0.6;

impl Scorer {
    pub fn new(classes: &[ClassText]) -> Scorer {
        let mut terms: HashMap<String, u32> = HashMap::default();
        let intern = |t: &str, terms: &mut HashMap<String, u32>| -> u32 {
            let next = terms.len() as u32;
            *terms.entry(t.to_string()).or_insert(next)
        };
        // Count, per class, how many examples use each term.
        let mut counts: Vec<HashMap<u32, f32>> = Vec::with_capacity(classes.len());
        let mut examples: Vec<(u16, Vec<u32>)> = Vec::new();
        for (c, class) in classes.iter().enumerate() {
            let mut count: HashMap<u32, f32> = HashMap::default();
            for example in &class.examples {
                let ids: Vec<u32> = example.iter().map(|t| intern(t, &mut terms)).collect();
                for &id in &ids {
                    *count.entry(id).or_default() += 1.0;
                }
                examples.push((c as u16, ids));
            }
            let n = class.examples.len().max(1) as f32;
            count.values_mut().for_each(|v| *v /= n);
            for keyword in &class.keywords {
                for t in keyword {
                    let id = intern(t, &mut terms);
                    let share = count.entry(id).or_default();
                    *share = share.max(KEYWORD_SHARE);
                }
            }
            counts.push(count);
        }
        let n_terms = terms.len();
        let mut df = vec![0f32; n_terms];
        for count in &counts {
            for (&id, &share) in count {
                // A class that uses a word once in thirty examples barely
                // "has" it; weigh document frequency by the share.
                df[id as usize] += share.sqrt();
            }
        }
        let n_classes = classes.len() as f32;
        let mut idf: Vec<f32> = df
            .iter()
            .map(|&d| ((n_classes + 1.0) / (d + 0.5)).ln().max(0.05))
            .collect();
        let mut pair = vec![false; n_terms];
        for (term, &id) in &terms {
            if is_pair(term) {
                idf[id as usize] *= PAIR_FACTOR;
                pair[id as usize] = true;
            }
        }
        let mut profile = vec![Vec::new(); n_terms];
        for (c, count) in counts.iter().enumerate() {
            for (&id, &share) in count {
                profile[id as usize].push((c as u16, share));
            }
        }
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); n_terms];
        let mut example_class = Vec::with_capacity(examples.len());
        let mut example_terms = Vec::with_capacity(examples.len());
        for (e, (c, ids)) in examples.iter().enumerate() {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            for &id in &ids {
                postings[id as usize].push(e as u32);
            }
            example_class.push(*c);
            example_terms.push(ids);
        }
        let too_many = (examples.len() as f32 * COMMON_SHARE) as usize;
        let common: Vec<bool> = postings.iter().map(|p| p.len() > too_many).collect();
        for (id, list) in postings.iter_mut().enumerate() {
            if common[id] {
                list.clear();
            }
        }
        let example_norm = example_terms
            .iter()
            .map(|ids| {
                ids.iter()
                    .filter(|&&id| !common[id as usize])
                    .map(|&id| idf[id as usize].powi(2))
                    .sum::<f32>()
                    .sqrt()
            })
            .collect();
        let unknown_weight = 0.5;
        Scorer {
            classes: classes.len(),
            terms,
            idf,
            profile,
            postings,
            example_class,
            example_norm,
            pair,
            common,
            unknown_weight,
        }
    }

    /// One score in [0, 1] per class.
    pub fn score(&self, features: &[String]) -> Vec<f32> {
        let mut nearest = vec![0f32; self.classes];
        let mut second = vec![0f32; self.classes];
        let mut profile = vec![0f32; self.classes];
        let known: Vec<u32> = features
            .iter()
            .filter_map(|f| self.terms.get(f).copied())
            .collect();
        if known.is_empty() {
            return nearest;
        }
        let unknown = features.iter().filter(|f| !is_pair(f)).count()
            - known.iter().filter(|&&id| !self.is_pair_id(id)).count();
        let total_weight: f32 = known.iter().map(|&id| self.idf[id as usize]).sum::<f32>()
            + unknown as f32 * self.unknown_weight;
        let query_norm: f32 = known
            .iter()
            .filter(|&&id| !self.common[id as usize])
            .map(|&id| self.idf[id as usize].powi(2))
            .sum::<f32>()
            .sqrt();

        let mut dots = vec![0f32; self.example_class.len()];
        let mut touched: Vec<u32> = Vec::with_capacity(64);
        for &id in &known {
            let w = self.idf[id as usize];
            for &(c, share) in &self.profile[id as usize] {
                profile[c as usize] += w * share.sqrt();
            }
            for &e in &self.postings[id as usize] {
                let dot = &mut dots[e as usize];
                if *dot == 0.0 {
                    touched.push(e);
                }
                *dot += w * w;
            }
        }
        for &e in &touched {
            let e = e as usize;
            let c = self.example_class[e] as usize;
            let cosine = dots[e] / (query_norm * self.example_norm[e]).max(f32::EPSILON);
            if cosine > nearest[c] {
                second[c] = nearest[c];
                nearest[c] = cosine;
            } else if cosine > second[c] {
                second[c] = cosine;
            }
        }
        for (n, s) in nearest.iter_mut().zip(&second) {
            *n = NEAREST_WEIGHT * *n + (1.0 - NEAREST_WEIGHT) * s;
        }
        nearest
            .iter()
            .zip(&profile)
            .map(|(n, p)| (0.6 * n + 0.4 * (p / total_weight)).clamp(0.0, 1.0))
            .collect()
    }

    fn is_pair_id(&self, id: u32) -> bool {
        self.pair[id as usize]
    }
}
