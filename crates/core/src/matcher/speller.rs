//! Typo correction against the knowledge base's own vocabulary.
//!
//! A symmetric-delete index (every word with up to one or two letters
//! removed) finds the few candidates near a misspelt token without comparing
//! it to the whole vocabulary; `strsim`'s Damerau-Levenshtein distance then
//! decides among them. Only words the knowledge base knows can come out, so
//! correction can never invent a word.

use rustc_hash::FxHashMap as HashMap;
use std::hash::BuildHasher;

pub struct Speller {
    /// Known words and how often the knowledge base uses them.
    words: Vec<(String, u32)>,
    /// Each known word's place in `words`: the typo search looks hundreds
    /// of deletion variants up per long unknown word, and a hash beats a
    /// binary search over strings for each.
    known: HashMap<String, u32>,
    /// Words never corrected: the problems' own words, and any other word
    /// the knowledge base uses often.
    settled: rustc_hash::FxHashSet<String>,
    /// Misspellings that examples themselves contain ("waitng"), mapped to
    /// the word they stand for, so users' identical typos are mended too.
    rare_typos: HashMap<String, String>,
    /// Deletion variant, by its hash -> indexes into `words`. Keyed by
    /// hash, the index allocates nothing per variant (hundreds of
    /// thousands of them: their strings were most of its build time and
    /// memory). Two variants sharing a hash would only add a candidate,
    /// and every candidate is measured by its true distance.
    deletes: HashMap<u64, Ids>,
    /// Characters in the longest known word. A token longer by more than
    /// two edits cannot be a typo of any, and its deletion variants grow
    /// with the square of its length: one 4,000-letter word would
    /// otherwise build some sixteen million variants of 4,000 letters.
    longest: usize,
}

/// The words a deletion variant stands for, ascending: most stand for one,
/// which needs no allocation of its own.
enum Ids {
    One(u32),
    Many(Vec<u32>),
}

impl Ids {
    fn add(&mut self, id: u32) {
        match self {
            Ids::One(first) if *first != id => *self = Ids::Many(vec![*first, id]),
            Ids::Many(ids) if ids.last() != Some(&id) => ids.push(id),
            _ => {}
        }
    }

    fn as_slice(&self) -> &[u32] {
        match self {
            Ids::One(id) => std::slice::from_ref(id),
            Ids::Many(ids) => ids,
        }
    }
}

fn variant_key(variant: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(variant)
}

/// The best candidate so far: (edits, rarer last, index into `words`).
type Best = Option<(usize, std::cmp::Reverse<u32>, u32)>;

/// A word used this often is a word, not a typo, wherever it is used.
const SETTLED_USES: u32 = 3;
/// Tokens shorter than this are left alone: "wife" is not a typo of "wifi".
const MIN_LEN: usize = 5;
/// A known word used at most this often may itself be a typo…
const RARE: u32 = 2;
/// …of a word used at least this many times more often.
const COMMON_FACTOR: u32 = 6;
/// From this length on two edits are forgiven, below it one. Two-edit
/// variants of every long word are most of the index's build time, and
/// shorter words rarely carry two typos.
const TWO_EDITS_FROM: usize = 10;

fn max_edits(len: usize) -> usize {
    if len >= TWO_EDITS_FROM { 2 } else { 1 }
}

