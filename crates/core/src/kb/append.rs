//! Adds an example to an intent file's text, keeping every other byte.
//!
//! A label from the review queue becomes a line in `intents/<id>.toml`, a
//! file people also edit by hand: the author's order, comments and layout
//! must survive, so the new line goes in as text, just before the
//! `examples` array closes, with a comment saying where it came from. The
//! result is parsed back and must hold exactly the old examples plus the
//! new one, or the edit is refused.

use serde::Deserialize;
use toml::Spanned;

/// Why an example could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    #[error("the file is not valid TOML: {0}")]
    Unreadable(String),
    #[error("the example has no words")]
    Empty,
    #[error("the edited file did not read back as the old examples plus the new one")]
    Garbled,
}

#[derive(Deserialize)]
struct Examples {
    #[serde(default)]
    examples: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `text` with `example` appended to its `examples` array, preceded by a
/// `# comment` line (one line; line breaks in it become spaces). A file
/// without the array gets one at its end.
pub fn append_example(text: &str, example: &str, comment: &str) -> Result<String, AppendError> {
    let example = one_line(example);
    if example.trim().is_empty() {
        return Err(AppendError::Empty);
    }
    let comment = one_line(comment);
    let before = read(text)?;
    let quoted = quote(example.trim());
    // A file written on Windows keeps its line endings.
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let edited = match &before {
        Some(array) => insert(text, array, &comment, &quoted, nl),
        None => {
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(nl);
            }
            out.push_str(&format!(
                "examples = [{nl}  # {comment}{nl}  {quoted},{nl}]{nl}"
            ));
            out
        }
    };
    let after = read(&edited).map_err(|_| AppendError::Garbled)?;
    let old: Vec<&str> = before
        .as_ref()
        .map(|a| a.get_ref().iter().map(|s| s.get_ref().as_str()).collect())
        .unwrap_or_default();
    let new: Vec<&str> = after
        .as_ref()
        .map(|a| a.get_ref().iter().map(|s| s.get_ref().as_str()).collect())
        .unwrap_or_default();
    let expected: Vec<&str> = old.iter().copied().chain([example.trim()]).collect();
    if new != expected {
        return Err(AppendError::Garbled);
    }
    Ok(edited)
}

/// Whether the file's examples already hold `example`, as the matcher
/// reads it (case, punctuation and numbers aside): adding it again would
/// only repeat it.
pub fn has_example(text: &str, example: &str) -> bool {
    let wanted = crate::text::normalize(example);
    read(text).ok().flatten().is_some_and(|array| {
        array
            .get_ref()
            .iter()
            .any(|e| crate::text::normalize(e.get_ref()) == wanted)
    })
}

type Array = Spanned<Vec<Spanned<String>>>;

fn read(text: &str) -> Result<Option<Array>, AppendError> {
    toml::from_str::<Examples>(text)
        .map(|e| e.examples)
        .map_err(|err| AppendError::Unreadable(err.message().trim().to_string()))
}

/// Inserts before the array's closing bracket, adding the comma the last
/// element may lack.
fn insert(text: &str, array: &Array, comment: &str, quoted: &str, nl: &str) -> String {
    let close = array.span().end.saturating_sub(1);
    let indent = array.get_ref().last().map_or_else(
        || "  ".to_string(),
        |last| indent_of(text, last.span().start),
    );
    let mut out = String::with_capacity(text.len() + quoted.len() + comment.len() + 16);
    let mut from = 0;
    if let Some(last) = array.get_ref().last() {
        let end = last.span().end;
        if !comma_follows(&text[end..close]) {
            out.push_str(&text[..end]);
            out.push(',');
            from = end;
        }
    }
    // The new lines go at the start of the closing bracket's line when it
    // stands alone there, else just before it on a line of their own.
    let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
    let bracket_alone = text[line_start..close].trim().is_empty() && line_start > from;
    let at = if bracket_alone { line_start } else { close };
    out.push_str(&text[from..at]);
    if !bracket_alone {
        out.push_str(nl);
    }
    out.push_str(&format!("{indent}# {comment}{nl}{indent}{quoted},{nl}"));
    out.push_str(&text[at..]);
    out
}

