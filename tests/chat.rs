//! The terminal conversation as a user types it: `syncmedic chat` with a
//! script on standard input.

use crate::support::{repo, run_with_input, stdout, syncmedic};

#[test]
fn chat_runs_a_scripted_conversation_without_colour() {
    let out = run_with_input(
        syncmedic(repo()).arg("chat"),
        "photos says Syncing Paused on my mac\n1\n2\n",
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Step 1 of"), "{text}");
    assert!(text.contains("Step 2 of"), "{text}");
    assert!(text.contains("Glad that's sorted"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no ANSI codes when not on a terminal"
    );
}

#[test]
fn chat_talk_to_a_person_prints_the_case() {
    let out = run_with_input(
        syncmedic(repo()).arg("chat"),
        "Unable to Upload 3 Items\n2\nstill stuck\nget me a human\nits working now\n",
    );
    let text = stdout(&out);
    assert!(text.contains("case for the support team"), "{text}");
    assert!(text.contains("Ticket #1 written"), "{text}");
    assert!(
        text.contains("Status shown: “Unable to Upload 3 Items”"),
        "{text}"
    );
    assert!(text.contains("Device: Mac"), "{text}");
    assert!(text.contains("didn't help"), "{text}");
    // Working after the hand-over: what staff would read on the ticket.
    assert!(
        text.contains("Ticket #1: the asker says it's working now"),
        "{text}"
    );
}

#[test]
fn chat_survives_hostile_lines() {
    let zalgo = "p̷̢̛a̴u̶s̵e̸d̷ ".repeat(400);
    let script = format!(
        "\n   \n{zalgo}\n@everyone <@&123> ```rm -rf```\n999\n0\n-1\n\u{202e}deggoL\n🙃🙃🙃\nquit\n"
    );
    let out = run_with_input(syncmedic(repo()).arg("chat"), &script);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn chat_creates_its_database_on_first_run() {
    let dir = tempfile::tempdir().expect("temp");
    let mut cmd = syncmedic(dir.path());
    cmd.arg("chat").env_remove("SYNCMEDIC__DATABASE__URL");
    let out = run_with_input(&mut cmd, "Syncing Paused on my mac\n1\n2\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = dir.path().join("data/syncmedic.db");
    assert!(db.exists(), "no database at {}", db.display());
}

/// A check that came out fine, said in the middle of the steps, is the
/// next step: "icloud storage isn't full" started the storage steps.
#[test]
fn a_cause_ruled_out_in_a_case_is_the_next_step() {
    for said in [
        "icloud storage isn't full",
        "low power mode is already off",
        "I have plenty of icloud storage",
    ] {
        let script = format!("upload counter frozen on my iphone\n1\n{said}\n");
        let out = run_with_input(syncmedic(repo()).arg("chat"), &script);
        let text = stdout(&out);
        // Passed over or not, the next step is not the one ruled out.
        assert!(
            text.contains("Step 3 of") || text.contains("Skipping step 3"),
            "{said:?}:\n{text}"
        );
        assert!(!text.contains("storage is full\n"), "{said:?}:\n{text}");
    }
}

/// A question about another problem in the middle of the steps is offered
/// as "Did you mean", and "next" still goes on: it started that problem.
#[test]
fn a_question_in_a_case_keeps_its_place() {
    let script = "upload counter frozen on my iphone\nwill restarting delete my photos?\nnext\n";
    let out = run_with_input(syncmedic(repo()).arg("chat"), script);
    let text = stdout(&out);
    assert!(text.contains("Did you mean"), "{text}");
    assert!(text.contains("Step 2 of 6"), "{text}");
}

/// A handed-over case stays with the person, and the terminal, which has
/// no channel to ask a new question in, starts a new case on `new`: a
/// conversation of its own in the store.
#[test]
fn new_starts_a_case_after_a_hand_over() {
    let script = "Unable to Upload 3 Items\n2\nget me a human\nSyncing Paused on my mac\nnew\nSyncing Paused on my mac\nget me a human\n";
    let out = run_with_input(syncmedic(repo()).arg("chat"), script);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    let (before, after) = text.split_once("New case").expect("`new` is acknowledged");
    assert!(before.contains("Ticket #1 written"), "{text}");
    assert!(
        before.contains("A different problem needs a new question"),
        "{text}"
    );
    // The paused steps begin only after `new`.
    assert!(!before.contains("Saving Battery Power"), "{text}");
    assert!(after.contains("Saving Battery Power"), "{text}");
    assert!(after.contains("Step 1 of"), "{text}");
    // The new case is a case of its own, with a ticket of its own; the
    // first one's is kept.
    assert!(after.contains("Ticket #2 written"), "{text}");
}

/// A reply that only says which device is the device, even where the
/// matcher reads a problem into it: "macbook … phone" started the
/// photo-missing-on-another-device steps.
#[test]
fn a_device_correction_in_a_case_keeps_the_problem() {
    let script = "upload counter frozen on my iphone\non my macbook not the phone\n";
    let out = run_with_input(syncmedic(repo()).arg("chat"), script);
    let text = stdout(&out);
    assert!(text.contains("Step 1 of 6 · iPhone"), "{text}");
    assert!(text.contains("Step 1 of 6 · Mac"), "{text}");
    assert!(!text.contains("isn't showing on another"), "{text}");
}

/// What people type in passing keeps the place, found by scripted
/// conversations: each used to start another problem's steps or lose the
/// diagnosis.
#[test]
fn remarks_in_passing_keep_the_place() {
    let table = [
        // A verdict on the step beside another problem: offered, not taken.
        (
            "upload counter frozen on my iphone\nit works now but only the old photos, new ones still stuck\nnext\n",
            "Step 2 of 6",
        ),
        // A question while the device is asked for, then the device.
        (
            "Waiting to Upload 57 Items\nhow long should i wait\niphone\n",
            "Step 1 of 6 · iPhone",
        ),
        (
            "Unable to Upload 3 Items\nwill this delete my photos?\nmac\n",
            "Step 1 of",
        ),
    ];
    for (script, shows) in table {
        let out = run_with_input(syncmedic(repo()).arg("chat"), script);
        let text = stdout(&out);
        let offered =
            text.contains("Did you mean") || text.contains("Is that a different problem?");
        assert!(offered, "{script:?}:\n{text}");
        assert!(text.contains(shows), "{script:?}:\n{text}");
        assert!(!text.contains("no steps open"), "{script:?}:\n{text}");
        assert!(!text.contains("trade in the old"), "{script:?}:\n{text}");
    }
}
