//! Button ids: parsing is total and strict, and the ids the bot writes are
//! exactly the ids it accepts.

use proptest::prelude::*;
use syncmedic::discord::custom_id::{Action, ComponentId, MAX_LEN};

/// Strings near the format, where a lax parser would slip: our prefix and
/// others, real and unknown action words, numbers with signs, zeros,
/// spaces and non-ASCII digits, and extra fields.
fn near_miss() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(&["sm1", "sm0", "sm2", "sm10", "SM1", "sm", "", " sm1"][..]);
    let word = prop::sample::select(
        &[
            "next", "fixed", "all", "person", "device", "pick", "form", "claim", "resolve", "NEXT",
            "nex", "", "next ", "délete",
        ][..],
    );
    let number =
        "(0|[1-9][0-9]{0,9}|0[0-9]{1,3}|[+-][0-9]{1,3}|[0-9]{11,20}|[٠-٩]{1,3}| [0-9]|[0-9] |)";
    let tail = prop::sample::select(&["", ":", ":1", "\0", "\n"][..]);
    (prefix, word, number, tail).prop_map(|(p, w, n, t)| format!("{p}:{w}:{n}{t}"))
}

proptest! {
    #![proptest_config(super::config(1024))]

    #[test]
    fn any_string_parses_or_is_an_error(raw in any::<String>()) {
        if let Ok(id) = ComponentId::parse(&raw) {
            prop_assert_eq!(id.to_string(), raw);
        }
    }

    /// What parses is canonical: re-encoding gives the very same text, so
    /// one id has one spelling (no "007" for 7) and fits Discord's limit.
    #[test]
    fn what_parses_is_canonical(raw in near_miss()) {
        if let Ok(id) = ComponentId::parse(&raw) {
            prop_assert!(raw.len() <= MAX_LEN);
            prop_assert_eq!(id.to_string(), raw);
        }
    }

    #[test]
    fn every_action_and_number_round_trips(action in prop::sample::select(&Action::ALL[..]), n: u32) {
        let id = ComponentId::new(action, n);
        let text = id.to_string();
        prop_assert!(text.len() <= MAX_LEN);
        prop_assert_eq!(ComponentId::parse(&text), Ok(id));
    }

    /// Discord never sends an id over its limit, so one is forged: a valid
    /// id padded past the limit (with zeros, spaces or any text) is refused.
    #[test]
    fn ids_over_discords_limit_never_parse(
        action in prop::sample::select(&Action::ALL[..]),
        n: u32,
        pad in prop::sample::select(&["0", " ", ":", "9", "é"][..]),
        extra in 1usize..200,
        junk in any::<String>(),
    ) {
        let id = ComponentId::new(action, n).to_string();
        let zeros = format!("{id}{}", pad.repeat(MAX_LEN));
        let (head, number) = id.rsplit_once(':').expect("an id has fields");
        let padded = format!("{head}:{}{number}", "0".repeat(MAX_LEN - id.len() + extra));
        let tail = format!("{id}{}{junk}", "x".repeat(MAX_LEN));
        for raw in [zeros, padded, tail] {
            prop_assert!(raw.len() > MAX_LEN);
            prop_assert!(ComponentId::parse(&raw).is_err(), "{:?} parsed", raw);
        }
    }
}