/// Whether the text between the last element and the closing bracket holds
/// the separating comma (comments skipped).
fn comma_follows(between: &str) -> bool {
    for line in between.split('\n') {
        let code = line.split('#').next().unwrap_or_default();
        if code.contains(',') {
            return true;
        }
    }
    false
}

fn indent_of(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..at];
    if lead.trim().is_empty() {
        lead.to_string()
    } else {
        "  ".to_string()
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "reviewed 2026-12-05: something_else";

    #[test]
    fn appends_inside_the_array_and_keeps_the_rest() {
        for (before, after) in [
            (
                "id = \"x\"\nexamples = [\n  \"one\",\n  \"two\",\n]\n",
                "id = \"x\"\nexamples = [\n  \"one\",\n  \"two\",\n  # reviewed 2026-12-05: something_else\n  \"new one\",\n]\n",
            ),
            (
                "examples = [\n    \"one\",\n    \"two\"\n]\n# tail\n",
                "examples = [\n    \"one\",\n    \"two\",\n    # reviewed 2026-12-05: something_else\n    \"new one\",\n]\n# tail\n",
            ),
            (
                "examples = [\"one\", \"two\"]\n",
                "examples = [\"one\", \"two\",\n  # reviewed 2026-12-05: something_else\n  \"new one\",\n]\n",
            ),
            (
                "examples = [\n  \"one\" # a comment, with a comma\n]\n",
                "examples = [\n  \"one\", # a comment, with a comma\n  # reviewed 2026-12-05: something_else\n  \"new one\",\n]\n",
            ),
            (
                "examples = []\n",
                "examples = [\n  # reviewed 2026-12-05: something_else\n  \"new one\",\n]\n",
            ),
            (
                "id = \"x\"",
                "id = \"x\"\nexamples = [\n  # reviewed 2026-12-05: something_else\n  \"new one\",\n]\n",
            ),
        ] {
            let got = append_example(before, "new one", NOTE);
            assert_eq!(got.as_deref(), Ok(after), "from {before:?}");
        }
    }

    #[test]
    fn a_windows_file_keeps_its_line_endings() {
        let before = "id = \"x\"\r\nexamples = [\r\n  \"one\",\r\n]\r\n";
        let got = append_example(before, "two", NOTE).expect("appends");
        assert_eq!(
            got,
            "id = \"x\"\r\nexamples = [\r\n  \"one\",\r\n  # reviewed 2026-12-05: something_else\r\n  \"two\",\r\n]\r\n"
        );
    }

    #[test]
    fn hostile_text_stays_one_string() {
        let text = "examples = [\n  \"one\",\n]\n";
        for example in [
            "say \"hi\" \\ there",
            "line one\nline two",
            "\"]\nid = \"other\"\n#",
            "@everyone ```code``` <@123>",
            "emoji 📷 and zalgo z̷̢a̶l̴g̸o",
        ] {
            let got = append_example(text, example, "x\ny").expect("appends");
            let parsed: toml::Value = toml::from_str(&got).expect("valid TOML");
            let list = parsed["examples"].as_array().expect("array");
            assert_eq!(list.len(), 2, "{got}");
            assert_eq!(
                list[1].as_str(),
                Some(one_line(example).trim()),
                "{example:?}"
            );
            assert!(got.contains("# x y\n"), "the comment stays one line: {got}");
        }
    }

    #[test]
    fn finds_an_example_it_already_has() {
        let text = "examples = [\n  \"Photos says PAUSED!\",\n]\n";
        assert!(has_example(text, "photos says paused"));
        assert!(!has_example(text, "photos says uploading"));
        assert!(!has_example("id = \"x\"\n", "photos says paused"));
    }

    #[test]
    fn refuses_what_it_cannot_do_cleanly() {
        assert_eq!(
            append_example("examples = [\n", "x", NOTE)
                .map_err(|e| matches!(e, AppendError::Unreadable(_))),
            Err(true)
        );
        assert_eq!(
            append_example("examples = []\n", " \n ", NOTE),
            Err(AppendError::Empty)
        );
    }
}
