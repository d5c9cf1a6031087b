//! One test per transition of the conversation, on the fixture knowledge
//! base so that editing the real one cannot change what is tested here.

use super::*;
use crate::kb::fixture;

fn engine() -> Engine {
    fixture::engine()
}

fn id(s: &str) -> IntentId {
    IntentId::parse(s).expect("valid id")
}

fn say(text: &str) -> Event {
    Event::Message {
        text: text.to_string(),
        addressed: true,
    }
}

fn overhear(text: &str) -> Event {
    Event::Message {
        text: text.to_string(),
        addressed: false,
    }
}

fn run(engine: &Engine, conversation: Conversation, event: Event) -> (Conversation, Reply) {
    let (next, reply) = handle(engine, conversation, event);
    (next, reply.expect("a reply"))
}

/// The steps credited with the fix.
fn credited(c: &Conversation) -> Vec<usize> {
    c.steps
        .iter()
        .filter(|s| s.outcome == StepOutcome::Fixed)
        .map(|s| s.step)
        .collect()
}

fn guiding(intent: &str, step: usize, device: Option<Device>) -> Conversation {
    Conversation {
        stage: Stage::Guiding {
            intent: id(intent),
            step,
        },
        device,
        ..Conversation::default()
    }
}

#[test]
fn overheard_chatter_gets_silence_and_changes_nothing() {
    let (next, reply) = handle(
        &engine(),
        Conversation::default(),
        overhear("anyone for lunch today"),
    );
    assert_eq!(reply, None);
    assert_eq!(next, Conversation::default(), "nothing remembered either");
}

#[test]
fn chatter_addressed_to_the_bot_gets_the_scope_note() {
    let (next, reply) = run(
        &engine(),
        Conversation::default(),
        say("anyone for lunch today"),
    );
    assert_eq!(reply.kind, ReplyKind::OutOfScope);
    assert_eq!(reply.actions, vec![Action::TalkToPerson]);
    assert_eq!(next.stage, Stage::Idle);
}

#[test]
fn a_status_starts_shared_steps_at_step_one() {
    let (next, reply) = run(
        &engine(),
        Conversation::default(),
        overhear("Syncing Paused 12 items…"),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 0
        }
    );
    assert_eq!(reply.kind, ReplyKind::Step);
    assert_eq!(reply.progress, Some(Progress { step: 1, of: 3 }));
    assert!(
        reply.text.contains("Paused means waiting."),
        "diagnosis on the first step"
    );
    assert!(reply.text.contains("Charge it"));
    assert_eq!(
        reply.actions,
        vec![
            Action::NextStep,
            Action::FixedIt,
            Action::ShowAll,
            Action::TalkToPerson
        ]
    );
    assert_eq!(
        next.status_text.as_deref(),
        Some("Syncing Paused 12 items…")
    );
    assert_eq!(next.steps.len(), 1);
}

#[test]
fn device_specific_steps_ask_for_the_device_when_unknown() {
    let (next, reply) = run(
        &engine(),
        Conversation::default(),
        say("upload counter stuck"),
    );
    assert_eq!(
        next.stage,
        Stage::AskingDevice {
            intent: id("upload-stuck")
        }
    );
    assert_eq!(reply.kind, ReplyKind::AskDevice);
    assert_eq!(
        reply.actions[0],
        Action::ChooseDevice {
            devices: vec![Device::Iphone, Device::Mac]
        }
    );
}

#[test]
fn device_named_in_the_message_skips_the_question() {
    let (next, reply) = run(
        &engine(),
        Conversation::default(),
        say("upload counter stuck on my mac"),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("upload-stuck"),
            step: 0
        }
    );
    assert_eq!(next.device, Some(Device::Mac));
    assert_eq!(
        reply.progress,
        Some(Progress { step: 1, of: 2 }),
        "common step + Mac step"
    );
    assert!(reply.text.contains("· Mac"));
}

