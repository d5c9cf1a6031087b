//! From tokens to the weighted features the scorer compares.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// Words that carry no meaning about the problem. Kept small on purpose:
/// "on", "off", "out", "not" and "how" change what people ask, and the
/// inverse document frequency already tames the rest.
fn stopword(token: &str) -> bool {
    matches!(
        token,
        "a" | "an"
            | "the"
            | "my"
            | "me"
            | "mine"
            | "i"
            | "im"
            | "ive"
            | "id"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "am"
            | "it"
            | "its"
            | "this"
            | "that"
            | "these"
            | "those"
            | "to"
            | "of"
            | "and"
            | "or"
            | "for"
            | "with"
            | "at"
            | "by"
            | "from"
            | "as"
            | "so"
            | "just"
            | "really"
            | "very"
            | "you"
            | "your"
            | "u"
            | "ur"
            | "we"
            | "our"
            | "they"
            | "them"
            | "their"
            | "he"
            | "she"
            | "his"
            | "her"
            | "pls"
            | "plz"
            | "please"
            | "oh"
            | "like"
            | "kinda"
            | "sorta"
            | "also"
            | "there"
            | "then"
            | "than"
            | "too"
            | "anyone"
            | "someone"
            | "somebody"
            | "any"
            | "some"
            | "all"
            | "rn"
            | "um"
            | "uh"
    )
}

/// Words that mean the same here, folded to one so that an example written
/// with "pics" teaches the matcher about "photos" too. Device names fold to
/// their family, as device detection does.
fn canonical(token: &str) -> &str {
    match token {
        "pic" | "pics" | "pix" | "picture" | "pictures" | "photo" | "photos" | "image"
        | "images" | "foto" | "fotos" | "snaps" => "photo",
        "video" | "videos" | "vids" | "vid" | "clips" | "movies" => "video",
        "wont" | "dont" | "doesnt" | "isnt" | "arent" | "cant" | "cannot" | "couldnt" | "didnt"
        | "wasnt" | "werent" | "never" | "aint" | "not" | "hasnt" | "havent" | "wouldnt" => "not",
        "phone" | "iphone" | "iphones" | "ipad" | "ipads" | "ios" | "ipados" => "iphone",
        "mac" | "macs" | "macbook" | "macbooks" | "imac" | "macos" | "osx" | "mbp" => "mac",
        "windows" | "pc" | "pcs" | "win" => "windows",
        "phones" | "tablet" | "tablets" => "iphone",
        "synch" | "synchronize" | "synchronise" | "synchronizing" | "synchronising" => "sync",
        "frozen" | "freezes" | "freeze" | "hung" | "hangs" | "hanging" | "stalled" | "stalls" => {
            "stuck"
        }
        "wi" | "wlan" => "wifi",
        // A software update, kept apart from the "Updating" status, which
        // the stemmer would otherwise fold into the same "updat".
        "update" | "updates" | "updated" | "upgrade" | "upgraded" | "upgrading" => "upgrade",
        other => other,
    }
}

/// A feature added when a message names two device families: the mark of
/// "it's on one device but not the other" questions, whatever the words.
pub const SEVERAL_DEVICES: &str = "~devices";

/// A feature as the models see it: a 64-bit hash of its text, so that
/// classifying a message allocates no strings for its features.
pub type Key = u64;

/// The key of a feature named by text (a stem, or a marker such as
/// `~domain`).
pub fn key(feature: &str) -> Key {
    let mut h = FxHasher::default();
    feature.hash(&mut h);
    h.finish()
}

