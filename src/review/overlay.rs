//! Labels kept in the store, laid over a read-only knowledge base.
//!
//! A knowledge base built into the binary, or mounted read-only in a
//! container, cannot take a new line; the label is then kept in the store
//! and applied to the files' text at every load, by the same edit that
//! would have written the file. `syncmedic review export` writes the result
//! out for the team to commit.

use super::{Item, Kept, Label, State};
use crate::kb::{KbFiles, append_example, has_example};

/// One labelled text, as it goes into a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub label: Label,
    pub text: String,
    /// The `#` line above it: when, why, which item.
    pub comment: String,
}

impl Example {
    /// The example a labelled item stands for; `None` for other items.
    pub fn of(item: &Item) -> Option<Example> {
        let State::Labelled { label, at, .. } = &item.state else {
            return None;
        };
        Some(Example {
            label: label.clone(),
            text: item.text.clone(),
            comment: comment(item, *at),
        })
    }
}

/// The examples of the items whose labels live in the store.
pub fn kept_in_store(items: &[Item]) -> Vec<Example> {
    items
        .iter()
        .filter(|i| {
            matches!(
                i.state,
                State::Labelled {
                    kept: Kept::Store,
                    ..
                }
            )
        })
        .filter_map(Example::of)
        .collect()
}

/// The comment a label leaves above its example.
pub fn comment(item: &Item, labelled_at: i64) -> String {
    let times = match item.count {
        1 => "once".to_string(),
        n => format!("{n} times"),
    };
    format!(
        "reviewed {}: {}, item {}, seen {times}",
        crate::stats::weeks::date(labelled_at),
        item.reason.as_str(),
        item.id
    )
}

/// An example that could not be laid over the files, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub example: Example,
    pub why: String,
}

/// `files` with `examples` added, each to its label's file; one already
/// there (the team committed an export) is left out quietly, one that
/// cannot be added is returned with the reason.
pub fn apply(mut files: KbFiles, examples: &[Example]) -> (KbFiles, Vec<Skipped>) {
    let mut skipped = Vec::new();
    for example in examples {
        let path = example.label.file();
        let Some(file) = files
            .files
            .iter_mut()
            .find(|f| f.path.to_str() == Some(path.as_str()))
        else {
            skipped.push(Skipped {
                example: example.clone(),
                why: format!("{path} is not in the knowledge base"),
            });
            continue;
        };
        if has_example(&file.text, &example.text) {
            continue;
        }
        match append_example(&file.text, &example.text, &example.comment) {
            Ok(text) => file.text = text,
            Err(err) => skipped.push(Skipped {
                example: example.clone(),
                why: err.to_string(),
            }),
        }
    }
    (files, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{IntentId, Kb, fixture};
    use crate::review::Reason;

    fn labelled(id: i64, label: &str, text: &str, kept: Kept) -> Item {
        Item {
            id,
            reason: Reason::SomethingElse,
            text: text.to_string(),
            readings: Vec::new(),
            count: 2,
            conversation: None,
            first_seen: 0,
            last_seen: 0,
            state: State::Labelled {
                label: Label::parse(label).expect("label"),
                by: 1,
                at: 1_796_428_800,
                kept,
            },
        }
    }

    #[test]
    fn store_labels_are_laid_over_the_files_and_load() {
        let items = vec![
            labelled(
                1,
                "status-paused",
                "the cloud thing stopped moving",
                Kept::Store,
            ),
            labelled(2, "none", "my cat ate the router", Kept::Store),
            labelled(3, "upload-stuck", "written to the file already", Kept::File),
            labelled(4, "status-paused", "Photos says paused", Kept::Store),
        ];
        let examples = kept_in_store(&items);
        assert_eq!(examples.len(), 3);
        assert_eq!(
            examples[0].comment,
            "reviewed 2026-12-05: something_else, item 1, seen 2 times"
        );
        let (files, skipped) = apply(fixture::files(), &examples);
        assert!(skipped.is_empty(), "{skipped:?}");
        let kb = Kb::from_files(&files).expect("still valid");
        let paused = kb
            .get(&IntentId::parse("status-paused").expect("id"))
            .expect("intent");
        assert!(
            paused
                .examples
                .iter()
                .any(|e| e == "the cloud thing stopped moving")
        );
        assert_eq!(
            paused
                .examples
                .iter()
                .filter(|e| e.to_lowercase() == "photos says paused")
                .count(),
            1,
            "an example the file has is not added twice"
        );
        assert!(
            kb.offtopic()
                .examples
                .iter()
                .any(|e| e == "my cat ate the router")
        );
    }

    #[test]
    fn an_example_for_a_missing_file_is_reported() {
        let example = Example {
            label: Label::parse("no-such-intent").expect("label"),
            text: "x".into(),
            comment: "c".into(),
        };
        let (_, skipped) = apply(fixture::files(), std::slice::from_ref(&example));
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].why.contains("intents/no-such-intent.toml"));
    }
}