#[test]
fn choosing_a_device_starts_that_devices_steps() {
    let asking = Conversation {
        stage: Stage::AskingDevice {
            intent: id("upload-stuck"),
        },
        ..Conversation::default()
    };
    let (next, reply) = run(&engine(), asking, Event::ChooseDevice(Device::Iphone));
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("upload-stuck"),
            step: 0
        }
    );
    assert_eq!(reply.progress, Some(Progress { step: 1, of: 3 }));
}

#[test]
fn next_step_advances_and_records_the_last_one_as_unhelpful() {
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("photos says paused"),
    );
    let (next, reply) = run(&engine(), c, Event::NextStep);
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 1
        }
    );
    assert_eq!(reply.progress, Some(Progress { step: 2, of: 3 }));
    assert!(
        !reply.text.contains("Paused means waiting."),
        "diagnosis only once"
    );
    assert_eq!(next.steps[0].outcome, StepOutcome::DidntHelp);
    assert_eq!(next.steps[1].outcome, StepOutcome::Shown);
}

#[test]
fn the_last_step_offers_no_next_and_shows_when_to_ask() {
    let (_, reply) = run(
        &engine(),
        guiding("status-paused", 1, None),
        Event::NextStep,
    );
    assert_eq!(reply.progress, Some(Progress { step: 3, of: 3 }));
    assert!(!reply.actions.contains(&Action::NextStep));
    assert!(reply.text.contains("If it stays paused."));
}

#[test]
fn next_on_the_last_step_is_a_note_not_an_escalation() {
    let (next, reply) = run(
        &engine(),
        guiding("status-paused", 2, None),
        Event::NextStep,
    );
    assert_eq!(reply.kind, ReplyKind::Note);
    assert_eq!(reply.actions, vec![Action::FixedIt, Action::TalkToPerson]);
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 2
        }
    );
}

#[test]
fn didnt_help_on_the_last_step_escalates() {
    let (next, reply) = run(
        &engine(),
        guiding("status-paused", 2, None),
        Event::DidntHelp,
    );
    assert_eq!(reply.kind, ReplyKind::Escalation);
    assert_eq!(
        reply.case.as_ref().map(|c| c.reason),
        Some(Reason::StepsExhausted)
    );
    assert_eq!(
        next.stage,
        Stage::Escalated {
            intent: Some(id("status-paused")),
            asker_fixed: false,
        }
    );
}

#[test]
fn didnt_help_before_the_last_step_moves_on() {
    let (next, _) = run(
        &engine(),
        guiding("status-paused", 0, None),
        Event::DidntHelp,
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 1
        }
    );
}

#[test]
fn fixed_it_resolves_and_credits_the_step() {
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("photos says paused"),
    );
    let (c, _) = run(&engine(), c, Event::NextStep);
    let (next, reply) = run(&engine(), c, Event::FixedIt);
    assert_eq!(
        next.stage,
        Stage::Resolved {
            intent: id("status-paused")
        }
    );
    assert_eq!(reply.kind, ReplyKind::Resolved);
    assert!(reply.text.contains("step 2"));
    assert_eq!(next.steps[1].outcome, StepOutcome::Fixed);
    let (_, again) = run(&engine(), next, Event::FixedIt);
    assert_eq!(
        again.kind,
        ReplyKind::Note,
        "a second press changes nothing"
    );
}

#[test]
fn show_all_lists_every_step_and_keeps_the_place() {
    let before = guiding("status-paused", 1, None);
    let (next, reply) = run(&engine(), before.clone(), Event::ShowAll);
    assert_eq!(reply.kind, ReplyKind::AllSteps);
    assert!(reply.text.contains("1. Charge it") && reply.text.contains("3. Tap Sync Now"));
    assert_eq!(next.stage, before.stage);
}

