//! Matching: any text is classified, the same way every time, within the
//! promised ranges, with work bounded on 4,000 characters.

use super::hostile_text;
use crate::fuzz_bodies::check_classification;
use proptest::prelude::*;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use syncmedic::Engine;
use syncmedic::matcher::Thresholds;
use syncmedic::text::MAX_TOKENS;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::from_files(&syncmedic::shipped::files(), Thresholds::default())
            .expect("the built-in knowledge base is valid")
    })
}

proptest! {
    #![proptest_config(super::config(256))]

    #[test]
    fn any_string_classifies_within_the_promises(message in any::<String>()) {
        let c = engine().matcher.classify(&message);
        check_classification(engine(), &c, &message);
    }

    /// Deterministic: the same message twice gives the same decision and
    /// the very same scores (no hash-order or state leaks between calls).
    #[test]
    fn hostile_text_classifies_the_same_twice(message in hostile_text(80, 600)) {
        let matcher = &engine().matcher;
        let first = matcher.classify(&message);
        check_classification(engine(), &first, &message);
        prop_assert_eq!(&first, &matcher.classify(&message));
    }

    /// The normaliser lowercases and splits on whitespace before anything
    /// else, so neither the case of ASCII letters nor whitespace around
    /// the message can change the answer.
    #[test]
    fn ascii_case_and_outer_whitespace_do_not_matter(
        message in hostile_text(40, 300),
        pad in "[ \t\n]{1,4}",
    ) {
        let matcher = &engine().matcher;
        let plain = matcher.classify(&message);
        prop_assert_eq!(&plain, &matcher.classify(&message.to_ascii_uppercase()));
        prop_assert_eq!(&plain, &matcher.classify(&message.to_ascii_lowercase()));
        prop_assert_eq!(&plain, &matcher.classify(&format!("{pad}{message}{pad}")));
    }
}

proptest! {
    #![proptest_config(super::config(24))]

    /// A 4,000-character message costs bounded work: the matcher sees at
    /// most twice `MAX_TOKENS` tokens (a word splits at most once), and
    /// classifying takes milliseconds even in a debug build. The time
    /// bound is two orders above what it takes, so it fails only when the
    /// work stops being bounded.
    #[test]
    fn four_thousand_characters_cost_bounded_work(message in hostile_text(4_000, 4_000)) {
        let matcher = &engine().matcher;
        prop_assert!(matcher.tokens(&message).len() <= 2 * MAX_TOKENS);
        let start = Instant::now();
        let c = matcher.classify(&message);
        let took = start.elapsed();
        check_classification(engine(), &c, &message);
        prop_assert!(took < Duration::from_secs(2), "{took:?} for {} chars", message.chars().count());
    }
}

/// The worst shapes found so far, always run: every character a mark, one
/// unbroken word (distinct letters once cost gigabytes in the speller), a
/// status repeated to the token cap, and the largest decomposition.
#[test]
fn worst_shapes_at_four_thousand_characters() {
    let matcher = &engine().matcher;
    for message in [
        format!("p{}", "\u{0301}".repeat(3_999)),
        "a".repeat(4_000),
        "abcdefghijklmnopqrstuvwxyz".repeat(154),
        "waiting to upload ".repeat(223),
        "waitng uplaod ".repeat(286),
        "\u{fdfa}".repeat(4_000),
        "1a".repeat(2_000),
    ] {
        assert!(matcher.tokens(&message).len() <= 2 * MAX_TOKENS);
        let start = Instant::now();
        let c = matcher.classify(&message);
        let took = start.elapsed();
        check_classification(engine(), &c, &message);
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
}

/// Found by these properties: a status of an intent about another device
/// ("incomplete items" is a Mac dialog, the message names an iPhone) had
/// its halved score lifted from the floor past 1.
#[test]
fn a_status_on_another_device_scores_at_most_one() {
    for message in ["incomplete items on my iphone", "incomplete items iPhone16"] {
        let c = engine().matcher.classify(message);
        check_classification(engine(), &c, message);
        let status = c.status.map(|s| s.intent.to_string());
        assert_eq!(
            status.as_deref(),
            Some("incomplete-items-dialog"),
            "{message}"
        );
        let top = c.ranked[0].score;
        assert!((0.9..=1.0).contains(&top), "{message}: {:?}", c.ranked);
    }
}