/// The keys of a stretch of text from its stems (see `Featurizer::keys`):
/// a message's sentences are stemmed once, and the whole message's keys
/// come from their stems joined.
pub fn keys_of(stems: &[Key], several_devices: bool) -> Vec<Key> {
    let mut out = Vec::with_capacity(stems.len() * 2 + 1);
    out.extend(stems.windows(2).map(|p| pair_key(p[0], p[1])));
    out.extend(stems);
    if several_devices {
        out.push(key(SEVERAL_DEVICES));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The key of a pair of adjacent stems.
fn pair_key(a: Key, b: Key) -> Key {
    let mut h = FxHasher::default();
    (a, b, 0x5041_4952u32).hash(&mut h);
    h.finish()
}

pub struct Featurizer {
    stemmer: Stemmer,
    /// Stems of the knowledge base's own words, worked out once: stemming
    /// is the costliest step per token, and most tokens are known words.
    cache: rustc_hash::FxHashMap<String, (String, Key)>,
}

impl Default for Featurizer {
    fn default() -> Self {
        Featurizer {
            stemmer: Stemmer::create(Algorithm::English),
            cache: Default::default(),
        }
    }
}

impl Featurizer {
    /// Remembers the stems of `words` (the knowledge base's vocabulary).
    pub fn learn<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for word in words {
            if !self.cache.contains_key(word) {
                let stem = self.stemmer.stem(canonical(word)).into_owned();
                let k = key(&stem);
                self.cache.insert(word.to_string(), (stem, k));
            }
        }
    }

    pub fn stem_key(&self, token: &str) -> Key {
        match self.cache.get(token) {
            Some((_, k)) => *k,
            None => key(&self.stemmer.stem(canonical(token))),
        }
    }

    /// Keys of the stems of the content words, in order.
    pub fn stems(&self, tokens: &[String]) -> Vec<Key> {
        tokens
            .iter()
            .filter(|t| !stopword(t))
            .map(|t| self.stem_key(t))
            .collect()
    }

    /// Keys of the stems of the content words, then of adjacent pairs of
    /// them ("low power", "sign out"), which tell apart intents that share
    /// single words; distinct, in no particular order.
    pub fn keys(&self, tokens: &[String]) -> Vec<Key> {
        let several = super::device::mentioned(tokens).len() > 1;
        keys_of(&self.stems(tokens), several)
    }

    /// The most specific key of a phrase: its first pair ("apple id"), or
    /// for one word its stem.
    pub fn marker(&self, tokens: &[String]) -> Option<Key> {
        let stems: Vec<Key> = tokens
            .iter()
            .filter(|t| !stopword(t))
            .map(|t| self.stem_key(t))
            .collect();
        match stems.as_slice() {
            [] => None,
            [one] => Some(*one),
            [a, b, ..] => Some(pair_key(*a, *b)),
        }
    }

    /// The features by name, for tests and for reading what the models see.
    #[cfg(test)]
    pub fn features(&self, tokens: &[String]) -> Vec<String> {
        let stems: Vec<String> = tokens
            .iter()
            .filter(|t| !stopword(t))
            .map(|t| match self.cache.get(t.as_str()) {
                Some((stem, _)) => stem.clone(),
                None => self.stemmer.stem(canonical(t)).into_owned(),
            })
            .collect();
        let mut out = Vec::with_capacity(stems.len() * 2);
        for pair in stems.windows(2) {
            out.push(format!("{} {}", pair[0], pair[1]));
        }
        out.extend(stems);
        if super::device::mentioned(tokens).len() > 1 {
            out.push(SEVERAL_DEVICES.to_string());
        }
        out.sort();
        out.dedup();
        out
    }
}

pub fn is_stopword(token: &str) -> bool {
    stopword(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    #[test]
    fn stems_drop_stopwords_and_add_pairs() {
        let f = Featurizer::default().features(&tokens("Is my photo syncing on the Mac?"));
        assert_eq!(
            f,
            vec![
                "mac",
                "on",
                "on mac",
                "photo",
                "photo sync",
                "sync",
                "sync on"
            ]
        );
    }

    #[test]
    fn synonyms_and_devices_fold() {
        let f = Featurizer::default();
        assert_eq!(
            f.features(&tokens("pics on my macbook")),
            f.features(&tokens("photos on my imac"))
        );
        assert_eq!(
            f.features(&tokens("wont sync")),
            f.features(&tokens("not syncing"))
        );
        assert!(
            f.features(&tokens("from iphone to pc"))
                .contains(&SEVERAL_DEVICES.to_string())
        );
    }

    #[test]
    fn keys_match_names() {
        let f = Featurizer::default();
        let t = tokens("pics on my macbook and iphone");
        assert_eq!(f.keys(&t).len(), f.features(&t).len());
        assert_eq!(f.keys(&t), f.keys(&tokens("photos on my imac and ipad")));
        assert_eq!(
            f.marker(&tokens("Camera Roll")),
            f.marker(&tokens("camera rolls"))
        );
        assert_ne!(
            f.marker(&tokens("camera roll")),
            f.marker(&tokens("camera"))
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        let f = Featurizer::default();
        assert_eq!(
            f.features(&tokens("uploads")),
            f.features(&tokens("uploading"))
        );
        assert_eq!(
            f.features(&tokens("synced")),
            f.features(&tokens("syncing"))
        );
    }
}