#[test]
fn talk_to_a_person_escalates_with_the_whole_case_once() {
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("photos says paused"),
    );
    let (c, _) = run(&engine(), c, Event::NextStep);
    let (next, reply) = run(&engine(), c, Event::TalkToPerson);
    let case = reply.case.expect("a case");
    assert_eq!(case.reason, Reason::Asked);
    assert_eq!(case.said, vec!["photos says paused"]);
    assert_eq!(case.steps.len(), 2);
    assert!(reply.text.contains("Charge it") && reply.text.contains("didn't help"));
    let (_, again) = run(&engine(), next, Event::TalkToPerson);
    assert_eq!(again.kind, ReplyKind::Note, "no second escalation");
    assert!(again.case.is_none());
}

#[test]
fn near_twins_get_did_you_mean() {
    let (next, reply) = run(&engine(), Conversation::default(), say("zeta album photos"));
    assert_eq!(reply.kind, ReplyKind::Clarify);
    let Stage::Clarifying { candidates } = &next.stage else {
        panic!("expected clarifying, got {:?}", next.stage);
    };
    assert!(
        candidates.contains(&id("shared-albums")) && candidates.contains(&id("hidden-or-deleted"))
    );
    assert!(
        matches!(&reply.actions[0], Action::ChooseIntent { choices } if choices.len() == candidates.len())
    );
}

#[test]
fn choosing_an_offered_intent_starts_it() {
    let clarifying = Conversation {
        stage: Stage::Clarifying {
            candidates: vec![id("shared-albums"), id("hidden-or-deleted")],
        },
        ..Conversation::default()
    };
    let (next, reply) = run(
        &engine(),
        clarifying,
        Event::ChooseIntent(id("hidden-or-deleted")),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("hidden-or-deleted"),
            step: 0
        }
    );
    assert_eq!(reply.kind, ReplyKind::Step);
}

#[test]
fn something_else_goes_to_a_person() {
    let clarifying = Conversation {
        stage: Stage::Clarifying {
            candidates: vec![id("shared-albums")],
        },
        ..Conversation::default()
    };
    let (next, reply) = run(&engine(), clarifying, Event::SomethingElse);
    assert_eq!(reply.case.map(|c| c.reason), Some(Reason::SomethingElse));
    assert_eq!(
        next.stage,
        Stage::Escalated {
            intent: None,
            asker_fixed: false
        }
    );
}

#[test]
fn an_unknown_intent_choice_is_a_polite_note() {
    let (next, reply) = run(
        &engine(),
        Conversation::default(),
        Event::ChooseIntent(id("not-in-this-kb")),
    );
    assert_eq!(reply.kind, ReplyKind::Note);
    assert_eq!(next.stage, Stage::Idle);
}

#[test]
fn stale_buttons_without_a_conversation_are_notes() {
    for event in [
        Event::NextStep,
        Event::DidntHelp,
        Event::ShowAll,
        Event::FixedIt,
    ] {
        let (next, reply) = run(&engine(), Conversation::default(), event.clone());
        assert_eq!(reply.kind, ReplyKind::Note, "{event:?}");
        assert_eq!(next.stage, Stage::Idle, "{event:?}");
    }
}

/// "Still stuck", however it is said, shows the next step, and no step is
/// recorded as the fix: "none of this fixed it" once closed the case.
#[test]
fn still_stuck_in_the_thread_means_next_step() {
    for said in [
        "still stuck",
        "none of this fixed it",
        "useless, nothing worked",
        // Longer than a short reply, and no problem the matcher knows.
        "tried that and restarted twice, waited an hour, and it's still stuck at 312",
    ] {
        let (next, reply) = run(&engine(), guiding("status-paused", 0, None), say(said));
        assert_eq!(
            next.stage,
            Stage::Guiding {
                intent: id("status-paused"),
                step: 1
            },
            "{said:?}"
        );
        assert_eq!(
            reply.progress,
            Some(Progress { step: 2, of: 3 }),
            "{said:?}"
        );
        assert!(credited(&next).is_empty(), "{said:?}: {:?}", next.steps);
    }
}

#[test]
fn that_worked_in_the_thread_resolves() {
    let (next, _) = run(
        &engine(),
        guiding("status-paused", 0, None),
        say("that worked, thanks"),
    );
    assert_eq!(
        next.stage,
        Stage::Resolved {
            intent: id("status-paused")
        }
    );
}

