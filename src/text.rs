//! Text normalisation shared by the knowledge-base checks and the matcher.
//!
//! People paste statuses with counts, ellipses and curly quotes, type in
//! every case, and sometimes send zalgo or right-to-left text. Everything
//! downstream sees the same plain form: lowercase letters and digits, no
//! marks, numbers folded to `#`, one space between tokens.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Input beyond this many characters is ignored: a support question is never
/// that long, and the cap bounds the work one message can cause.
pub const MAX_INPUT_CHARS: usize = 4_096;
/// At most this many tokens are kept, for the same reason.
pub const MAX_TOKENS: usize = 256;

/// The token every number becomes, so "57 items" and "1,234 items" read alike.
pub const NUMBER: &str = "#";

/// Tokens that look like numbers but carry meaning of their own.
const KEEP_AS_WORD: &[&str] = &["4k", "8k", "5g", "4g", "3g", "2fa", "1080p", "720p"];

/// Pairs that people split or hyphenate ("wi-fi", "i cloud") joined again.
const JOIN: &[(&str, &str, &str)] = &[
    ("wi", "fi", "wifi"),
    ("i", "cloud", "icloud"),
    ("i", "phone", "iphone"),
    ("i", "pad", "ipad"),
    ("i", "mac", "imac"),
    ("mac", "book", "macbook"),
    ("mac", "os", "macos"),
    ("i", "os", "ios"),
    ("ipad", "os", "ipados"),
    ("low", "res", "lowres"),
    ("hi", "res", "hires"),
    ("re", "sync", "resync"),
    ("up", "load", "upload"),
];

/// Lowercase tokens of `input`, in order.
pub fn tokens(input: &str) -> Vec<String> {
    let chars = fold_chars(input);
    let mut raw: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = |i: usize| {
            i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        };
        if c.is_alphanumeric() {
            current.push(c);
        } else if (c == ',' || c == '.') && between_digits(i) {
            // "1,234" and "2.5" stay one number.
        } else if c == '\'' {
            // "won't" -> "wont": apostrophes join, as people often omit them.
        } else if !current.is_empty() {
            raw.push(std::mem::take(&mut current));
            if raw.len() >= MAX_TOKENS {
                break;
            }
        }
    }
    if !current.is_empty() && raw.len() < MAX_TOKENS {
        raw.push(current);
    }
    let mut out = Vec::with_capacity(raw.len());
    for token in raw {
        split_number(token, &mut out);
    }
    join_pairs(out)
}

/// The sentences of `input`, as written: split after `.`, `!`, `?` or `;`
/// followed by a space, and at line breaks. "2.5 GB" and "1,234 items…"
/// stay whole; a pasted status line ends its own sentence.
pub fn sentences(input: &str) -> impl Iterator<Item = &str> {
    let mut rest = input;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let mut end = rest.len();
            let mut next = rest.len();
            let mut chars = rest.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let after = chars.peek().map(|&(_, n)| n);
                let ends = match c {
                    '\n' | '\r' => true,
                    '.' | '!' | '?' | ';' | '…' => after.is_none_or(char::is_whitespace),
                    _ => false,
                };
                if ends {
                    end = i + c.len_utf8();
                    next = end;
                    break;
                }
            }
            let sentence = rest[..end].trim();
            rest = &rest[next..];
            if !sentence.is_empty() {
                return Some(sentence);
            }
        }
    })
}

/// The normalised text as one string, for comparing whole phrasings.
pub fn normalize(input: &str) -> String {
    tokens(input).join(" ")
}

/// NFKD, marks dropped, lowercase, typographic quotes made plain.
fn fold_chars(input: &str) -> Vec<char> {
    let capped = match input.char_indices().nth(MAX_INPUT_CHARS) {
        Some((end, _)) => &input[..end],
        None => input,
    };
    let mut out = Vec::with_capacity(capped.len());
    if capped.is_ascii() {
        // Most text is plain ASCII, which decomposition leaves alone.
        out.extend(capped.bytes().map(|b| match b {
            b'`' => '\'',
            other => char::from(other.to_ascii_lowercase()),
        }));
        return out;
    }
    for c in capped.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
            other => other,
        };
        out.extend(c.to_lowercase());
    }
    out
}

