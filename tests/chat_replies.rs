//! Replies inside a case, typed in the terminal as a user types them:
//! what each must and must not lead to. The rows come from rounds of
//! scripted conversations that found each reply handled wrongly.

use crate::support::{repo, run_with_input, stdout, syncmedic};

/// The second round of scripted conversations: what each reply must and
/// must not lead to.
#[test]
fn replies_in_a_case_do_what_they_say() {
    let table = [
        // A device named in passing does not switch the list: that would
        // skip the other device's earlier (safety) steps.
        (
            "how do i reset icloud photos sync on my iphone, its been stuck for days\nnext\nnext\nnext\nnext\nno change after a night. windows 10 btw\n",
            "Step 6 of 7 · iPhone/iPad",
            "· Windows",
        ),
        (
            "upload counter frozen on my iphone\nnext\nplugged it into my macbook charger, still stuck\n",
            "Step 3 of 6 · iPhone/iPad",
            "· Mac",
        ),
        // A status asked about is offered, the case kept.
        (
            "Syncing Paused on my iphone\nwhat does optimizing system performance mean? my mac shows that\nnext\n",
            "Step 2 of 5 · iPhone/iPad",
            "\nPhotos says “Optimizing",
        ),
        // Good news beside a status closes the case.
        (
            "Syncing Paused on my iphone\nresume worked!! now it says Uploading 212 Items 🙌\n",
            "step 1 did it",
            "Uploading N Items",
        ),
        // "Thanks" beside a question is the question.
        (
            "Syncing Paused on my iphone\nthanks, where do i find low power mode?\n",
            "Did you mean",
            "(no reply)",
        ),
        // "That fixed it" after a hand-over that says the opposite.
        (
            "Unable to Upload 3 Items on my mac\ntalk to someone\nit fixed nothing btw, still 3 items\n",
            "A person has this case now",
            "working now",
        ),
        // The step's check came out fine: on to the next step, neither
        // solved nor "I didn't catch that".
        (
            "Waiting to Upload 57 Items on my iphone\nsafari worked fine\n",
            "Step 2 of 6 · iPhone/iPad",
            "did it",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nthe internet is fine\n",
            "Step 2 of 6 · iPhone/iPad",
            "didn't catch",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nwifi is fine, now it says Syncing Paused\n",
            "Photos says “Paused”",
            "Step 2 of 6",
        ),
        // The step done, progress, a moment: each read, none "I didn't
        // catch that".
        (
            "Waiting to Upload 57 Items on my iphone\nok i plugged it in\n",
            "Step 2 of 6 · iPhone/iPad",
            "didn't catch",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nit went down to 40\n",
            "That's progress",
            "did it",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nok trying that now\n",
            "(no reply)",
            "didn't catch",
        ),
        // The dialog's own words are read as written, not mended towards
        // the knowledge base's ("resumed" is no typo of "resume").
        (
            "Syncing Paused on my iphone\nbattery was 12%, charging now, its resumed!\n",
            "Glad that's sorted",
            "Step 2 of",
        ),
        // A reply about the step that reads like another problem does not
        // switch the case: the check came out fine, or it is offered.
        (
            "my photos are missing on my new ipad, they show on iphone\nsame apple id yes\n",
            "Step 2 of 5",
            "Different Apple",
        ),
        (
            "storage full on iphone\ndeleted some junk photos\n",
            "Is that a different problem?",
            "Step 1 of 5",
        ),
        // A count going down, then zero.
        (
            "waiting to upload 8 items on my iphone\nit moved to 3\nnow 0 😀\n",
            "Glad that's sorted",
            "didn't catch",
        ),
        (
            "iphone paused sync\nfixed?? no. still paused\n",
            "Step 2 of 5",
            "Did you mean",
        ),
        // A status its case's intent file says ends it: moving again.
        (
            "mac photos says paused at bottom of library\nclicked resume, now its says uploading 200 items\n",
            "Glad that's sorted",
            "Photos says “Uploading N Items”",
        ),
        // Typing the label of "Something else" is choosing it.
        (
            "photos not syncing between iphone and mac\nsomething else\n",
            "case for the support team",
            "Then tell me a bit more",
        ),
        ("hi\n", "Hi! Tell me what's wrong", "I can only help"),
        // Naming the service is no problem to answer.
        ("its for icloud\n", "Did you mean", "Step 1 of"),
        // A reading picked by typing, or none of them.
        (
            "photos not syncing between iphone and mac\nthe second one\n",
            "The steps differ by device",
            "didn't catch",
        ),
        (
            "photos not syncing between iphone and mac\nneither\n",
            "Then tell me a bit more",
            "didn't catch",
        ),
        // Before a reading or a device is picked, the question stays open.
        (
            "photos not syncing between iphone and mac\nim on mac actually\n",
            "Noted: Mac. Which of these is closest?",
            "no steps open",
        ),
        (
            "Unable to Upload 40 Items\ntried that, same thing\n",
            "Pick your device first",
            "no steps open",
        ),
        // A reading picked by a word of its title.
        (
            "photos not syncing between iphone and mac\nthe edits one\n",
            "\n\nEdits made on one device don't show on another\n",
            "Which of these is closest?",
        ),
        // The device question not understood is asked again, said
        // another way, with its choices; a platform without steps is told
        // so.
        (
            "Unable to Upload 40 Items\nboth\n",
            "Which device shows the problem?",
            "didn't catch",
        ),
        (
            "Unable to Upload 40 Items\nwhat do you mean\n",
            "Which device shows the problem?",
            "didn't catch",
        ),
        (
            "Unable to Upload 40 Items\nits an android\n",
            "I only have steps for iPhone/iPad and Mac here",
            "didn't catch",
        ),
        // A step the asker has done already is passed over when reached,
        // and said so; one they have not done is not.
        (
            "Syncing Paused on my iphone\nlow power mode is already off\nnext\n",
            "Skipping step 3 (“Turn Low Power Mode off: Settings > Battery",
            "Step 3 of 5",
        ),
        (
            "Syncing Paused on my iphone\ni havent tried low power mode yet\nnext\nnext\n",
            "Step 3 of 5",
            "Skipping",
        ),
        // The fix named in words credits the step it names, shown
        // earlier, not the one on screen; a plain verdict credits the one
        // on screen.
        (
            "some photos disappeared from my iphone\nnext\nnext\nnext\nfound them in hidden!\n",
            "step 2 did it",
            "step 4 did it",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nnext\nnext\nnext\nok the wifi thing worked after all\n",
            "step 1 did it",
            "Step 5 of 6",
        ),
        // A fix no step names, or one not shown yet: noted, no step
        // credited.
        (
            "Syncing Paused on my iphone\nnext\nrestarting fixed it\n",
            "I've noted it as fixed.",
            "step 2 did it",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nnext\nomg ok it was the ipad, icloud photos was off there. turned it on and theyre coming in now\n",
            "I've noted it as fixed.",
            "step 2 did it",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nit finished by itself overnight 👍\n",
            "I've noted it as fixed.",
            "step 1 did it",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nshow all\nrestarting worked\n",
            "step 6 did it",
            "Which step did it?",
        ),
        (
            "Waiting to Upload 57 Items on my iphone\nnext\nnext\nthat fixed it, photos uploading now\n",
            "step 3 did it",
            "step 1 did it",
        ),
        // Sarcasm is no fix.
        (
            "Waiting to Upload 57 Items on my iphone\nwow great help, totally fixed 🙄\n",
            "Step 2 of 6 · iPhone/iPad",
            "did it",
        ),
    ];
    for (script, shows, never) in table {
        let out = run_with_input(syncmedic(repo()).arg("chat"), script);
        let text = stdout(&out);
        assert!(text.contains(shows), "{script:?}:\n{text}");
        assert!(!text.contains(never), "{script:?}:\n{text}");
    }
}
