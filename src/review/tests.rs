//! Which turns are near-misses, as a table over the fixture knowledge base.

use super::*;
use crate::dialog::{self, Conversation, Event, Stage};
use crate::kb::fixture;

fn engine() -> Engine {
    fixture::engine()
}

fn message(text: &str, addressed: bool) -> Event {
    Event::Message {
        text: text.to_string(),
        addressed,
    }
}

/// Runs `events` from a new conversation and returns what the last one
/// noticed.
fn last_noticed(engine: &Engine, events: &[Event]) -> Option<Noticed> {
    let mut conversation = Conversation::default();
    let mut seen = None;
    for event in events {
        let before = conversation.clone();
        let (after, reply) = dialog::handle(engine, conversation, event.clone());
        seen = noticed(engine, &before, event, &after, reply.as_ref());
        conversation = after;
    }
    seen
}

#[test]
fn near_misses_are_noticed_with_their_reason_and_text() {
    let engine = engine();
    let paused = message("photos says paused", true);
    let clarify = message("zeta album photos", true);
    type Case<'a> = (&'a str, Vec<Event>, Option<(Reason, &'a str)>);
    let cases: Vec<Case> = vec![
        (
            "overheard, with our words",
            vec![message("my photos thing is weird today folks", false)],
            Some((
                Reason::SilentInDomain,
                "my photos thing is weird today folks",
            )),
        ),
        (
            "overheard chatter",
            vec![message("anyone for lunch", false)],
            None,
        ),
        ("a greeting", vec![message("good morning all", true)], None),
        ("answered", vec![paused.clone()], None),
        (
            "something else after did you mean",
            vec![clarify.clone(), Event::SomethingElse],
            Some((Reason::SomethingElse, "zeta album photos")),
        ),
        (
            "picked a reading",
            vec![
                clarify,
                Event::ChooseIntent(IntentId::parse("shared-albums").expect("id")),
            ],
            None,
        ),
        (
            "next step on the last step",
            vec![
                paused.clone(),
                Event::NextStep,
                Event::NextStep,
                Event::NextStep,
            ],
            Some((Reason::NotHelped, "photos says paused")),
        ),
        (
            "next step before the last",
            vec![paused.clone(), Event::NextStep],
            None,
        ),
        (
            "the last step did not help",
            vec![
                paused.clone(),
                Event::NextStep,
                Event::NextStep,
                Event::DidntHelp,
            ],
            Some((Reason::NotHelped, "photos says paused")),
        ),
        (
            "asked for a person",
            vec![paused.clone(), Event::TalkToPerson],
            Some((Reason::Escalated, "photos says paused")),
        ),
        ("fixed", vec![paused, Event::FixedIt], None),
        (
            "a person, before any question",
            vec![Event::TalkToPerson],
            None,
        ),
    ];
    for (name, events, want) in cases {
        let got = last_noticed(&engine, &events);
        assert_eq!(
            got.as_ref().map(|n| (n.reason, n.text.as_str())),
            want,
            "{name}"
        );
        if let Some(n) = got {
            assert!(n.readings.len() <= READINGS, "{name}");
            assert!(
                n.readings.windows(2).all(|w| w[0].score >= w[1].score),
                "{name}: readings best first"
            );
        }
    }
}

#[test]
fn kept_text_is_bounded_and_keys_group_near_identical_texts() {
    let long = "photos ".repeat(400);
    assert_eq!(bounded(&long).chars().count(), MAX_TEXT);
    assert_eq!(bounded("  hi  "), "hi");
    assert_eq!(
        key("Waiting to Upload 57 Items"),
        key("waiting to upload 58 items!")
    );
    assert_ne!(key("photos paused"), key("photos uploading"));
    assert!(key(&"zalgo z̷̢a̶l̴g̸o ".repeat(300)).len() <= MAX_KEY);
    assert_eq!(key("!!! ???"), "");
    for (a, b, same) in [
        (
            "my pics doohickey sulks every single evening",
            "my pics doohickey sulks every evening!",
            true,
        ),
        (
            "Waiting to Upload 57 Items",
            "waiting to upload 58 items",
            true,
        ),
        ("photos paused", "photos uploading", false),
        ("icloud paused", "icloud photos paused", false),
        (
            "photos never upload from my mac",
            "photos never download to my mac",
            false,
        ),
    ] {
        assert_eq!(Words::of(&key(a)).alike(&key(b)), same, "{a:?} / {b:?}");
    }
}

#[test]
fn silence_outside_the_domain_and_empty_text_are_not_queued() {
    let engine = engine();
    let before = Conversation::default();
    for text in ["```\n\n```", "@everyone", "   "] {
        let event = message(text, false);
        let (after, reply) = dialog::handle(&engine, before.clone(), event.clone());
        assert_eq!(
            noticed(&engine, &before, &event, &after, reply.as_ref()),
            None,
            "{text:?}"
        );
    }
    let idle = Conversation {
        stage: Stage::Idle,
        ..Conversation::default()
    };
    assert!(!at_last_step(&engine, &idle));
}

#[test]
fn reasons_round_trip() {
    for reason in Reason::ALL {
        assert_eq!(Reason::parse(reason.as_str()), Some(reason));
    }
    assert_eq!(Reason::parse("nope"), None);
}