/// After "Show all", "step 3 fixed it" credits step 3, not the step on
/// screen; a step the steps do not have credits none.
#[test]
fn a_reply_naming_the_step_credits_that_step() {
    let (shown, _) = run(&engine(), guiding("status-paused", 0, None), Event::ShowAll);
    let (next, reply) = run(&engine(), shown.clone(), say("step 3 fixed it!"));
    assert_eq!(
        next.stage,
        Stage::Resolved {
            intent: id("status-paused")
        }
    );
    assert!(reply.text.contains("step 3 did it"), "{}", reply.text);
    let fixed = credited(&next);
    assert_eq!(fixed, [3], "{:?}", next.steps);

    let (next, reply) = run(&engine(), shown, say("step 9 fixed it"));
    assert!(matches!(next.stage, Stage::Resolved { .. }));
    assert!(reply.text.contains("no step 9"), "{}", reply.text);
    assert!(credited(&next).is_empty(), "{:?}", next.steps);
}

/// "That fixed it" after "Show all" does not credit the step on screen:
/// the user is asked which one, and the answer is credited.
#[test]
fn fixed_after_show_all_asks_which_step() {
    let e = engine();
    let (c, _) = run(&e, Conversation::default(), say("photos says paused"));
    let (c, _) = run(&e, c, Event::ShowAll);
    let (c, reply) = run(&e, c, Event::FixedIt);
    assert!(matches!(c.stage, Stage::Resolved { .. }));
    assert!(reply.text.contains("Which step did it?"), "{}", reply.text);
    assert!(
        credited(&c).is_empty(),
        "nothing credited yet: {:?}",
        c.steps
    );
    for (answer, step) in [
        ("3", 3),
        ("the 2nd one", 2),
        ("step 1 I think", 1),
        ("the one about low power mode", 2),
    ] {
        let (next, reply) = run(&e, c.clone(), say(answer));
        assert!(
            reply.text.contains(&format!("step {step} did it")),
            "{answer:?}: {}",
            reply.text
        );
        let fixed = credited(&next);
        assert_eq!(fixed, [step], "{answer:?}");
        assert!(!next.all_shown);
    }
    // A number that is no step: nothing credited, and the wait is over.
    let (next, reply) = run(&e, c.clone(), say("it took 3 hours"));
    assert!(credited(&next).is_empty(), "{:?}", next.steps);
    assert!(!next.awaits_answer());
    assert!(reply.text.contains("noted as fixed"), "{}", reply.text);
    // A single step shown after "Show all" is the one on screen again.
    let (c, _) = run(&e, Conversation::default(), say("photos says paused"));
    let (c, _) = run(&e, c, Event::ShowAll);
    let (c, _) = run(&e, c, Event::NextStep);
    let (_, reply) = run(&e, c, Event::FixedIt);
    assert!(reply.text.contains("step 2 did it"), "{}", reply.text);
}

/// The problem told again in a case under way is the step not helping:
/// it started the same steps over from the first.
#[test]
fn the_same_problem_again_in_the_thread_is_the_next_step() {
    let (next, reply) = run(
        &engine(),
        guiding("status-paused", 1, None),
        say("it still says Syncing Paused"),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 2
        }
    );
    assert_eq!(reply.progress, Some(Progress { step: 3, of: 3 }));
}

/// Back after "that fixed it": the steps again, not "no steps open".
#[test]
fn stuck_again_after_the_fix_opens_the_steps_again() {
    let (resolved, _) = run(&engine(), guiding("status-paused", 1, None), Event::FixedIt);
    let (next, reply) = run(&engine(), resolved, say("it's stuck again"));
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 0
        }
    );
    assert_eq!(reply.progress, Some(Progress { step: 1, of: 3 }));
}