fn split_number(token: String, out: &mut Vec<String>) {
    // "Uploading xxxx items", "X photos to upload": a count written as a
    // placeholder is a count.
    if token.len() > 1 && token.bytes().all(|b| b == b'x') || token == "x" {
        out.push(NUMBER.to_string());
        return;
    }
    if !token.starts_with(|c: char| c.is_ascii_digit()) {
        // "iphone16" -> "iphone" "#": models and versions are noise here.
        let letters = token.trim_end_matches(|c: char| c.is_ascii_digit());
        if letters.len() < token.len()
            && !letters.is_empty()
            && !KEEP_AS_WORD.contains(&token.as_str())
        {
            out.push(letters.to_string());
            out.push(NUMBER.to_string());
        } else {
            out.push(token);
        }
        return;
    }
    if KEEP_AS_WORD.contains(&token.as_str()) {
        out.push(token);
        return;
    }
    let digits = token
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(token.len());
    out.push(NUMBER.to_string());
    let rest = &token[digits..];
    // "20k photos" is a count; "500gb" keeps its unit. The unit is a word
    // like any other, so "2x4" folds its 4 as "x4" alone would.
    if !rest.is_empty() && rest != "k" {
        split_number(rest.to_string(), out);
    }
}

fn join_pairs(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if let Some(prev) = out.last_mut()
            && let Some(&(_, _, joined)) = JOIN.iter().find(|(a, b, _)| prev == a && token == *b)
        {
            *prev = joined.to_string();
            continue;
        }
        out.push(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_quotes_and_ellipsis() {
        assert_eq!(
            normalize("Waiting to Upload 3 Items…"),
            "waiting to upload # items"
        );
        assert_eq!(
            normalize("stuck on \u{201c}Waiting To Upload\u{201d}"),
            "stuck on waiting to upload"
        );
        assert_eq!(normalize("it won\u{2019}t sync"), "it wont sync");
    }

    #[test]
    fn folds_numbers_with_separators() {
        assert_eq!(normalize("Uploading 1,234 Items"), "uploading # items");
        assert_eq!(normalize("12,403 items, 2.5 days"), "# items # days");
        assert_eq!(
            normalize("20k photos on a 500GB mac"),
            "# photos on a # gb mac"
        );
        assert_eq!(normalize("my 4K videos over 5G"), "my 4k videos over 5g");
        assert_eq!(normalize("new iPhone16 on iOS18"), "new iphone # on ios #");
        assert_eq!(normalize("0photos0 1x2"), "# photos # # x #");
        assert_eq!(
            normalize("Uploading xxxx items, X left"),
            "uploading # items # left"
        );
    }

    #[test]
    fn joins_split_words() {
        assert_eq!(
            normalize("Wi-Fi is fine, i-cloud is not"),
            "wifi is fine icloud is not"
        );
        assert_eq!(normalize("Mac Book on mac OS"), "macbook on macos");
    }

    #[test]
    fn strips_marks_and_zalgo() {
        assert_eq!(normalize("Pa\u{0301}\u{0316}\u{0334}used"), "paused");
        assert_eq!(normalize("Optimising Système"), "optimising systeme");
        assert_eq!(normalize("ＰＡＵＳＥＤ"), "paused");
    }

    #[test]
    fn punctuation_code_and_emoji_are_separators() {
        assert_eq!(normalize("```paused```"), "paused");
        assert_eq!(normalize("📷 syncing??? 🙃"), "syncing");
        assert_eq!(normalize("@everyone <@&123> hi"), "everyone # hi");
        assert_eq!(normalize("   \t\n"), "");
    }

    #[test]
    fn splits_sentences_but_not_numbers_or_statuses() {
        let got: Vec<&str> = sentences(
            "Hi all. Photos says Uploading 1,234 Items… for 2.5 days!! Any idea?\nthanks",
        )
        .collect();
        assert_eq!(
            got,
            vec![
                "Hi all.",
                "Photos says Uploading 1,234 Items…",
                "for 2.5 days!!",
                "Any idea?",
                "thanks"
            ]
        );
        assert_eq!(sentences("").count(), 0);
        assert_eq!(sentences(" .. \n\n").collect::<Vec<_>>(), vec![".."]);
    }

    #[test]
    fn bounded_on_huge_input() {
        let long = "waiting ".repeat(10_000);
        assert_eq!(tokens(&long).len(), MAX_TOKENS);
        let unbroken = "a".repeat(100_000);
        assert_eq!(tokens(&unbroken)[0].len(), MAX_INPUT_CHARS);
    }
}
