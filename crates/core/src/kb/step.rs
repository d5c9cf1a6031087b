//! One numbered step of a response and the markers an author puts on it:
//! how much it costs the user (`{wait}`, `{risk: …}`) and which risky
//! steps it makes safe (`{gate: …}`).
//!
//! Markers sit at the end of the numbered line, in braces, so a response
//! stays plain Markdown that staff edit in any text editor; the parser
//! takes them off before anyone sees the step.

use std::fmt;

/// What a risky step can cost. Each kind has its own gate, the check that
/// must come first, because each loses photos in its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    /// Removes items from the library, and so from every device.
    Deletes,
    /// Signs a device out of iCloud: its iCloud copies leave the device.
    SignsOut,
    /// Turns iCloud Photos off on a device: what has not uploaded yet, or
    /// exists only as a download on that device, is at stake.
    TurnsOffSync,
    /// Nothing brings it back (emptying Recently Deleted, erasing).
    Permanent,
}

impl Risk {
    pub const ALL: [Risk; 4] = [
        Risk::Deletes,
        Risk::SignsOut,
        Risk::TurnsOffSync,
        Risk::Permanent,
    ];

    /// The word used in a marker: `{risk: signs-out}`.
    pub fn slug(self) -> &'static str {
        match self {
            Risk::Deletes => "deletes",
            Risk::SignsOut => "signs-out",
            Risk::TurnsOffSync => "turns-off-sync",
            Risk::Permanent => "permanent",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Risk> {
        Risk::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// The warning the user sees above the step: what is at stake, in
    /// words that stop a skimming reader.
    pub fn warning(self) -> &'static str {
        match self {
            Risk::Deletes => "This deletes photos.",
            Risk::SignsOut => "This signs the device out of iCloud.",
            Risk::TurnsOffSync => "This turns iCloud Photos off on this device.",
            Risk::Permanent => "Can't be undone.",
        }
    }

    /// What the gate for this kind has to establish, for messages that
    /// tell an author what is missing.
    pub fn gate(self) -> &'static str {
        match self {
            Risk::Deletes => "a copy of the items is saved and opens",
            Risk::SignsOut => "Photos shows nothing waiting or uploading",
            Risk::TurnsOffSync => "iCloud.com has the items (on Windows: local copies saved first)",
            Risk::Permanent => "the part that can't be undone is named",
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Where a step belongs in the order every response keeps: quick and safe
/// first, then the ones that ask the user to wait, then the risky ones. A
/// step is exactly one of these, so "a risky wait" cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pace {
    Quick,
    Wait,
    Risky(Risk),
}

impl Pace {
    pub fn risk(self) -> Option<Risk> {
        match self {
            Pace::Risky(risk) => Some(risk),
            Pace::Quick | Pace::Wait => None,
        }
    }

    /// How an order problem names a step.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Pace::Quick => "a quick step",
            Pace::Wait => "a wait",
            Pace::Risky(_) => "a risky step",
        }
    }
}

/// One "Next step", as the user reads it, with what the check needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Discord Markdown, markers removed.
    pub text: String,
    /// The numbered line in the response file.
    pub line: usize,
    pub pace: Pace,
    /// The risky kinds this step is the gate for.
    pub gates: Vec<Risk>,
}

impl Step {
    pub fn risk(&self) -> Option<Risk> {
        self.pace.risk()
    }

    pub fn is_gate_for(&self, risk: Risk) -> bool {
        self.gates.contains(&risk)
    }
}

/// Why the markers on a line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    #[error("unknown marker {{{0}}}: use {{wait}}, {{risk: KIND}} or {{gate: KIND}}")]
    Unknown(String),
    #[error("unknown risk {0:?}: use deletes, signs-out, turns-off-sync or permanent")]
    UnknownRisk(String),
    #[error("a step is one of quick, {{wait}} or {{risk: …}}; this one says {0} and {1}")]
    TwoPaces(&'static str, &'static str),
    #[error("a step cannot be the gate for its own risk ({0}); the gate comes before it")]
    GatesItself(Risk),
    #[error("markers go at the end of the numbered line, not on a continuation line")]
    OnContinuation,
}

