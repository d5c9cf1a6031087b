//! From tokens to the weighted features the scorer compares.

use rust_stemmers::{Algorithm, Stemmer};

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

pub struct Featurizer {
    stemmer: Stemmer,
    /// Stems of the knowledge base's own words, worked out once: stemming
    /// is the costliest step per token, and most tokens are known words.
    cache: rustc_hash::FxHashMap<String, String>,
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
                self.cache.insert(word.to_string(), stem);
            }
        }
    }

    fn stem(&self, token: &str) -> String {
        match self.cache.get(token) {
            Some(stem) => stem.clone(),
            None => self.stemmer.stem(canonical(token)).into_owned(),
        }
    }

    /// Stems of the content words, then adjacent pairs of them ("low power",
    /// "sign out"), which tell apart intents that share single words.
    pub fn features(&self, tokens: &[String]) -> Vec<String> {
        let stems: Vec<String> = tokens
            .iter()
            .filter(|t| !stopword(t))
            .map(|t| self.stem(t))
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