impl Speller {
    /// `vocabulary` is every word the knowledge base uses (a word in it is
    /// never corrected); `targets` are the words a typo may be corrected to.
    #[cfg(test)]
    pub fn new<'a>(
        vocabulary: impl IntoIterator<Item = &'a str>,
        targets: impl IntoIterator<Item = &'a str>,
    ) -> Speller {
        let mut counts: HashMap<&str, u32> = HashMap::default();
        for word in vocabulary {
            *counts.entry(word).or_default() += 1;
        }
        Speller::from_counts(counts, targets)
    }

    /// `counts` is each distinct word the knowledge base uses, once, with how
    /// often it does (training has them counted already: counting the
    /// ~100,000 tokens again here cost a tenth of the build).
    pub fn from_counts<'a>(
        counts: impl IntoIterator<Item = (&'a str, u32)>,
        targets: impl IntoIterator<Item = &'a str>,
    ) -> Speller {
        let mut words: Vec<(String, u32)> = counts
            .into_iter()
            .map(|(word, n)| (word.to_string(), n))
            .collect();
        let targets: rustc_hash::FxHashSet<&str> = targets.into_iter().collect();
        // A word only the chatter examples use, and rarely, is as likely a
        // typo someone made there ("wating") as a word: it does not stop
        // the same typo in a question being mended.
        let settled: rustc_hash::FxHashSet<String> = words
            .iter()
            .filter(|(w, n)| *n >= SETTLED_USES || targets.contains(w.as_str()))
            .map(|(w, _)| w.clone())
            .collect();
        words.sort();
        let known: HashMap<String, u32> = words
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (w.clone(), i as u32))
            .collect();
        let mut deletes: HashMap<u64, Ids> = HashMap::default();
        let mut buffer = String::new();
        for (i, (word, _)) in words.iter().enumerate() {
            let chars = word.chars().count();
            // Only targets are indexed: the chatter examples' words are
            // known (never corrected) but nothing to correct towards, and
            // indexing them all would be most of the build time.
            if !targets.contains(word.as_str())
                || chars + 1 < MIN_LEN
                || !word.chars().all(char::is_alphabetic)
            {
                continue;
            }
            let letters: Vec<char> = word.chars().collect();
            for edits in 1..=max_edits(chars) {
                // Words come in order, so each variant's ids stay ascending
                // and a word's repeated variant ("bok" twice from "book")
                // is the last one there.
                each_deletion(&letters, edits, &mut buffer, &mut |variant| {
                    deletes
                        .entry(variant_key(variant))
                        .and_modify(|ids| ids.add(i as u32))
                        .or_insert(Ids::One(i as u32));
                });
            }
        }
        let longest = words
            .iter()
            .map(|(w, _)| w.chars().count())
            .max()
            .unwrap_or(0);
        let mut speller = Speller {
            words,
            known,
            settled,
            deletes,
            rare_typos: HashMap::default(),
            longest,
        };
        speller.rare_typos = speller
            .words
            .iter()
            .filter(|(word, freq)| {
                *freq <= RARE && word.chars().count() >= MIN_LEN && targets.contains(word.as_str())
            })
            .filter_map(|(word, freq)| {
                let fix = speller.nearest(word, 1)?;
                let fix_freq = speller
                    .index_of(fix)
                    .map_or(0, |i| speller.words[i as usize].1);
                (fix_freq >= freq * COMMON_FACTOR).then(|| (word.clone(), fix.to_string()))
            })
            .collect();
        // Built by growing, the maps hold up to twice the slots they need,
        // for the bot's whole life.
        speller.known.shrink_to_fit();
        speller.deletes.shrink_to_fit();
        for ids in speller.deletes.values_mut() {
            if let Ids::Many(ids) = ids {
                ids.shrink_to_fit();
            }
        }
        speller.rare_typos.shrink_to_fit();
        speller
    }

    pub fn is_known(&self, word: &str) -> bool {
        self.settled.contains(word)
    }

    /// The known word `token` most likely stands for, or `None` when it is
    /// known already, too short, or nothing is close enough.
    pub fn correct(&self, token: &str) -> Option<&str> {
        if let Some(fix) = self.rare_typos.get(token) {
            return Some(fix);
        }
        if self.is_known(token) || !token.chars().all(char::is_alphabetic) {
            return None;
        }
        let len = token.chars().count();
        if len < MIN_LEN {
            return self.transposition(token);
        }
        if len > self.longest + max_edits(len) {
            return None;
        }
        self.nearest(token, max_edits(len))
    }

    /// The closest other known word at most `allowed` edits away. Variants
    /// one deletion away are tried first, and a word found there ends the
    /// search: two-edit candidates are many and rarely better.
    fn nearest(&self, token: &str, allowed: usize) -> Option<&str> {
        let mut best: Best = None;
        let mut seen: Vec<u32> = Vec::new();
        let mut consider = |index: u32, best: &mut Best| {
            if seen.contains(&index) {
                return;
            }
            seen.push(index);
            let (word, freq) = &self.words[index as usize];
            // Optimal string alignment: Damerau-Levenshtein without the
            // allocation, and a swapped pair still costs one edit.
            let distance = strsim::osa_distance(token, word);
            if distance == 0 || distance > allowed {
                return;
            }
            let key = (distance, std::cmp::Reverse(*freq), index);
            if best.is_none_or(|b| key < b) {
                *best = Some(key);
            }
        };
        let mut look = |variant: &str, edited: bool, best: &mut Best| {
            if let Some(ids) = self.deletes.get(&variant_key(variant)) {
                for &id in ids.as_slice() {
                    consider(id, best);
                }
            }
            if edited && let Some(i) = self.index_of(variant) {
                consider(i, best);
            }
        };
        let word = |best: Best| best.map(|(_, _, i)| self.words[i as usize].0.as_str());
        // A word this many edits away ends the search.
        let found = |best: &Best, edits: usize| best.is_some_and(|(d, _, _)| d <= edits.max(1));
        look(token, false, &mut best);
        if found(&best, 0) || allowed == 0 {
            return word(best);
        }
        let letters: Vec<char> = token.chars().collect();
        let mut buffer = String::with_capacity(token.len());
        each_deletion(&letters, 1, &mut buffer, &mut |variant| {
            look(variant, true, &mut best)
        });
        if found(&best, 1) || allowed == 1 {
            return word(best);
        }
        each_deletion(&letters, 2, &mut buffer, &mut |variant| {
            look(variant, true, &mut best)
        });
        word(best)
    }

    /// Short words are only corrected for swapped letters ("sycn").
    fn transposition(&self, token: &str) -> Option<&str> {
        let chars: Vec<char> = token.chars().collect();
        (0..chars.len().saturating_sub(1)).find_map(|i| {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            let candidate: String = swapped.into_iter().collect();
            self.index_of(&candidate)
                .map(|i| self.words[i as usize].0.as_str())
        })
    }

    fn index_of(&self, word: &str) -> Option<u32> {
        self.known.get(word).copied()
    }
}