/// The markers of one numbered line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marked<'a> {
    pub text: &'a str,
    pub pace: Pace,
    pub gates: Vec<Risk>,
}

/// Splits trailing `{…}` markers off a numbered line. Text in braces that
/// is not at the end of the line is the author's own and left alone.
pub(crate) fn split_markers(line: &str) -> Result<Marked<'_>, MarkerError> {
    let mut text = line.trim_end();
    let mut raw = Vec::new();
    while let Some(body) = text.strip_suffix('}') {
        let Some(open) = body.rfind('{') else {
            break;
        };
        raw.push(body[open + 1..].trim());
        text = body[..open].trim_end();
    }
    raw.reverse();
    let mut pace = Pace::Quick;
    let mut gates = Vec::new();
    for marker in raw {
        let (key, value) = match marker.split_once(':') {
            Some((key, value)) => (key.trim(), Some(value)),
            None => (marker, None),
        };
        let next = match (key, value) {
            ("wait", None) => Pace::Wait,
            ("risk", Some(value)) => Pace::Risky(risk(value.trim())?),
            ("gate", Some(value)) => {
                for kind in value.split(',') {
                    let kind = risk(kind.trim())?;
                    if !gates.contains(&kind) {
                        gates.push(kind);
                    }
                }
                continue;
            }
            _ => return Err(MarkerError::Unknown(marker.to_string())),
        };
        if pace != Pace::Quick {
            return Err(MarkerError::TwoPaces(pace.describe(), next.describe()));
        }
        pace = next;
    }
    if let Some(risk) = pace.risk().filter(|r| gates.contains(r)) {
        return Err(MarkerError::GatesItself(risk));
    }
    Ok(Marked { text, pace, gates })
}

/// True when a continuation line ends in something that reads as a
/// marker: the author meant it for the step, and it would be shown.
pub(crate) fn has_marker(line: &str) -> bool {
    split_markers(line).is_ok_and(|m| m.pace != Pace::Quick || !m.gates.is_empty())
}

fn risk(slug: &str) -> Result<Risk, MarkerError> {
    Risk::from_slug(slug).ok_or_else(|| MarkerError::UnknownRisk(slug.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_off_the_end_of_the_line() {
        use Pace::*;
        let table: &[(&str, &str, Pace, &[Risk])] = &[
            ("Restart it.", "Restart it.", Quick, &[]),
            (
                "Leave it overnight. {wait}",
                "Leave it overnight.",
                Wait,
                &[],
            ),
            (
                "Sign out. {risk: signs-out}",
                "Sign out.",
                Risky(Risk::SignsOut),
                &[],
            ),
            (
                "Check iCloud.com. {gate: turns-off-sync, signs-out}",
                "Check iCloud.com.",
                Quick,
                &[Risk::TurnsOffSync, Risk::SignsOut],
            ),
            (
                "Wait for the count. {wait} {gate: signs-out}",
                "Wait for the count.",
                Wait,
                &[Risk::SignsOut],
            ),
            (
                "Type {name} in the box.",
                "Type {name} in the box.",
                Quick,
                &[],
            ),
        ];
        for (line, text, pace, gates) in table {
            let marked = split_markers(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(
                (marked.text, marked.pace, marked.gates.as_slice()),
                (*text, *pace, *gates),
                "{line}"
            );
        }
    }

    #[test]
    fn bad_markers_say_what_is_wrong() {
        let table = [
            (
                "Do it. {danger}",
                MarkerError::Unknown("danger".to_string()),
            ),
            (
                "Do it. {risk: explodes}",
                MarkerError::UnknownRisk("explodes".to_string()),
            ),
            (
                "Do it. {wait} {risk: deletes}",
                MarkerError::TwoPaces("a wait", "a risky step"),
            ),
            (
                "Do it. {risk: deletes} {gate: deletes}",
                MarkerError::GatesItself(Risk::Deletes),
            ),
        ];
        for (line, error) in table {
            assert_eq!(split_markers(line), Err(error), "{line}");
        }
    }

    #[test]
    fn every_risk_round_trips_its_slug() {
        for risk in Risk::ALL {
            assert_eq!(Risk::from_slug(risk.slug()), Some(risk));
        }
    }
}
