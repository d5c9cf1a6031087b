//! `intents/<id>.toml`: what users say for one intent.

use super::device::Device;
use super::error::{Lines, Problems, line_of};
use super::id::IntentId;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The file as written: every string keeps its span so later checks
/// (duplicates, lengths) can name the line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntent {
    id: Spanned<String>,
    title: Spanned<String>,
    response: Option<Spanned<String>>,
    #[serde(default)]
    statuses: Vec<Spanned<String>>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
    #[serde(default)]
    over_when: Vec<Spanned<String>>,
    #[serde(default)]
    devices: Vec<Spanned<String>>,
    #[serde(default)]
    domain: Vec<Spanned<String>>,
    #[serde(default)]
    tools: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<Spanned<String>>,
}

/// A string from the file and the line it stands on.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub line: usize,
}

/// An intent file that parsed; cross-file checks happen in `validate`.
#[derive(Debug, Clone)]
pub struct IntentFile {
    pub id: IntentId,
    pub id_line: usize,
    pub title: Located,
    pub response: Located,
    pub statuses: Vec<Located>,
    pub keywords: Vec<Located>,
    pub related: Vec<Located>,
    /// Intents whose status, told in this intent's case, means the case
    /// is over ("Uploading 212 Items" after "Paused").
    pub over_when: Vec<Located>,
    /// The device families the intent is about; empty for any.
    pub devices: Vec<Device>,
    /// Only in the `none` file: words that place a message in the domain.
    pub domain: Vec<Located>,
    /// Only in the `none` file: third-party tools whose name makes a
    /// message theirs.
    pub tools: Vec<Located>,
    pub examples: Vec<Located>,
}

/// Longest title: a Discord thread name and a select-menu label hold 100.
pub const MAX_TITLE: usize = 90;
/// Real questions ramble over several sentences, so an example may too; a
/// whole page pasted in is a mistake, and this is where it is caught.
pub const MAX_EXAMPLE: usize = 1_000;

pub(crate) fn parse(path: &Path, text: &str, problems: &mut Problems) -> Option<IntentFile> {
    let raw: RawIntent = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let line = err.span().map_or(0, |s| line_of(text, s.start));
            let mut message = err.message().trim().to_string();
            if message.is_empty() {
                // The parser says nothing about some characters (a control
                // character in a comment), and a bare "file:1:" tells the
                // author nothing either: name the character it stopped at.
                let found = err.span().and_then(|s| text.get(s.start..)?.chars().next());
                message = match found {
                    Some(c) => format!("not valid TOML: unexpected {c:?}"),
                    None => "not valid TOML".to_string(),
                };
            }
            problems.push(path, line, message);
            return None;
        }
    };
    let lines = Lines::new(text);
    let locate = |s: &Spanned<String>| Located {
        text: s.get_ref().trim().to_string(),
        line: lines.of(s.span().start),
    };
    let id_line = line_of(text, raw.id.span().start);
    let Some(id) = IntentId::parse(raw.id.get_ref()) else {
        problems.push(
            path,
            id_line,
            format!(
                "malformed id {:?}: use lowercase words joined by hyphens",
                raw.id.get_ref()
            ),
        );
        return None;
    };
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id.as_str() {
        problems.push(
            path,
            id_line,
            format!("id \"{id}\" does not match the file name \"{stem}\""),
        );
    }
    let title = locate(&raw.title);
    if title.text.is_empty() {
        problems.push(path, title.line, "empty title");
    } else if title.text.chars().count() > MAX_TITLE {
        problems.push(
            path,
            title.line,
            format!("title longer than {MAX_TITLE} characters"),
        );
    }
    let response = raw
        .response
        .as_ref()
        .map(&locate)
        .unwrap_or_else(|| Located {
            text: id.to_string(),
            line: id_line,
        });
    let list = |items: &[Spanned<String>], what: &str, problems: &mut Problems| -> Vec<Located> {
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter().map(&locate) {
            if item.text.is_empty() {
                problems.push(path, item.line, format!("empty {what}"));
            } else if item.text.chars().count() > MAX_EXAMPLE {
                problems.push(
                    path,
                    item.line,
                    format!("{what} longer than {MAX_EXAMPLE} characters"),
                );
            } else {
                out.push(item);
            }
        }
        out
    };
    let examples = list(&raw.examples, "example", problems);
    if examples.is_empty() {
        problems.push(
            path,
            id_line,
            "no examples: the matcher has nothing to learn from",
        );
    }
    let mut devices = Vec::new();
    for raw in &raw.devices {
        match Device::from_slug(raw.get_ref()) {
            Some(device) => devices.push(device),
            None => problems.push(
                path,
                line_of(text, raw.span().start),
                format!(
                    "unknown device {:?}: use iphone, mac or windows",
                    raw.get_ref()
                ),
            ),
        }
    }
    Some(IntentFile {
        devices,
        domain: list(&raw.domain, "domain word", problems),
        tools: list(&raw.tools, "tool", problems),
        statuses: list(&raw.statuses, "status", problems),
        keywords: list(&raw.keywords, "keyword", problems),
        related: list(&raw.related, "related id", problems),
        over_when: list(&raw.over_when, "over_when id", problems),
        examples,
        id,
        id_line,
        title,
        response,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Option<IntentFile>, Vec<String>) {
        let mut problems = Problems::default();
        let file = parse(Path::new("intents/x-y.toml"), text, &mut problems);
        (file, problems.0.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn reads_a_complete_file() {
        let (file, problems) = parse_str(
            "id = \"x-y\"\ntitle = \"X\"\nstatuses = [\"paused\"]\nexamples = [\n  \"one\",\n  \"two\",\n]\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let file = file.expect("parsed");
        assert_eq!(file.response.text, "x-y");
        assert_eq!(file.examples[1].line, 6);
        assert_eq!(file.statuses[0].text, "paused");
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let (_, problems) =
            parse_str("id = \"x-y\"\ntitle = \"X\"\nexamples = [\"a\",\n  oops\n]\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("intents/x-y.toml:4:"),
            "{problems:?}"
        );
    }

    /// Found by the property tests: an older TOML parser gave no message
    /// for a control character in a comment, and "file:2:" alone tells the
    /// author nothing.
    #[test]
    fn a_syntax_error_always_says_something() {
        let (_, problems) = parse_str("id = \"x-y\"\n#\0\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let said = problems[0]
            .strip_prefix("intents/x-y.toml:2: ")
            .unwrap_or_else(|| panic!("names the line: {problems:?}"));
        assert!(said.chars().any(char::is_alphabetic), "{problems:?}");
    }

    #[test]
    fn unknown_field_is_an_error() {
        let (_, problems) = parse_str("id = \"x-y\"\ntitle = \"X\"\nexampels = [\"a\"]\n");
        assert!(problems[0].contains("unknown field"), "{problems:?}");
    }

    #[test]
    fn empty_example_and_wrong_id_are_reported_with_lines() {
        let (_, problems) =
            parse_str("id = \"other\"\ntitle = \"X\"\nexamples = [\n \"\",\n \"ok\"]\n");
        assert_eq!(
            problems,
            vec![
                "intents/x-y.toml:1: id \"other\" does not match the file name \"x-y\"".to_string(),
                "intents/x-y.toml:4: empty example".to_string(),
            ]
        );
    }
}
