//! Recognising the status lines the Photos app shows, pasted or retold.

/// A status phrase, as tokens, and the intent (by index) that owns it.
struct Pattern {
    tokens: Vec<String>,
    intent: usize,
}

/// Where a status phrase was found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub intent: usize,
    /// How many tokens the phrase spans: longer phrases are more specific.
    pub len: usize,
    pub start: usize,
}

pub struct Statuses {
    patterns: Vec<Pattern>,
}

impl Statuses {
    /// `phrases` are (intent index, normalised tokens of one status text).
    pub fn new(phrases: impl IntoIterator<Item = (usize, Vec<String>)>) -> Statuses {
        let mut patterns: Vec<Pattern> = phrases
            .into_iter()
            .filter(|(_, tokens)| !tokens.is_empty())
            .map(|(intent, tokens)| Pattern { tokens, intent })
            .collect();
        // Longest first, so that a phrase inside a longer one loses to it.
        patterns.sort_by(|a, b| b.tokens.len().cmp(&a.tokens.len()));
        Statuses { patterns }
    }

    /// Status phrases in `tokens`, longest first, none inside another.
    /// "syncing with icloud paused" is a pause, not "syncing with icloud".
    pub fn find(&self, tokens: &[String]) -> Vec<Hit> {
        let mut taken = vec![false; tokens.len()];
        let mut hits = Vec::new();
        for pattern in &self.patterns {
            let n = pattern.tokens.len();
            if n > tokens.len() {
                continue;
            }
            for start in 0..=tokens.len() - n {
                let span = start..start + n;
                if taken[span.clone()].iter().any(|&t| t) || tokens[span.clone()] != pattern.tokens[..] {
                    continue;
                }
                taken[span].iter_mut().for_each(|t| *t = true);
                hits.push(Hit {
                    intent: pattern.intent,
                    len: n,
                    start,
                });
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn statuses() -> Statuses {
        Statuses::new(
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
        statuses().find(&tokens(text)).iter().map(|h| (h.intent, h.len)).collect()
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
