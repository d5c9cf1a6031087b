//! The knowledge base's distinct words, each looked up once while the
//! matcher trains.
//!
//! Why: featurising the ~6,700 phrasings token by token hashed every token
//! four times over (its stem, the status lines, the other products, the
//! device names), a third of the load. Most tokens are a few hundred
//! common words, so each distinct word is worked out once and a phrasing
//! becomes indices into that table. What a word is worth comes from the
//! same functions that read a message, so the features are the same.

use super::device;
use super::features::{Featurizer, Key, is_stopword};
use super::phrases::Phrases;
use crate::kb::Device;
use rustc_hash::FxHashMap;

/// What featurising needs to know of one distinct word.
pub(super) struct Word {
    /// The key of its stem; only content words have one.
    pub stem: Option<Key>,
    pub device: Option<Device>,
    /// A status line could start here: only then is the phrasing searched
    /// for one.
    pub opens_status: bool,
    /// So could the name of another product.
    pub opens_foreign: bool,
}

/// Every phrasing's tokens as indices into the distinct words.
pub(super) struct Vocabulary<'a> {
    distinct: Vec<&'a str>,
    /// The phrasings' indices, one phrasing after another.
    ids: Vec<u32>,
    /// Where each phrasing's indices end in `ids`.
    ends: Vec<usize>,
}

impl<'a> Vocabulary<'a> {
    pub fn new(phrasings: impl IntoIterator<Item = &'a [String]>) -> Vocabulary<'a> {
        let mut index: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut vocabulary = Vocabulary {
            distinct: Vec::new(),
            ids: Vec::new(),
            ends: Vec::new(),
        };
        for tokens in phrasings {
            for token in tokens {
                let next = vocabulary.distinct.len() as u32;
                let id = *index.entry(token.as_str()).or_insert(next);
                if id == next {
                    vocabulary.distinct.push(token.as_str());
                }
                vocabulary.ids.push(id);
            }
            vocabulary.ends.push(vocabulary.ids.len());
        }
        vocabulary
    }

    /// The distinct words, in the order they first appear.
    pub fn distinct(&self) -> &[&'a str] {
        &self.distinct
    }

    /// The `n`th phrasing's tokens as indices into `distinct`.
    pub fn phrasing(&self, n: usize) -> &[u32] {
        let start = n.checked_sub(1).map_or(0, |p| self.ends[p]);
        &self.ids[start..self.ends[n]]
    }

    /// The `n`th phrasing's words as `known` (from `words`) describes them.
    pub fn words_of<'w>(&self, n: usize, known: &'w [Word]) -> Vec<&'w Word> {
        self.phrasing(n)
            .iter()
            .map(|&id| &known[id as usize])
            .collect()
    }

    /// How often each distinct word is used, and by the phrasings
    /// `counted` says count.
    pub fn counts(&self, counted: impl Fn(usize) -> bool) -> Vec<u32> {
        let mut counts = vec![0; self.distinct.len()];
        for n in (0..self.ends.len()).filter(|&n| counted(n)) {
            for &id in self.phrasing(n) {
                counts[id as usize] += 1;
            }
        }
        counts
    }

    /// What each distinct word is, by the rules that read a message.
    pub fn words(
        &self,
        featurizer: &Featurizer,
        statuses: &Phrases,
        foreign: &Phrases,
    ) -> Vec<Word> {
        self.distinct
            .iter()
            .map(|&word| Word {
                stem: (!is_stopword(word)).then(|| featurizer.stem_key(word)),
                device: device::family(word),
                opens_status: statuses.opens(word),
                opens_foreign: foreign.opens(word),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    #[test]
    fn phrasings_become_indices_of_distinct_words() {
        let phrasings = [
            tokens("photos stuck on my mac"),
            tokens(""),
            tokens("my photos"),
        ];
        let v = Vocabulary::new(phrasings.iter().map(Vec::as_slice));
        assert_eq!(v.distinct(), ["photos", "stuck", "on", "my", "mac"]);
        assert_eq!(v.phrasing(0), [0, 1, 2, 3, 4]);
        assert!(v.phrasing(1).is_empty());
        assert_eq!(v.phrasing(2), [3, 0]);
        assert_eq!(v.counts(|_| true), [2, 1, 1, 2, 1]);
        assert_eq!(v.counts(|n| n == 2), [1, 0, 0, 1, 0]);
    }

    #[test]
    fn words_are_read_as_a_message_would_be() {
        let phrasings = [tokens("my mac says waiting to upload in lightroom")];
        let v = Vocabulary::new(phrasings.iter().map(Vec::as_slice));
        let featurizer = Featurizer::default();
        let statuses = Phrases::new([(0, tokens("waiting to upload"))]);
        let foreign = Phrases::new([(0, tokens("lightroom"))]);
        let words = v.words(&featurizer, &statuses, &foreign);
        let at = |w: &str| &words[v.distinct().iter().position(|d| *d == w).unwrap()];
        assert!(at("my").stem.is_none(), "a stopword has no stem");
        assert_eq!(at("mac").device, Some(Device::Mac));
        assert_eq!(at("says").stem, Some(featurizer.stem_key("says")));
        assert!(at("waiting").opens_status && !at("upload").opens_status);
        assert!(at("lightroom").opens_foreign && !at("mac").opens_foreign);
    }
}
