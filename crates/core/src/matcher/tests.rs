//! The matcher on the fixture knowledge base: what rules add to the models.

use super::*;
use crate::kb::fixture;

fn matcher() -> Matcher {
    let lines = Thresholds {
        answer: Some(0.3),
        clarify: Some(0.1),
        margin: Some(0.1),
    };
    Matcher::new(&fixture::kb(), lines)
}

fn ids(d: &Decision) -> Vec<String> {
    match d {
        Decision::Answer(id) => vec![id.to_string()],
        Decision::Clarify(ids) => ids.iter().map(ToString::to_string).collect(),
        Decision::None => vec![],
    }
}

#[test]
fn a_status_line_wins_whatever_surrounds_it() {
    let c = matcher().classify(
        "I was out all day and when I came back it said Syncing Paused again, no idea why",
    );
    assert_eq!(
        c.decision,
        Decision::Answer(IntentId::parse("status-paused").expect("id"))
    );
    assert_eq!(c.status.map(|s| s.text), Some("syncing paused".to_string()));
}

#[test]
fn a_status_retold_with_is_or_was_is_the_same_status() {
    let m = matcher();
    for (text, quoted) in [
        ("my phone says syncing is paused", "syncing is paused"),
        (
            "since yesterday syncing was paused, what now",
            "syncing was paused",
        ),
        (
            "syncing has been paused for 3 days",
            "syncing has been paused",
        ),
    ] {
        let c = m.classify(text);
        assert_eq!(ids(&c.decision), ["status-paused"], "{text}");
        assert_eq!(c.status.map(|s| s.text).as_deref(), Some(quoted), "{text}");
    }
}

#[test]
fn a_status_said_not_to_be_shown_is_no_status() {
    let m = matcher();
    for text in [
        "there is no status at all, it doesnt say waiting to upload or anything",
        "it doesn't even show syncing paused",
    ] {
        assert_eq!(m.classify(text).status, None, "{text}");
    }
    // A negation elsewhere in the message leaves the status alone.
    for text in [
        "photos not uploading, it says waiting to upload",
        "no, it says waiting to upload",
    ] {
        let c = m.classify(text);
        assert_eq!(
            c.status.map(|s| s.intent.to_string()).as_deref(),
            Some("status-waiting-to-upload"),
            "{text}"
        );
    }
}

#[test]
fn two_statuses_quoted_alike_are_both_offered() {
    let m = matcher();
    let both = ["status-paused", "status-waiting-to-upload"];
    for text in [
        "first it said Waiting to Upload, now it says Syncing Paused",
        "Syncing Paused, and before that Waiting to Upload",
    ] {
        let c = m.classify(text);
        assert!(
            matches!(c.decision, Decision::Clarify(_)),
            "{text}: {:?}",
            c.decision
        );
        let mut offered = ids(&c.decision);
        assert_eq!(
            offered.first().map(String::as_str),
            c.top().map(|s| s.intent.as_str()),
            "the best reading first"
        );
        offered.sort();
        assert_eq!(offered, both, "{text}");
    }
    // The same status twice is one status.
    let twice = m.classify("Syncing Paused. still syncing paused");
    assert_eq!(ids(&twice.decision), ["status-paused"]);
    assert!(matches!(twice.decision, Decision::Answer(_)));
    // A one-word status beside a longer one is context, not a second
    // status.
    let context = m.classify("waiting to upload since the sync paused");
    assert_eq!(ids(&context.decision), ["status-waiting-to-upload"]);
}

#[test]
fn a_named_tool_makes_the_message_the_tools_but_a_status_line_still_wins() {
    let m = matcher();
    let ours = m.classify("the upload counter is stuck on my zeta album photos");
    assert_ne!(ours.decision, Decision::None, "{:?}", ours.ranked);
    let theirs = m.classify("the Lightroom upload counter is stuck on my zeta album photos");
    assert_eq!(theirs.decision, Decision::None, "{:?}", theirs.ranked);
    assert_eq!(theirs.offtopic, 1.0);
    assert!(m.in_domain("the upload counter is stuck on my zeta album photos"));
    assert!(
        !m.in_domain("the Lightroom upload counter is stuck on my zeta album photos"),
        "silence on a tool's message is no gap for the review queue"
    );
    let pasted = m.classify("lightroom is open and photos says Syncing Paused");
    assert_eq!(
        pasted.decision,
        Decision::Answer(IntentId::parse("status-paused").expect("id"))
    );
}

#[test]
fn nothing_known_is_silence() {
    for text in [
        "zzzz qqqq",
        "",
        "🙃🙃",
        "@everyone",
        "ok",
        "good morning all",
    ] {
        let c = matcher().classify(text);
        assert_eq!(c.decision, Decision::None, "{text:?}");
    }
}

#[test]
fn two_sentences_naming_two_problems_offer_both() {
    let c = matcher()
        .classify("The upload counter is stuck. Also the zeta album photos gone from my phone");
    let got = ids(&c.decision);
    assert!(
        matches!(c.decision, Decision::Clarify(_))
            && got.contains(&"upload-stuck".to_string())
            && got.contains(&"hidden-or-deleted".to_string()),
        "{:?} / {:?}",
        c.decision,
        c.ranked
    );
}

#[test]
fn operator_lines_override_the_chosen_ones() {
    let m = matcher();
    assert_eq!(
        m.cut(),
        Cut {
            answer: 0.3,
            clarify: 0.1,
            margin: 0.1
        }
    );
    let chosen = Matcher::new(&fixture::kb(), Thresholds::default()).cut();
    assert!(chosen.clarify <= chosen.answer, "{chosen:?}");
    let partial = Thresholds {
        clarify: Some(0.99),
        ..Thresholds::default()
    };
    let cut = Matcher::new(&fixture::kb(), partial).cut();
    assert!(
        cut.clarify <= cut.answer,
        "clarify is capped at answer: {cut:?}"
    );
}
