//! Intent ids: the stable names that eval sets, buttons and statistics use.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// An intent id such as `status-paused`. Cheap to clone: ids travel through
/// every reply, button and statistic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IntentId(Arc<str>);

/// The label eval files use for messages that must not be answered.
pub const NONE_LABEL: &str = "none";

impl IntentId {
    /// Accepts lowercase ASCII words joined by single hyphens, the shape the
    /// taxonomy uses, so an id is always safe inside a button id or a file
    /// name.
    pub fn parse(raw: &str) -> Option<IntentId> {
        let well_formed = !raw.is_empty()
            && raw.len() <= 48
            && raw.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        well_formed.then(|| IntentId(Arc::from(raw)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IntentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for IntentId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IntentId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        IntentId::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("malformed intent id {raw:?}")))
    }
}

/// The ids the taxonomy promises (`shared/taxonomy.md`). The knowledge base
/// must define each of them; it may add more.
pub const TAXONOMY: &[&str] = &[
    "sync-not-working",
    "photo-missing-other-device",
    "status-waiting-to-upload",
    "status-paused",
    "status-cellular",
    "status-poor-network",
    "status-sync-complete",
    "status-updating",
    "status-syncing",
    "status-uploading",
    "status-cant-upload",
    "status-optimizing",
    "incomplete-items-dialog",
    "upload-stuck",
    "storage-full",
    "blurry-thumbnails",
    "enable-iphone",
    "enable-mac",
    "enable-windows",
    "windows-problems",
    "apple-outage",
    "network-problems",
    "low-power-mode",
    "reset-sync",
    "shared-albums",
    "hidden-or-deleted",
    "large-files",
    "edits-not-syncing",
    "finder-sync-conflict",
    "repair-library",
    "photo-analysis",
    "date-time",
    "sign-out-question",
    "mac-large-library",
    "new-device-migration",
    "deleted-to-force-sync",
    "third-party-cleaner",
    "security-privacy",
    "apple-id-mismatch",
    "prevent-problems",
    "contact-apple",
    "escalate-human",
];

/// The intent whose answer is a hand-over to a person rather than steps.
pub const ESCALATE: &str = "escalate-human";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_taxonomy_ids() {
        for id in TAXONOMY {
            assert_eq!(
                IntentId::parse(id).map(|i| i.to_string()),
                Some(id.to_string())
            );
        }
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "",
            "Status",
            "a--b",
            "-a",
            "a-",
            "a b",
            "ü",
            "a:b",
            &"x".repeat(49),
        ] {
            assert!(IntentId::parse(bad).is_none(), "{bad:?}");
        }
    }
}
