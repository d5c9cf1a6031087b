//! The one codec for component ids. Every button and select the bot posts
//! carries an id made here, and every press is parsed here, strictly: an id
//! from another bot, an older version or a forger becomes `Err`, never a
//! panic or a guess.

use std::fmt;

/// Version prefix: bump it when the format changes, so that old buttons are
/// recognised as old rather than misread.
const PREFIX: &str = "sm1";
/// Discord's limit on a component id.
pub const MAX_LEN: usize = 100;

/// What a component does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NextStep,
    FixedIt,
    ShowAll,
    TalkToPerson,
    /// A select menu of devices; the value is a device slug.
    Device,
    /// A "Did you mean…" select; the value is an intent id or `SOMETHING_ELSE`.
    Pick,
    /// The hand-over form (a modal), for the conversation at this turn.
    Form,
    /// The same form opened with "Something else": none of the readings
    /// offered fit, which the ticket and the review queue are told.
    FormElse,
    /// Staff take a ticket; the number is the ticket's.
    Claim,
    /// Staff close a ticket; the number is the ticket's.
    Resolve,
    /// A review item's select (staff); the number is the item's, the
    /// value an intent id, `none`, `REVIEW_OTHER` or `REVIEW_SKIP`.
    Review,
    /// The form that names another intent for a review item.
    ReviewForm,
    /// "Relabel" on a ticket post: its case into the review; the number
    /// is the ticket's.
    Relabel,
}

impl Action {
    /// Every action, for the parser and for tests that try them all.
    pub const ALL: [Action; 13] = [
        Action::NextStep,
        Action::FixedIt,
        Action::ShowAll,
        Action::TalkToPerson,
        Action::Device,
        Action::Pick,
        Action::Form,
        Action::FormElse,
        Action::Claim,
        Action::Resolve,
        Action::Review,
        Action::ReviewForm,
        Action::Relabel,
    ];

    fn word(self) -> &'static str {
        match self {
            Action::NextStep => "next",
            Action::FixedIt => "fixed",
            Action::ShowAll => "all",
            Action::TalkToPerson => "person",
            Action::Device => "device",
            Action::Pick => "pick",
            Action::Form => "form",
            Action::FormElse => "formelse",
            Action::Claim => "claim",
            Action::Resolve => "resolve",
            Action::Review => "review",
            Action::ReviewForm => "reviewform",
            Action::Relabel => "relabel",
        }
    }
}

/// The value of the "Something else" option in a "Did you mean…" select.
pub const SOMETHING_ELSE: &str = "something-else";
/// A review select's "Another intent…": not an intent id (no id has `~`).
pub const REVIEW_OTHER: &str = "~other";
/// A review select's "Skip".
pub const REVIEW_SKIP: &str = "~skip";

/// A component id: the action and a number. For a conversation's controls
/// the number is the turn the message was drawn at, so a press on an
/// outdated message is recognised as such; for Claim and Resolve it is the
/// ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentId {
    pub action: Action,
    pub turn: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not a syncmedic component id")]
    Foreign,
    #[error("a component id from another version of syncmedic")]
    OtherVersion,
    #[error("a malformed syncmedic component id")]
    Malformed,
}

impl ComponentId {
    pub fn new(action: Action, turn: u32) -> ComponentId {
        ComponentId { action, turn }
    }

    pub fn parse(raw: &str) -> Result<ComponentId, ParseError> {
        if raw.len() > MAX_LEN {
            return Err(ParseError::Malformed);
        }
        let mut parts = raw.split(':');
        let prefix = parts.next().unwrap_or_default();
        if prefix != PREFIX {
            return Err(
                if prefix.starts_with("sm") && prefix[2..].bytes().all(|b| b.is_ascii_digit()) {
                    ParseError::OtherVersion
                } else {
                    ParseError::Foreign
                },
            );
        }
        let (Some(word), Some(turn), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(ParseError::Malformed);
        };
        let action = Action::ALL
            .into_iter()
            .find(|a| a.word() == word)
            .ok_or(ParseError::Malformed)?;
        // Digits only: `u32::from_str` would also take a leading '+'. No
        // leading zero either: the bot never writes one, so "007" is not
        // one of its ids, and each id has exactly one spelling.
        if turn.is_empty()
            || turn.len() > 10
            || !turn.bytes().all(|b| b.is_ascii_digit())
            || (turn.len() > 1 && turn.starts_with('0'))
        {
            return Err(ParseError::Malformed);
        }
        let turn = turn.parse().map_err(|_| ParseError::Malformed)?;
        Ok(ComponentId { action, turn })
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}:{}:{}", self.action.word(), self.turn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_within_discords_limit() {
        for action in Action::ALL {
            for turn in [0, 1, 42, u32::MAX] {
                let id = ComponentId::new(action, turn);
                let text = id.to_string();
                assert!(text.len() <= MAX_LEN);
                assert_eq!(ComponentId::parse(&text), Ok(id));
            }
        }
    }

    #[test]
    fn foreign_old_and_forged_ids_are_errors() {
        use ParseError::*;
        for (raw, expected) in [
            ("", Foreign),
            ("next", Foreign),
            ("other-bot:button", Foreign),
            ("sm0:next:1", OtherVersion),
            ("sm2:next:1", OtherVersion),
            ("sm1", Malformed),
            ("sm1:next", Malformed),
            ("sm1:next:", Malformed),
            ("sm1:next:1:2", Malformed),
            ("sm1:NEXT:1", Malformed),
            ("sm1:delete:1", Malformed),
            ("sm1:next:-1", Malformed),
            ("sm1:next:+1", Malformed),
            ("sm1:next:4294967296", Malformed),
            ("sm1:next:1 ", Malformed),
            ("sm1:next:007", Malformed),
            ("sm1:next:00", Malformed),
            ("sm1:next:١", Malformed),
        ] {
            assert_eq!(ComponentId::parse(raw), Err(expected), "{raw:?}");
        }
        assert_eq!(
            ComponentId::parse(&format!("sm1:next:{}", "9".repeat(200))),
            Err(Malformed)
        );
    }
}