/// Good news beside the case's own status told again is not fixed:
/// "started uploading, now it says Syncing Paused again".
#[test]
fn good_news_beside_the_same_status_is_still_stuck() {
    let (next, reply) = run(
        &engine(),
        guiding("status-paused", 0, None),
        say("it worked for an hour, now it says syncing paused again"),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 1
        }
    );
    assert_eq!(reply.progress, Some(Progress { step: 2, of: 3 }));
}

/// A model and its macOS name only say which device.
#[test]
fn a_device_said_with_its_model_and_system_is_the_device() {
    let (next, _) = run(
        &engine(),
        guiding("upload-stuck", 1, Some(Device::Iphone)),
        say("its a macbook air m2 running sonoma"),
    );
    assert_eq!(next.device, Some(Device::Mac));
}

/// "Stuck again" after a step was credited: the credit is taken back and
/// the steps go on after that step, not from the first again.
#[test]
fn stuck_again_takes_the_credit_back_and_goes_on() {
    let e = engine();
    let (c, _) = run(&e, Conversation::default(), say("photos says paused"));
    let (c, _) = run(&e, c, Event::NextStep);
    let (c, _) = run(&e, c, Event::FixedIt);
    assert!(matches!(c.stage, Stage::Resolved { .. }));
    let (c, reply) = run(&e, c, say("ugh it's stuck again"));
    assert_eq!(
        c.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 2
        }
    );
    assert_eq!(reply.progress, Some(Progress { step: 3, of: 3 }));
    let verdicts: Vec<(usize, StepOutcome)> = c.steps.iter().map(|s| (s.step, s.outcome)).collect();
    assert_eq!(
        verdicts,
        [
            (1, StepOutcome::DidntHelp),
            (2, StepOutcome::DidntHelp),
            (3, StepOutcome::Shown)
        ]
    );
}

/// The device the case has, named again: noted, the place kept.
#[test]
fn the_same_device_named_again_keeps_the_place() {
    let (next, reply) = run(
        &engine(),
        guiding("upload-stuck", 1, Some(Device::Iphone)),
        say("im on ipad"),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("upload-stuck"),
            step: 1
        }
    );
    assert!(reply.text.contains("Noted: iPhone/iPad"), "{}", reply.text);
    assert!(reply.actions.contains(&Action::NextStep));
}

/// A person asked for in words mid-case is the button's hand-over.
#[test]
fn asking_for_someone_in_the_thread_hands_over() {
    for said in ["talk to someone", "can someone look at this please"] {
        let (next, reply) = run(&engine(), guiding("status-paused", 1, None), say(said));
        assert_eq!(reply.kind, ReplyKind::Escalation, "{said:?}");
        assert!(matches!(next.stage, Stage::Escalated { .. }), "{said:?}");
    }
}

#[test]
fn thanks_in_the_thread_needs_no_reply() {
    let (next, reply) = handle(&engine(), guiding("status-paused", 0, None), say("thanks"));
    assert_eq!(reply, None);
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 0
        }
    );
}

#[test]
fn another_pasted_status_switches_the_topic() {
    let (next, reply) = run(
        &engine(),
        guiding("upload-stuck", 0, Some(Device::Mac)),
        say("now it says Syncing Paused"),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 0
        }
    );
    assert_eq!(reply.intent, Some(id("status-paused")));
    assert_eq!(next.device, Some(Device::Mac), "the device is remembered");
}

