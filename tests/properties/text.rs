//! Normalising: total, bounded, and a fixed point of its own output.

use super::hostile_text;
use proptest::prelude::*;
use syncmedic::text::{MAX_INPUT_CHARS, MAX_TOKENS, NUMBER, normalize, tokens};

/// The longest compatibility decomposition in Unicode (U+FDFA, 18 chars):
/// no character grows more than this under NFKD.
const MAX_EXPANSION: usize = 18;

/// The plain form the module promises: lowercase letters and digits with no
/// marks, or the number token, one space between tokens.
fn assert_plain_form(input: &str, out: &str) {
    assert_eq!(out.trim(), out, "no outer space for {input:?}");
    assert!(
        !out.contains("  "),
        "one space between tokens for {input:?}"
    );
    for token in out.split(' ').filter(|t| !t.is_empty()) {
        if token == NUMBER {
            continue;
        }
        for c in token.chars() {
            assert!(c.is_alphanumeric(), "{c:?} in {token:?} from {input:?}");
            assert!(
                !unicode_normalization::char::is_combining_mark(c),
                "mark {c:?} in {token:?} from {input:?}"
            );
            assert!(
                c.to_lowercase().eq([c]),
                "{c:?} in {token:?} from {input:?} is not lowercase"
            );
        }
    }
}

proptest! {
    #![proptest_config(super::config(512))]

    #[test]
    fn any_string_normalises_to_the_plain_form(input in any::<String>()) {
        assert_plain_form(&input, &normalize(&input));
    }

    #[test]
    fn hostile_text_normalises_to_the_plain_form(input in hostile_text(60, 400)) {
        assert_plain_form(&input, &normalize(&input));
    }

}

proptest! {
    #![proptest_config(super::config(32))]

    /// Whatever arrives, the work downstream is capped: at most
    /// `MAX_TOKENS` words, each split at most once ("iphone16" -> "iphone
    /// #"), and no character of the first `MAX_INPUT_CHARS` grows past the
    /// largest decomposition.
    #[test]
    fn output_is_bounded_by_the_caps(input in hostile_text(1500, 4_500)) {
        let out = tokens(&input);
        prop_assert!(out.len() <= 2 * MAX_TOKENS, "{} tokens", out.len());
        let kept = input.chars().count().min(MAX_INPUT_CHARS);
        let chars: usize = out.iter().map(|t| t.chars().count()).sum();
        prop_assert!(chars <= MAX_EXPANSION * kept, "{chars} chars from {kept}");
    }

}

proptest! {
    #![proptest_config(super::config(512))]

    /// Normalising the plain form again changes nothing, reading `#` as the
    /// number it stands for: the knowledge base and the messages meet in
    /// one form however often text passes through. Short inputs only, as
    /// the caps cut long ones.
    #[test]
    fn the_plain_form_is_a_fixed_point(input in hostile_text(30, 200)) {
        let once = normalize(&input);
        let twice = normalize(&once.replace(NUMBER, "0"));
        prop_assert_eq!(&twice, &once, "from {:?}", input);
    }
}

#[test]
fn the_largest_decomposition_stays_within_the_bound() {
    let input = "\u{fdfa}".repeat(MAX_INPUT_CHARS + 10);
    let chars: usize = tokens(&input).iter().map(|t| t.chars().count()).sum();
    assert!(chars <= MAX_EXPANSION * MAX_INPUT_CHARS, "{chars}");
    assert!(
        chars > 0,
        "the decomposition is letters: {:?}",
        normalize("\u{fdfa}")
    );
}
