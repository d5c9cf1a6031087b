//! What staff can say of an item, and how a typed intent name is found.

use crate::kb::{IntentId, Kb, NONE_LABEL};
use serde::{Serialize, Serializer};
use std::fmt;

/// A label: one of the knowledge base's intents, or "not ours".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Label {
    Intent(IntentId),
    /// Chatter the bot must leave alone: an example of `none.toml`.
    NotOurs,
}

impl Label {
    /// `none` or an intent id, as the store, the CLI and select values
    /// write it. Whether the intent exists is the knowledge base's to say.
    pub fn parse(raw: &str) -> Option<Label> {
        if raw == NONE_LABEL {
            Some(Label::NotOurs)
        } else {
            IntentId::parse(raw).map(Label::Intent)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Label::Intent(id) => id.as_str(),
            Label::NotOurs => NONE_LABEL,
        }
    }

    /// The file its example goes to, relative to the knowledge base.
    pub fn file(&self) -> String {
        format!("intents/{}.toml", self.as_str())
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a typed name came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Found(Label),
    /// No intent by that name; the closest ones, best first.
    Unknown {
        closest: Vec<IntentId>,
    },
}

/// How alike a typed name and an id must be to be suggested.
const SUGGEST: f64 = 0.75;

/// Finds what staff typed: an id ("status-paused"), `none`, or a title
/// ("Paused"), ignoring case and surrounding space; anything else gets the
/// closest ids as suggestions.
pub fn resolve(kb: &Kb, typed: &str) -> Resolved {
    let wanted = typed.trim().to_lowercase();
    if wanted == NONE_LABEL || wanted == "not ours" {
        return Resolved::Found(Label::NotOurs);
    }
    if let Some(intent) = kb
        .intents()
        .iter()
        .find(|i| i.id.as_str() == wanted || i.title.to_lowercase() == wanted)
    {
        return Resolved::Found(Label::Intent(intent.id.clone()));
    }
    let mut scored: Vec<(f64, &IntentId)> = kb
        .intents()
        .iter()
        .map(|i| {
            let by_id = strsim::jaro_winkler(&wanted, i.id.as_str());
            let by_title = strsim::jaro_winkler(&wanted, &i.title.to_lowercase());
            (by_id.max(by_title), &i.id)
        })
        .filter(|(score, _)| *score >= SUGGEST)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    Resolved::Unknown {
        closest: scored
            .into_iter()
            .take(3)
            .map(|(_, id)| id.clone())
            .collect(),
    }
}

/// The intents whose id or title contains what was typed so far, for a
/// command's autocomplete: `none` first when it fits, at most `limit`.
pub fn complete(kb: &Kb, typed: &str, limit: usize) -> Vec<(String, String)> {
    let wanted = typed.trim().to_lowercase();
    let mut out = Vec::new();
    if NONE_LABEL.contains(&wanted) || "not ours".contains(&wanted) {
        out.push(("not ours (none)".to_string(), NONE_LABEL.to_string()));
    }
    out.extend(
        kb.intents()
            .iter()
            .filter(|i| i.id.as_str().contains(&wanted) || i.title.to_lowercase().contains(&wanted))
            .map(|i| (format!("{} ({})", i.title, i.id), i.id.to_string())),
    );
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_by_id_title_or_none_and_suggest_otherwise() {
        let kb = crate::kb::fixture::kb();
        let paused = IntentId::parse("status-paused").expect("id");
        let title = kb.get(&paused).expect("intent").title.clone();
        for typed in ["status-paused", " STATUS-PAUSED ", title.as_str()] {
            assert_eq!(
                resolve(&kb, typed),
                Resolved::Found(Label::Intent(paused.clone())),
                "{typed:?}"
            );
        }
        assert_eq!(resolve(&kb, "none"), Resolved::Found(Label::NotOurs));
        assert_eq!(resolve(&kb, "Not ours"), Resolved::Found(Label::NotOurs));
        match resolve(&kb, "status-pasued") {
            Resolved::Unknown { closest } => assert_eq!(closest.first(), Some(&paused)),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            resolve(&kb, "qqqqqqqq"),
            Resolved::Unknown { closest: vec![] }
        );
    }

    #[test]
    fn labels_round_trip_and_name_their_file() {
        for raw in ["none", "status-paused"] {
            let label = Label::parse(raw).expect("parses");
            assert_eq!(label.as_str(), raw);
        }
        assert_eq!(Label::NotOurs.file(), "intents/none.toml");
        assert_eq!(Label::parse("../etc/passwd"), None);
        assert_eq!(Label::parse("Status-Paused"), None);
    }

    #[test]
    fn completion_offers_matching_intents() {
        let kb = crate::kb::fixture::kb();
        let got = complete(&kb, "paus", 25);
        assert!(got.iter().any(|(_, v)| v == "status-paused"), "{got:?}");
        assert!(got.iter().all(|(_, v)| v != "none"));
        assert_eq!(complete(&kb, "", 25).len(), 25);
        assert_eq!(
            complete(&kb, "no", 25).first().map(|(_, v)| v.as_str()),
            Some("none")
        );
    }
}