#[test]
fn two_pasted_statuses_in_the_thread_ask_which() {
    let (next, reply) = run(
        &engine(),
        guiding("upload-stuck", 0, Some(Device::Mac)),
        say("it said Waiting to Upload, now Syncing Paused"),
    );
    assert_eq!(reply.kind, ReplyKind::Clarify, "{}", reply.text);
    let mut offered: Vec<&IntentId> = reply
        .actions
        .iter()
        .flat_map(|a| match a {
            Action::ChooseIntent { choices } => choices.iter().map(|c| &c.intent).collect(),
            _ => Vec::new(),
        })
        .collect();
    offered.sort();
    assert_eq!(
        offered,
        [&id("status-paused"), &id("status-waiting-to-upload")],
        "{}",
        reply.text
    );
    // The place in the steps is kept: "next" goes on from it, and picking
    // the problem under way shows where it was.
    assert_eq!(
        next.stage,
        guiding("upload-stuck", 0, Some(Device::Mac)).stage
    );
    let (kept, reply) = run(
        &engine(),
        next.clone(),
        Event::ChooseIntent(id("upload-stuck")),
    );
    assert_eq!(kept.stage, next.stage);
    assert_eq!(reply.progress, Some(Progress { step: 1, of: 2 }));
    let (next, _) = run(&engine(), next, say("next"));
    assert_eq!(
        next.stage,
        guiding("upload-stuck", 1, Some(Device::Mac)).stage
    );
}

/// A device the steps have no section for gets the shared steps: asked
/// again, the user could only name it again ("I'm on windows", forever).
#[test]
fn a_device_without_its_own_steps_gets_the_shared_ones() {
    let asking = Conversation {
        stage: Stage::AskingDevice {
            intent: id("upload-stuck"),
        },
        ..Conversation::default()
    };
    let (next, reply) = run(&engine(), asking, Event::ChooseDevice(Device::Windows));
    assert_eq!(next.stage, guiding("upload-stuck", 0, None).stage);
    assert_eq!(reply.progress, Some(Progress { step: 1, of: 1 }));
}

#[test]
fn naming_a_device_in_the_thread_restarts_its_steps() {
    for (from, said, to, of) in [
        (Device::Mac, "sorry, I'm on my iPhone", Device::Iphone, 3),
        // Whatever the matcher reads into "macbook", a reply that only
        // says which device is the device.
        (
            Device::Iphone,
            "on my macbook not the phone",
            Device::Mac,
            2,
        ),
    ] {
        let (next, reply) = run(&engine(), guiding("upload-stuck", 1, Some(from)), say(said));
        assert_eq!(next.device, Some(to), "{said:?}");
        assert_eq!(
            next.stage,
            Stage::Guiding {
                intent: id("upload-stuck"),
                step: 0
            },
            "{said:?}"
        );
        assert_eq!(reply.progress, Some(Progress { step: 1, of }), "{said:?}");
    }
}

#[test]
fn a_device_for_shared_steps_is_noted_without_restarting() {
    let (next, reply) = run(
        &engine(),
        guiding("status-paused", 1, None),
        Event::ChooseDevice(Device::Windows),
    );
    assert_eq!(
        next.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 1
        }
    );
    assert_eq!(reply.kind, ReplyKind::Note);
    assert!(reply.actions.contains(&Action::NextStep));
}

/// "Something else" under a "Did you mean" asked mid-case opens the form
/// with the stage still guiding: the ticket says none of the readings fit
/// (and the review queue hears of it), not that a person was asked for.
#[test]
fn a_form_opened_with_something_else_says_no_reading_fit() {
    for (none_fit, reason) in [(true, Reason::SomethingElse), (false, Reason::Asked)] {
        let (_, reply) = run(
            &engine(),
            guiding("status-paused", 1, None),
            Event::SubmitForm {
                form: CaseForm::default(),
                none_fit,
            },
        );
        assert_eq!(reply.case.map(|c| c.reason), Some(reason), "{none_fit}");
    }
}

#[test]
fn the_hand_over_form_goes_into_the_case() {
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("photos says paused on my mac"),
    );
    let mut form = c.prefilled_form();
    assert_eq!(form.status_text, "photos says paused on my mac");
    assert!(form.tried.contains("Charge it"), "{form:?}");
    form.os_version = "macOS 15.1".into();
    let (next, reply) = run(
        &engine(),
        c,
        Event::SubmitForm {
            form,
            none_fit: false,
        },
    );
    assert_eq!(reply.kind, ReplyKind::Escalation);
    assert!(
        reply.text.contains("**OS version:** macOS 15.1"),
        "{}",
        reply.text
    );
    assert!(matches!(next.stage, Stage::Escalated { .. }));
    assert!(next.form.is_some());
}

