//! From tokens to the weighted features the scorer compares.

use rust_stemmers::{Algorithm, Stemmer};

/// Words that carry no meaning about the problem. Kept small on purpose:
/// "on", "off", "out", "not" and "how" change what people ask, and the
/// inverse document frequency already tames the rest.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "my", "me", "mine", "i", "im", "ive", "id", "is", "are", "was", "were",
    "be", "been", "being", "am", "it", "its", "this", "that", "these", "those", "to", "of", "and",
    "or", "for", "with", "at", "by", "from", "as", "so", "just", "really", "very", "you", "your",
    "u", "ur", "we", "our", "they", "them", "their", "he", "she", "his", "her", "hey", "hi",
    "hello", "pls", "plz", "please", "guys", "team", "um", "uh", "oh", "like", "kinda", "sorta",
    "also", "there", "then", "than", "too", "anyone", "someone", "somebody", "any", "some", "all",
    "now", "rn", "lol", "haha", "thx", "thanks", "ok", "okay", "yeah", "yes", "ya",
];

pub struct Featurizer {
    stemmer: Stemmer,
}

impl Default for Featurizer {
    fn default() -> Self {
        Featurizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Featurizer {
    /// Stems of the content words, then adjacent pairs of them ("low power",
    /// "sign out"), which tell apart intents that share single words.
    pub fn features(&self, tokens: &[String]) -> Vec<String> {
        let stems: Vec<String> = tokens
            .iter()
            .filter(|t| !STOPWORDS.contains(&t.as_str()))
            .map(|t| self.stemmer.stem(t).into_owned())
            .collect();
        let mut out = Vec::with_capacity(stems.len() * 2);
        for pair in stems.windows(2) {
            out.push(format!("{} {}", pair[0], pair[1]));
        }
        out.extend(stems);
        out.sort();
        out.dedup();
        out
    }
}

/// True for a bigram feature.
pub fn is_pair(feature: &str) -> bool {
    feature.contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    #[test]
    fn stems_drop_stopwords_and_add_pairs() {
        let f = Featurizer::default().features(&tokens("Is my photo syncing on the Mac?"));
        assert_eq!(f, vec!["mac", "on", "on mac", "photo", "photo sync", "sync", "sync on"]);
    }

    #[test]
    fn inflections_share_a_stem() {
        let f = Featurizer::default();
        assert_eq!(f.features(&tokens("uploads")), f.features(&tokens("uploading")));
        assert_eq!(f.features(&tokens("synced")), f.features(&tokens("syncing")));
    }
}
