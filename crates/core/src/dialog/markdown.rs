//! Markdown helpers: user text made inert, knowledge-base text sent as
//! written, and both cut to fit.

/// User text made inert inside the bot's own Markdown: every character
/// Discord gives a meaning (emphasis, code, quotes, headings, lists, masked
/// links, spoilers, mentions) is escaped with a backslash, which Discord
/// shows as the character itself, and `@everyone`/`@here` are broken with
/// a zero-width space. A user's `**Claimed by**` then reads as typed, and
/// an unclosed fence cannot swallow the rest of a staff post.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        // Inline text: no line of its own, whatever the line break.
        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}') {
            out.push(' ');
            continue;
        }
        if "\\*_~|`><#-+[]():".contains(c) {
            out.push('\\');
        }
        out.push(c);
        if c == '@' {
            out.push('\u{200b}');
        }
    }
    out
}

/// At most `max` characters of whole lines, then "…" on a line of its own:
/// for text with Markdown on each line, where a cut inside a line could
/// leave a `**` open to pair with whatever comes after.
pub fn clip_lines(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for line in text.lines() {
        let len = line.chars().count() + 1;
        if used + len + 1 > max {
            break;
        }
        out.push_str(line);
        out.push('\n');
        used += len;
    }
    out.push('…');
    out
}

/// At most `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Knowledge-base Markdown as it goes out: trusted, so nothing is
/// escaped, but each masked link's address is wrapped in `<…>`, which
/// keeps Discord from adding a preview card of the page under the answer.
pub fn no_previews(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let bare = after.starts_with("http")
            && after
                .find(')')
                .is_some_and(|end| !after[..end].contains(char::is_whitespace));
        match after.find(')') {
            Some(end) if bare => {
                out.push('<');
                out.push_str(&after[..end]);
                out.push('>');
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Masked links reduced to their words, for places that show a step
/// cut short or as plain text (the case summary, the form): a cut must
/// not leave half a link.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let label_and_link = &rest[open + 1..];
        let parsed = label_and_link.find("](").and_then(|close| {
            let label = &label_and_link[..close];
            let after = &label_and_link[close + 2..];
            let end = after.find(')')?;
            (!label.contains('[')).then_some((label, &after[end + 1..]))
        });
        match parsed {
            Some((label, after)) => {
                out.push_str(&rest[..open]);
                out.push_str(label);
                rest = after;
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = label_and_link;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_markdown_is_shown_as_typed() {
        let table = [
            (
                "[click](https://evil.example)",
                "\\[click\\]\\(https\\://evil.example\\)",
            ),
            ("**Claimed by** x", "\\*\\*Claimed by\\*\\* x"),
            ("```rust", "\\`\\`\\`rust"),
            ("<@&123> <#9>", "\\<@\u{200b}&123\\> \\<\\#9\\>"),
            ("@everyone", "@\u{200b}everyone"),
            ("# big", "\\# big"),
            ("a\\*b", "a\\\\\\*b"),
            ("plain words, 57 items.", "plain words, 57 items."),
            ("a\r\n+ b\u{2028}c", "a  \\+ b c"),
        ];
        for (typed, escaped) in table {
            assert_eq!(escape_markdown(typed), escaped, "{typed}");
        }
    }

    #[test]
    fn knowledge_base_links_survive_without_previews() {
        let table = [
            (
                "Open [System Status](https://www.apple.com/support/systemstatus/).",
                "Open [System Status](<https://www.apple.com/support/systemstatus/>).",
            ),
            (
                "Already [quiet](<https://a.example>)",
                "Already [quiet](<https://a.example>)",
            ),
            (
                "**Settings > [your name] > iCloud**",
                "**Settings > [your name] > iCloud**",
            ),
            (
                "[a](https://a.example) [b](https://b.example)",
                "[a](<https://a.example>) [b](<https://b.example>)",
            ),
        ];
        for (kb, sent) in table {
            assert_eq!(no_previews(kb), sent, "{kb}");
        }
    }

    #[test]
    fn plain_text_keeps_a_links_words() {
        let table = [
            (
                "Open [System Status](https://x.example/s) first.",
                "Open System Status first.",
            ),
            (
                "**Settings > [your name] > iCloud**",
                "**Settings > [your name] > iCloud**",
            ),
            ("[a](<https://a.example>) and [b](https://b)", "a and b"),
            ("an [unclosed link", "an [unclosed link"),
        ];
        for (text, expected) in table {
            assert_eq!(plain(text), expected, "{text}");
        }
    }

    #[test]
    fn clipping_by_lines_keeps_each_line_whole() {
        let text = "**A:** one\n**B:** two\n**C:** three";
        assert_eq!(clip_lines(text, 100), text);
        assert_eq!(clip_lines(text, 25), "**A:** one\n**B:** two\n…");
        assert_eq!(clip_lines(text, 5), "…");
        assert!(clip_lines(text, 25).chars().count() <= 25);
    }
}