#[test]
fn asking_for_a_human_escalates() {
    let (next, reply) = run(&engine(), Conversation::default(), say("escalate human"));
    assert_eq!(reply.kind, ReplyKind::Escalation);
    assert!(matches!(next.stage, Stage::Escalated { .. }));
}

/// After the hand-over, what the user adds (the details a person asked
/// for, "any update?", a status) is for the person: it started a new case
/// over the handed-over one, and the statistics lost the hand-over.
#[test]
fn a_handed_over_case_stays_with_the_person() {
    let (escalated, _) = run(
        &engine(),
        guiding("status-paused", 1, None),
        Event::TalkToPerson,
    );
    let handed_over = escalated.stage.clone();
    assert!(matches!(handed_over, Stage::Escalated { .. }));
    for said in [
        "iPhone 14 Pro, iOS 18.1, the status says Syncing Paused",
        "any update?",
        "escalate human",
    ] {
        let (next, reply) = run(&engine(), escalated.clone(), say(said));
        assert_eq!(next.stage, handed_over, "{said:?}");
        assert_eq!(reply.kind, ReplyKind::Note, "{said:?}");
        assert!(reply.case.is_none(), "{said:?}: no second hand-over");
        assert_eq!(next.said.last().map(String::as_str), Some(said));
    }
    // Once staff resolve it, a new problem is a new case.
    let (resolved, _) = handle(&engine(), escalated, Event::StaffResolved);
    let (next, _) = run(&engine(), resolved, say("Syncing Paused"));
    assert!(
        matches!(next.stage, Stage::Guiding { .. }),
        "{:?}",
        next.stage
    );
}

/// "It's working now" after the hand-over goes on the ticket, once, so
/// that nobody chases a solved case; the case stays the person's to close.
#[test]
fn working_again_after_a_hand_over_is_told_to_the_ticket_once() {
    let (escalated, _) = run(
        &engine(),
        guiding("status-paused", 1, None),
        Event::TalkToPerson,
    );
    let said = "nvm, restarted the phone and it's working now";
    let (told, reply) = run(&engine(), escalated, say(said));
    assert_eq!(
        reply.update,
        Some(CaseUpdate::Fixed {
            said: said.to_string()
        })
    );
    assert!(
        matches!(
            told.stage,
            Stage::Escalated {
                asker_fixed: true,
                ..
            }
        ),
        "{:?}",
        told.stage
    );
    let (again, reply) = run(&engine(), told, say("yep it's fixed"));
    assert_eq!(reply.update, None, "the ticket is told once");
    assert_eq!(reply.kind, ReplyKind::Note);
    assert!(matches!(again.stage, Stage::Escalated { .. }));
    // Broken again after that: the ticket hears it too, so that nobody
    // closes a live case; then working again is news again.
    let (broken, reply) = run(&engine(), again, say("nope it's stuck again"));
    assert!(
        matches!(reply.update, Some(CaseUpdate::StuckAgain { .. })),
        "{:?}",
        reply.update
    );
    let (_, reply) = run(&engine(), broken, say("ok it's working now"));
    assert!(matches!(reply.update, Some(CaseUpdate::Fixed { .. })));
    let line = CaseUpdate::Fixed {
        said: "fixed @everyone **now**".into(),
    }
    .staff_line(7);
    assert!(line.starts_with("**Ticket #7**"), "{line}");
    assert!(!line.contains("@everyone"), "{line}");
    assert!(line.contains("\\*\\*now\\*\\*"), "{line}");
}

/// A conversation written before `asker_fixed` existed still loads.
#[test]
fn an_escalated_conversation_from_before_loads() {
    let old = r#"{"stage":{"stage":"escalated","intent":"status-paused"},"device":null,"status_text":null,"said":[],"steps":[]}"#;
    let c: Conversation = serde_json::from_str(old).expect("loads");
    assert_eq!(
        c.stage,
        Stage::Escalated {
            intent: Some(id("status-paused")),
            asker_fixed: false
        }
    );
}