/// Calls `f` with every non-empty string made by deleting exactly `edits`
/// (one or two) of `letters`, each built in the one `buffer`: a long word
/// has a hundred such variants, and most are only looked up, never kept.
fn each_deletion(letters: &[char], edits: usize, buffer: &mut String, f: &mut impl FnMut(&str)) {
    let n = letters.len();
    let mut emit = |skip: &[usize], buffer: &mut String| {
        buffer.clear();
        buffer.extend(
            letters
                .iter()
                .enumerate()
                .filter(|(k, _)| !skip.contains(k))
                .map(|(_, c)| *c),
        );
        if !buffer.is_empty() {
            f(buffer);
        }
    };
    for i in 0..n {
        if edits == 1 {
            emit(&[i], buffer);
        } else {
            for j in i + 1..n {
                emit(&[i, j], buffer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller() -> Speller {
        let words =
            "waiting upload uploading photos icloud sync paused optimizing thumbnails wifi library";
        Speller::new(words.split(' '), words.split(' '))
    }

    #[test]
    fn corrects_common_typos() {
        let s = speller();
        assert_eq!(s.correct("waitng"), Some("waiting"));
        assert_eq!(s.correct("uplaod"), Some("upload"));
        assert_eq!(s.correct("phots"), Some("photos"));
        assert_eq!(s.correct("iclod"), Some("icloud"));
        assert_eq!(s.correct("optimising"), Some("optimizing"));
        assert_eq!(s.correct("thumbnals"), Some("thumbnails"));
        assert_eq!(s.correct("libary"), Some("library"));
        assert_eq!(s.correct("sycn"), Some("sync"));
        assert_eq!(s.correct("upolading"), Some("uploading"));
    }

    #[test]
    fn mends_typos_the_vocabulary_itself_contains() {
        let mut words = vec!["waiting"; 8];
        words.push("waitng");
        words.push("wifi");
        words.push("wife");
        let s = Speller::new(words.iter().copied(), words.iter().copied());
        assert_eq!(s.correct("waitng"), Some("waiting"));
        assert_eq!(s.correct("wife"), None, "rare but short, and not a typo");
    }

    #[test]
    fn leaves_known_short_and_distant_words_alone() {
        let s = speller();
        assert_eq!(s.correct("photos"), None, "known");
        assert_eq!(s.correct("wife"), None, "short words are not typos of wifi");
        assert_eq!(s.correct("printer"), None, "nothing close");
        assert_eq!(s.correct("#"), None);
        assert_eq!(s.correct("p4used"), None, "not letters only");
    }

    /// Found by the property tests: one unbroken 4,000-letter word took
    /// seconds (and distinct letters would take gigabytes) in the search
    /// for a word it could never be.
    #[test]
    fn words_far_longer_than_any_known_are_not_searched() {
        let s = speller();
        assert_eq!(s.correct("thumbnailsxx"), Some("thumbnails"), "two edits");
        assert_eq!(s.correct("thumbnailsxxx"), None, "three edits");
        assert_eq!(s.correct(&"a".repeat(4_000)), None);
        let distinct = "abcdefghijklmnopqrstuvwxyz".repeat(150);
        assert_eq!(s.correct(&distinct), None);
    }
}
