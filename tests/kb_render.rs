//! Every message the shipped knowledge base can send, as a user meets it:
//! each response walked step by step through the dialog on every device
//! and on none, with "Show all steps" and the hand-over, then held to
//! what issue 13 asks of a safe answer.

use crate::support::repo;
use syncmedic::Engine;
use syncmedic::dialog::{self, Conversation, Event, Reply, ReplyKind, render};
use syncmedic::kb::{Device, ESCALATE, Intent, KbFiles, Step, link_targets};
use syncmedic::matcher::Thresholds;

/// The shipped lines, so loading does not cross-validate again.
fn engine() -> Engine {
    let files = KbFiles::read_dir(repo()).expect("readable");
    let lines = Thresholds {
        answer: Some(0.125),
        clarify: Some(0.075),
        margin: Some(0.125),
    };
    Engine::from_files(&files, lines).unwrap_or_else(|e| panic!("{e}"))
}

/// The replies a user on `device` gets for `intent`: the first one, every
/// "Next step" to the last, and "Show all steps".
fn walk(engine: &Engine, intent: &Intent, device: Option<Device>) -> (Conversation, Vec<Reply>) {
    let start = Conversation {
        device,
        ..Conversation::default()
    };
    let (mut c, first) = dialog::handle(engine, start, Event::ChooseIntent(intent.id.clone()));
    let mut replies: Vec<Reply> = first.into_iter().collect();
    while let Some(progress) = replies.last().and_then(|r| r.progress) {
        if progress.step == progress.of {
            let (next, all) = dialog::handle(engine, c, Event::ShowAll);
            c = next;
            replies.extend(all);
            break;
        }
        let (next, reply) = dialog::handle(engine, c, Event::NextStep);
        c = next;
        replies.extend(reply);
    }
    (c, replies)
}

/// "If this was the last thing to try: If it stays paused…"
fn reads_if_if(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start_matches(['*', '_', ' ']).to_lowercase();
        line.starts_with("if ")
            && line.split_once(':').is_some_and(|(_, rest)| {
                rest.trim_start_matches(['*', '_', ' ']).starts_with("if ")
            })
    })
}

/// One step as shown: warned if and only if it is risky, never first, and
/// only after its gate.
fn check_step(what: &str, reply: &Reply, steps: &[&Step], index: usize) {
    check_step_data(what, steps, index);
    let (risky, warned) = (steps[index].risk().is_some(), reply.text.contains("⚠️"));
    assert_eq!(warned, risky, "{what}: step {}: risky, warned", index + 1);
}

#[test]
fn every_message_of_every_response_is_safe_to_send() {
    let engine = engine();
    let links = engine.kb.links();
    let mut messages = 0;
    for intent in engine.kb.intents() {
        for device in [
            None,
            Some(Device::Iphone),
            Some(Device::Mac),
            Some(Device::Windows),
        ] {
            let (c, replies) = walk(&engine, intent, device);
            assert!(!replies.is_empty(), "{}: no reply", intent.id);
            let steps = intent.response.steps(c.device);
            for reply in &replies {
                messages += 1;
                let what = format!("{} on {device:?}, {:?}", intent.id, reply.kind);
                let length = reply.text.chars().count();
                assert!(
                    length <= render::DISCORD_LIMIT,
                    "{what}: {length} characters"
                );
                for target in link_targets(&reply.text) {
                    assert!(links.check(target).is_ok(), "{what}: {target}");
                }
                assert!(!reads_if_if(&reply.text), "{what}: {}", reply.text);
                match (reply.kind, reply.progress, &steps) {
                    (ReplyKind::Step, Some(progress), Some(steps)) => {
                        check_step(&what, reply, steps, progress.step - 1);
                    }
                    (ReplyKind::AllSteps, _, Some(steps)) => {
                        let risky = steps.iter().filter(|s| s.risk().is_some()).count();
                        assert_eq!(reply.text.matches("⚠️").count(), risky, "{what}");
                        for (index, _) in steps.iter().enumerate() {
                            check_step_data(&what, steps, index);
                        }
                    }
                    (ReplyKind::AskDevice, _, None) => {}
                    (ReplyKind::Escalation, _, _) if intent.id.as_str() == ESCALATE => {}
                    (kind, _, _) => panic!("{what}: unexpected {kind:?}"),
                }
            }
        }
    }
    assert!(messages > 42 * 4 * 3, "walked {messages} messages");
}

/// Never first, and only after a step marked as its gate.
fn check_step_data(what: &str, steps: &[&Step], index: usize) {
    if let Some(risk) = steps[index].risk() {
        assert!(index > 0, "{what}: a risky step comes first");
        assert!(
            steps[..index].iter().any(|s| s.is_gate_for(risk)),
            "{what}: step {} ({risk}) has no gate before it",
            index + 1
        );
    }
}

/// Asking for a person shows the `escalate-human` response, not words of
/// the code's own.
#[test]
fn the_hand_over_says_what_escalate_human_says() {
    let engine = engine();
    let guide = engine.kb.find(ESCALATE).expect("escalate-human");
    let (_, replies) = walk(&engine, guide, None);
    let [reply] = replies.as_slice() else {
        panic!("one hand-over: {replies:?}");
    };
    assert_eq!(reply.kind, ReplyKind::Escalation);
    assert!(
        reply.text.starts_with(&guide.response.diagnosis),
        "{}",
        reply.text
    );
    for step in guide.response.steps(None).expect("shared steps") {
        assert!(reply.text.contains(&step.text), "{}", step.text);
    }
}
