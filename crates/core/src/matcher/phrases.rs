//! Finding known phrases in a message: the status lines the Photos app
//! shows, pasted or retold, and the names of products that are not ours.

/// A phrase, as tokens, and the index of what it stands for.
struct Pattern {
    tokens: Vec<String>,
    intent: usize,
}

/// Where a phrase was found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub intent: usize,
    /// How many tokens the phrase spans: longer phrases are more specific.
    pub len: usize,
    pub start: usize,
}

pub struct Phrases {
    patterns: Vec<Pattern>,
    /// First token -> patterns starting with it, longest first.
    by_first: rustc_hash::FxHashMap<String, Vec<usize>>,
}

impl Phrases {
    /// `phrases` are (intent index, normalised tokens of one status text).
    pub fn new(phrases: impl IntoIterator<Item = (usize, Vec<String>)>) -> Phrases {
        let mut patterns: Vec<Pattern> = phrases
            .into_iter()
            .filter(|(_, tokens)| !tokens.is_empty())
            .map(|(intent, tokens)| Pattern { tokens, intent })
            .collect();
        // Longest first, so that a phrase inside a longer one loses to it.
        patterns.sort_by_key(|p| std::cmp::Reverse(p.tokens.len()));
        let mut by_first: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (i, p) in patterns.iter().enumerate() {
            by_first.entry(p.tokens[0].clone()).or_default().push(i);
        }
        Phrases { patterns, by_first }
    }

    /// Whether a phrase starts with `token`: a text without one has no
    /// phrase in it.
    pub fn opens(&self, token: &str) -> bool {
        self.by_first.contains_key(token)
    }

    /// Phrases in `tokens`, longest first, none inside another.
    /// "syncing with icloud paused" is a pause, not "syncing with icloud".
    pub fn find<T: AsRef<str>>(&self, tokens: &[T]) -> Vec<Hit> {
        // Every match, then the longest ones first, dropping any that
        // overlaps a longer one already kept.
        let mut found: Vec<Hit> = Vec::new();
        for (start, token) in tokens.iter().enumerate() {
            let Some(candidates) = self.by_first.get(token.as_ref()) else {
                continue;
            };
            for &i in candidates {
                let pattern = &self.patterns[i];
                let n = pattern.tokens.len();
                let here = tokens.get(start..start + n);
                if here.is_some_and(|h| {
                    h.iter()
                        .map(AsRef::as_ref)
                        .eq(pattern.tokens.iter().map(String::as_str))
                }) {
                    found.push(Hit {
                        intent: pattern.intent,
                        len: n,
                        start,
                    });
                }
            }
        }
        found.sort_by(|a, b| b.len.cmp(&a.len).then(a.start.cmp(&b.start)));
        let mut taken = vec![false; tokens.len()];
        let mut hits = Vec::new();
        for hit in found {
            let span = hit.start..hit.start + hit.len;
            if taken[span.clone()].iter().any(|&t| t) {
                continue;
            }
            taken[span].iter_mut().for_each(|t| *t = true);
            hits.push(hit);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn statuses() -> Phrases {
        Phrases::new(
            [
                (0, "waiting to upload"),
                (1, "paused"),
                (1, "syncing with icloud paused"),
                (2, "syncing with icloud"),
                (3, "optimizing system performance"),
                (4, "can't be synced"),
            ]
            .map(|(i, s)| (i, tokens(s))),
        )
    }

    fn intents(text: &str) -> Vec<(usize, usize)> {
        statuses()
            .find(&tokens(text))
            .iter()
            .map(|h| (h.intent, h.len))
            .collect()
    }

    #[test]
    fn finds_statuses_with_counts_case_and_context() {
        assert_eq!(intents("it says Waiting To Upload 57 items…"), vec![(0, 3)]);
        assert_eq!(intents("\"7 items can’t be synced\""), vec![(4, 3)]);
        assert_eq!(intents("PAUSED"), vec![(1, 1)]);
    }

    #[test]
    fn longest_phrase_wins_where_phrases_overlap() {
        assert_eq!(intents("Syncing with iCloud Paused"), vec![(1, 4)]);
        assert_eq!(intents("Syncing with iCloud…"), vec![(2, 3)]);
        assert_eq!(
            intents("optimizing system performance and sync is paused"),
            vec![(3, 3), (1, 1)]
        );
    }

    #[test]
    fn no_status_no_hit() {
        assert!(intents("my photos are gone").is_empty());
    }
}