/// The `escalate-human` response is what a hand-over says: its opening,
/// and its list of what a person asks first while nothing has gathered it.
#[test]
fn a_hand_over_says_what_the_escalate_human_response_says() {
    let (_, typed) = run(&engine(), Conversation::default(), say("escalate human"));
    assert!(
        typed.text.starts_with("About escalate-human.\n\n"),
        "{}",
        typed.text
    );
    assert!(
        typed
            .text
            .contains("\n1. Do the first thing\n2. Do the second thing\n\n**Problem:**"),
        "{}",
        typed.text
    );
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("photos says paused"),
    );
    let form = c.prefilled_form();
    let (_, with_form) = run(
        &engine(),
        c,
        Event::SubmitForm {
            form,
            none_fit: false,
        },
    );
    assert!(
        with_form
            .text
            .starts_with("About escalate-human.\n\n**Problem:**")
    );
    assert!(
        !with_form.text.contains("Do the first thing"),
        "the form already holds it"
    );
}

#[test]
fn case_memory_is_bounded() {
    let mut c = Conversation::default();
    for _ in 0..50 {
        c = handle(&engine(), c, say(&"photos says paused ".repeat(100))).0;
    }
    assert_eq!(c.said.len(), KEEP_SAID);
    assert!(c.said.iter().all(|s| s.chars().count() <= KEEP_SAID_CHARS));
    assert!(c.steps.len() <= KEEP_STEPS);
}

#[test]
fn conversation_survives_serialisation() {
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("upload counter stuck on my mac"),
    );
    let json = serde_json::to_string(&c).expect("serialises");
    let back: Conversation = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, c);
    assert!(serde_json::from_str::<Conversation>(&json.replace("upload-stuck", "Bad Id")).is_err());
}

#[test]
fn every_reply_fits_in_a_discord_message() {
    let long = "photos says paused ".repeat(300);
    let (c, _) = run(&engine(), Conversation::default(), say(&long));
    let (_, reply) = run(&engine(), c, Event::TalkToPerson);
    assert!(reply.text.chars().count() <= render::DISCORD_LIMIT);
}

#[test]
fn a_case_staff_resolved_can_be_handed_over_again() {
    let (c, _) = run(
        &engine(),
        Conversation::default(),
        say("photos says paused"),
    );
    let (escalated, _) = run(&engine(), c, Event::TalkToPerson);
    let (resolved, reply) = handle(&engine(), escalated, Event::StaffResolved);
    assert_eq!(reply, None, "staff tell the user themselves");
    assert!(
        matches!(resolved.stage, Stage::Resolved { .. }),
        "{:?}",
        resolved.stage
    );
    let (_, again) = run(&engine(), resolved, Event::TalkToPerson);
    assert_eq!(again.kind, ReplyKind::Escalation, "a new hand-over");
    let (idle, reply) = handle(&engine(), Conversation::default(), Event::StaffResolved);
    assert_eq!(
        (idle, reply),
        (Conversation::default(), None),
        "nothing to close"
    );
}

#[test]
fn a_step_said_to_be_done_already_is_passed_over_and_recorded() {
    let engine = engine();
    let (c, _) = run(
        &engine,
        guiding("status-paused", 0, None),
        say("low power mode is already off, still paused"),
    );
    // Still stuck: step 2 (Low Power Mode) is passed over for step 3.
    // (The conversation starts on step 1 here, with no record of it.)
    assert_eq!(
        c.stage,
        Stage::Guiding {
            intent: id("status-paused"),
            step: 2
        }
    );
    let outcomes: Vec<(usize, StepOutcome)> = c.steps.iter().map(|s| (s.step, s.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![(2, StepOutcome::AlreadyDone), (3, StepOutcome::Shown)]
    );
    // A new case forgets it.
    let (c, _) = run(&engine, c, say("photos says waiting to upload"));
    assert!(c.done_before.is_empty(), "{:?}", c.done_before);
}
