//! Text normalisation shared by the knowledge-base checks and the matcher.
//!
//! People paste statuses with counts, ellipses and curly quotes, type in
//! every case, and sometimes send zalgo or right-to-left text. Everything
//! downstream sees the same plain form: lowercase letters and digits, no
//! marks, numbers folded to `#`, one space between tokens.

use std::hash::BuildHasher;
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
    let folded = fold(input);
    let mut out = Vec::new();
    // One buffer for the token being read, each token then allocated once
    // at its size: most of tokenising was growing strings a letter at a
    // time.
    let mut current = String::new();
    let mut cut = 0;
    let mut prev = None;
    // Discord's pings, "@everyone", "@here" and "<@123>" / "<@&123>",
    // name who is pinged, not the problem ("@everyone help" is no outage).
    // A handle ("@AppleSupport") stays: it is text people wrote.
    let mut mention = false;
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if c == '@' && current.is_empty() && (prev == Some('<') || pings_all(&chars)) {
            mention = true;
        } else if (c == ',' || c == '.')
            && prev.is_some_and(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            // "1,234" and "2.5" stay one number.
        } else if c == '\'' {
            // "won't" -> "wont": apostrophes join, as people often omit them.
        } else if !current.is_empty() {
            if !std::mem::take(&mut mention) {
                split_number(&current, &mut out);
            }
            current.clear();
            cut += 1;
            if cut >= MAX_TOKENS {
                return out;
            }
        }
        prev = Some(c);
    }
    if !current.is_empty() && !mention {
        split_number(&current, &mut out);
    }
    out
}

/// Whether the text after an "@" is "everyone" or "here", as a word.
fn pings_all(rest: &std::iter::Peekable<std::str::Chars>) -> bool {
    let word: String = rest.clone().take_while(|c| c.is_alphanumeric()).collect();
    word == "everyone" || word == "here"
}

/// The tokens of each text and their fingerprint (a hash of the tokens),
/// in order. The fingerprint is taken while the tokens are fresh in the
/// cache: comparing a knowledge base's examples by their tokens later
/// walked some 100,000 scattered strings, a fifth of parsing it. One
/// thread: with the one allocator arena the bot runs with (`malloc`), two
/// threads making these strings contended for it and took longer than one.
pub fn tokens_of_each(texts: &[&str]) -> Vec<(Vec<String>, u64)> {
    texts
        .iter()
        .map(|text| {
            let tokens = tokens(text);
            let fingerprint = rustc_hash::FxBuildHasher.hash_one(&tokens);
            (tokens, fingerprint)
        })
        .collect()
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
fn fold(input: &str) -> String {
    let capped = match input.char_indices().nth(MAX_INPUT_CHARS) {
        Some((end, _)) => &input[..end],
        None => input,
    };
    let mut out = String::with_capacity(capped.len());
    for c in capped.chars() {
        if c.is_ascii() {
            // Most text is plain ASCII, which decomposition leaves alone:
            // a curly quote in a message no longer sends all of it through
            // the decomposer (a third of parsing the knowledge base).
            out.push(fold_ascii(c));
            continue;
        }
        // Decomposing one character at a time gives what decomposing the
        // whole text gives once the marks are dropped: the whole-text form
        // only reorders runs of marks.
        for c in std::iter::once(c).nfkd() {
            if is_combining_mark(c) {
                continue;
            }
            match c {
                '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{00b4}' => out.push('\''),
                c if c.is_ascii() => out.push(fold_ascii(c)),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

fn fold_ascii(c: char) -> char {
    match c {
        '`' => '\'',
        c => c.to_ascii_lowercase(),
    }
}

/// Pushes the pieces of one token: numbers fold to `#`.
fn split_number(token: &str, out: &mut Vec<String>) {
    // "Uploading xxxx items", "X photos to upload": a count written as a
    // placeholder is a count.
    if token.len() > 1 && token.bytes().all(|b| b == b'x') || token == "x" {
        push_joined(out, NUMBER);
        return;
    }
    if !token.starts_with(|c: char| c.is_ascii_digit()) {
        // "iphone16" -> "iphone" "#": models and versions are noise here.
        let letters = token.trim_end_matches(|c: char| c.is_ascii_digit());
        if letters.len() < token.len() && !letters.is_empty() && !KEEP_AS_WORD.contains(&token) {
            push_joined(out, letters);
            push_joined(out, NUMBER);
        } else {
            push_joined(out, token);
        }
        return;
    }
    if KEEP_AS_WORD.contains(&token) {
        push_joined(out, token);
        return;
    }
    let digits = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    push_joined(out, NUMBER);
    let rest = &token[digits..];
    // "20k photos" is a count; "500gb" keeps its unit. The unit is a word
    // like any other, so "2x4" folds its 4 as "x4" alone would.
    if !rest.is_empty() && rest != "k" {
        split_number(rest, out);
    }
}

/// Pushes `token`, or joins it to the one before where people split a
/// word in two ("wi fi", "i cloud").
fn push_joined(out: &mut Vec<String>, token: &str) {
    if let Some(prev) = out.last_mut()
        && let Some(&(_, _, joined)) = JOIN.iter().find(|(a, b, _)| prev == a && token == *b)
    {
        *prev = joined.to_string();
        return;
    }
    out.push(token.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text decomposed whole, as `fold_chars` did before it went one
    /// character at a time.
    fn fold_whole(input: &str) -> String {
        let mut out = String::new();
        for c in input.nfkd() {
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

    #[test]
    fn folding_one_character_at_a_time_is_folding_the_whole() {
        for text in [
            "Plain ASCII, with `backticks` and CAPS",
            "it won\u{2019}t sync \u{201c}Waiting To Upload\u{201d}\u{2026}",
            "Ca\u{301}fe\u{301} cre\u{300}me bru\u{302}le\u{301}e",
            "Z\u{35b}\u{30d}\u{301}a\u{316}\u{32a}\u{350}l\u{320}g\u{30f}\u{357}o\u{1dc4}\u{1dc1} text",
            "\u{1e9b}\u{323} q\u{323}\u{307} \u{fb01}le \u{2460} \u{ff26}\u{ff55}\u{ff4c}\u{ff4c}width",
            "\u{d55c}\u{ad6d}\u{c5b4} \u{65e5}\u{672c}\u{8a9e} \u{5d0}\u{5d1}\u{5d2} \u{627}\u{644}\u{639}",
            "ÅNGSTRÖM Ǆemal İstanbul ß ẞ \u{130}",
            "🙃 👍🏽 👨‍👩‍👧 ✔️ x\u{fe0f}",
        ] {
            assert_eq!(fold(text), fold_whole(text), "{text:?}");
        }
    }

    #[test]
    fn tokens_of_each_keeps_the_order() {
        let texts = ["Waiting to Upload", "", "it won\u{2019}t sync", "a b c"];
        let each: Vec<Vec<String>> = texts.iter().map(|t| tokens(t)).collect();
        let got = tokens_of_each(&texts);
        assert_eq!(got.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), each);
        assert_eq!(got[0].1, tokens_of_each(&["waiting  TO upload!"])[0].1);
        assert_ne!(got[0].1, got[3].1);
        assert!(tokens_of_each(&[]).is_empty());
    }

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
        assert_eq!(normalize("@everyone <@&123> <@!45> hi @here"), "hi");
        assert_eq!(
            normalize("@AppleSupport photos stuck @heretic"),
            "applesupport photos stuck heretic"
        );
        assert_eq!(normalize("email me @ home"), "email me home");
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
