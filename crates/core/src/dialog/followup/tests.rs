use super::*;
use crate::text::tokens;

fn said(text: &str) -> Said {
    Said::new(text, tokens)
}

fn f(text: &str) -> Option<FollowUp> {
    detect(&said(text))
}

#[test]
fn recognises_each_kind() {
    assert_eq!(f("That worked, thanks!"), Some(FollowUp::Fixed));
    assert_eq!(f("yep it's working now"), Some(FollowUp::Fixed));
    assert_eq!(f("still stuck"), Some(FollowUp::StillStuck));
    assert_eq!(f("nope"), Some(FollowUp::StillStuck));
    assert_eq!(f("didn't help"), Some(FollowUp::StillStuck));
    assert_eq!(f("ok done, what's next?"), Some(FollowUp::Next));
    assert_eq!(f("show all the steps"), Some(FollowUp::ShowAll));
    assert_eq!(f("thanks"), Some(FollowUp::Thanks));
}

/// What a message says of the step, told as people tell it: negated,
/// several verdicts in one message, a verdict beside a request.
#[test]
fn the_last_verdict_counts_and_a_negation_turns_fixed_around() {
    let table = [
        ("none of this fixed it", Some(FollowUp::StillStuck)),
        ("nothing fixed it", Some(FollowUp::StillStuck)),
        ("still not working now", Some(FollowUp::StillStuck)),
        ("its not working now", Some(FollowUp::StillStuck)),
        ("i dont think it worked", Some(FollowUp::StillStuck)),
        ("hasn't fixed it", Some(FollowUp::StillStuck)),
        ("didn't fix anything", Some(FollowUp::StillStuck)),
        ("useless, nothing worked", Some(FollowUp::StillStuck)),
        ("useless", Some(FollowUp::StillStuck)),
        (
            "I already tried all of those steps",
            Some(FollowUp::StillStuck),
        ),
        (
            "it worked for a minute then stopped again",
            Some(FollowUp::StillStuck),
        ),
        (
            "that didn't work, but restarting fixed it",
            Some(FollowUp::Fixed),
        ),
        ("didn't help, what's next?", Some(FollowUp::StillStuck)),
        ("no luck, show all the steps", Some(FollowUp::StillStuck)),
        ("no it's working now, thanks", Some(FollowUp::Fixed)),
        ("That worked, thanks!", Some(FollowUp::Fixed)),
        ("ok done, what's next?", Some(FollowUp::Next)),
        ("fixed?", None),
        // A question or a joke, not a verdict: the buttons are there.
        ("fixed it? lol no", None),
        ("I wish that fixed it", Some(FollowUp::StillStuck)),
        ("thought that fixed it but no", Some(FollowUp::StillStuck)),
        (
            "it worked but only some of them uploaded",
            Some(FollowUp::StillStuck),
        ),
        (
            "that fixed it until this morning",
            Some(FollowUp::StillStuck),
        ),
        ("not fixed", Some(FollowUp::StillStuck)),
        ("it's stuck again", Some(FollowUp::StillStuck)),
        ("tried it, nothing", Some(FollowUp::StillStuck)),
        ("tried it and it worked", Some(FollowUp::Fixed)),
        ("ok did that", Some(FollowUp::Next)),
        ("talk to someone", Some(FollowUp::Person)),
        (
            "this is useless, can I speak to a real person",
            Some(FollowUp::Person),
        ),
        ("can someone look at this", Some(FollowUp::Person)),
        ("this isn't working, get me a human", Some(FollowUp::Person)),
        (
            "what's next? or can I talk to someone",
            Some(FollowUp::Person),
        ),
        (
            "nope, spoke too soon, it's frozen again",
            Some(FollowUp::StillStuck),
        ),
        // Partly fixed is not fixed.
        ("that worked partially", Some(FollowUp::StillStuck)),
        ("some of them showed up", Some(FollowUp::StillStuck)),
        (
            "found them!! recovered all of them, thank god",
            Some(FollowUp::Fixed),
        ),
        ("thank you very much it is work now", Some(FollowUp::Fixed)),
        ("its been 2 days tho", Some(FollowUp::StillStuck)),
        ("still only 600", Some(FollowUp::StillStuck)),
        ("it's been open all night lol", Some(FollowUp::StillStuck)),
        ("it fixed a few of them", Some(FollowUp::StillStuck)),
        ("only a few came back", None),
        ("omg theyre coming in now", Some(FollowUp::Fixed)),
        ("this is not helping at all", Some(FollowUp::StillStuck)),
        ("that kinda worked", Some(FollowUp::StillStuck)),
        (
            "ok did that, still says waiting",
            Some(FollowUp::StillStuck),
        ),
        // Good news in other words.
        (
            "yep thats it, photos are showing up now",
            Some(FollowUp::Fixed),
        ),
        ("omg finally its syncing 🎉", Some(FollowUp::Fixed)),
        ("ok they're all there now", Some(FollowUp::Fixed)),
        ("worked lol", Some(FollowUp::Fixed)),
        ("solved it, you can close this", Some(FollowUp::Fixed)),
        ("it started uploading on its own lol", Some(FollowUp::Fixed)),
        ("nothing worked", Some(FollowUp::StillStuck)),
        ("thank you so much", Some(FollowUp::Thanks)),
        ("next pls", Some(FollowUp::Next)),
        ("can you just show me everything", Some(FollowUp::ShowAll)),
        // The second round of scripted conversations.
        ("it fixed nothing", Some(FollowUp::StillStuck)),
        (
            "i dont think that actually fixed it tbh",
            Some(FollowUp::StillStuck),
        ),
        (
            "it started syncing for a sec then stopped",
            Some(FollowUp::StillStuck),
        ),
        (
            "it worked kinda, half of them uploaded",
            Some(FollowUp::StillStuck),
        ),
        (
            "that worked for some of them lol",
            Some(FollowUp::StillStuck),
        ),
        (
            "nope. not sure that any of this really worked",
            Some(FollowUp::StillStuck),
        ),
        (
            "didnt work at first but now its working",
            Some(FollowUp::Fixed),
        ),
        ("ugh its paused again", Some(FollowUp::StillStuck)),
        (
            "spoke too soon 😩 its doing it again",
            Some(FollowUp::StillStuck),
        ),
        ("yay it works!!", Some(FollowUp::Fixed)),
        ("its done uploading finally", Some(FollowUp::Fixed)),
        (
            "omg they finally showed up on my mac",
            Some(FollowUp::Fixed),
        ),
        ("how do i know if its fixed", None),
        // The third round: real fixes with words the rules above use.
        (
            "it worked, some photos were already there anyway",
            Some(FollowUp::Fixed),
        ),
        ("that fixed it, nothing else needed", Some(FollowUp::Fixed)),
        (
            "fixed it!! half my library was stuck before lol",
            Some(FollowUp::Fixed),
        ),
        ("not gonna lie that fixed it", Some(FollowUp::Fixed)),
        (
            "cant believe that actually fixed it 😂",
            Some(FollowUp::Fixed),
        ),
        (
            "not sure which one did it, its working now",
            Some(FollowUp::Fixed),
        ),
        (
            "never thought wifi was the issue, that fixed it",
            Some(FollowUp::Fixed),
        ),
        ("is it fixed", None),
        ("that worked... NOT", Some(FollowUp::StillStuck)),
        (
            "wifi worked fine the whole time",
            Some(FollowUp::StillStuck),
        ),
        (
            "that worked, thanks, didnt expect it",
            Some(FollowUp::Fixed),
        ),
    ];
    for (text, expected) in table {
        assert_eq!(f(text), expected, "{text:?}");
    }
}

#[test]
fn a_check_that_came_out_fine_rules_a_cause_out() {
    let table = [
        ("icloud storage isn't full", true),
        ("low power mode is already off", true),
        ("I have plenty of icloud storage", true),
        ("my icloud storage is full", false),
        ("it says low power mode", false),
        ("my 4k videos won't upload", false),
        ("my shared albums are not showing on my ipad", false),
        ("low power mode is not on", true),
        (
            "not sure what else to try, my storage has been full for weeks and nothing uploads",
            false,
        ),
    ];
    for (text, expected) in table {
        assert_eq!(rules_out(&tokens(text)), expected, "{text:?}");
    }
}

/// The commonest reply to "open a web page to check you're online" is
/// that it loads: the check, which must neither close the case nor
/// leave the asker with "I didn't catch that".
#[test]
fn a_check_reported_fine_is_no_fix() {
    let table = [
        // "Tried it" already says the step did not do it.
        ("tried it, safari worked fine", Some(FollowUp::StillStuck)),
        ("safari worked fine", Some(FollowUp::RuledOut)),
        ("internet is fine", Some(FollowUp::RuledOut)),
        ("the page loads fine", Some(FollowUp::RuledOut)),
        ("wifi here is totally fine", Some(FollowUp::RuledOut)),
        ("storage is fine, what next", Some(FollowUp::RuledOut)),
        ("the date is correct", Some(FollowUp::RuledOut)),
        ("internet works now", Some(FollowUp::RuledOut)),
        // How the step went still counts over the check.
        ("wifi is fine but still stuck", Some(FollowUp::StillStuck)),
        (
            "internet is fine and its syncing now",
            Some(FollowUp::Fixed),
        ),
        // A change the asker made that worked is the fix.
        ("switching to another wifi worked", Some(FollowUp::Fixed)),
        ("restarting the router fixed it", Some(FollowUp::Fixed)),
        ("freeing up storage worked", Some(FollowUp::Fixed)),
        ("a different network worked", Some(FollowUp::Fixed)),
        // A step named by its subject that worked is the fix.
        ("ok the wifi thing worked after all", Some(FollowUp::Fixed)),
        ("the storage one worked", Some(FollowUp::Fixed)),
        ("yep, web pages open", Some(FollowUp::RuledOut)),
        ("yes I'm online", Some(FollowUp::RuledOut)),
        // A check that failed is a problem told, not a cause ruled out.
        ("safari won't load anything", None),
        ("i dont have wifi right now", None),
        ("not sure the wifi is ok", None),
        ("the internet is not working", Some(FollowUp::StillStuck)),
    ];
    for (text, expected) in table {
        assert_eq!(f(text), expected, "{text:?}");
    }
    assert_eq!(
        verdict(&said(
            "I opened safari on the phone and the web pages load fine, checked a few of them"
        )),
        Some(FollowUp::RuledOut)
    );
}

/// Replies that neither solve nor fail the step still mean something:
/// the step done, progress, or the asker off trying it.
#[test]
fn a_step_done_progress_or_a_moment_are_read() {
    let table = [
        ("ok i plugged it in", Some(FollowUp::Next)),
        ("i restarted my phone", Some(FollowUp::Next)),
        ("low power mode was on, turned it off", Some(FollowUp::Next)),
        ("it's charging now", Some(FollowUp::Next)),
        ("it went down to 40", Some(FollowUp::Progress)),
        ("the count is going down now", Some(FollowUp::Progress)),
        (
            "it went down to 40 then stopped",
            Some(FollowUp::StillStuck),
        ),
        ("ok trying that now", Some(FollowUp::Later)),
        ("give me a sec", Some(FollowUp::Later)),
        ("brb", Some(FollowUp::Later)),
        ("hmm", Some(FollowUp::Later)),
        ("it's been an hour", Some(FollowUp::StillStuck)),
        ("nope still 57", Some(FollowUp::StillStuck)),
        ("restarted it and it works now", Some(FollowUp::Fixed)),
        ("i tapped resume", Some(FollowUp::Next)),
        (
            "pressed resume and nothing happened",
            Some(FollowUp::StillStuck),
        ),
        ("pressed resume and its going now", Some(FollowUp::Fixed)),
        ("its going to take forever", None),
        ("there's no resume button", Some(FollowUp::Next)),
        ("i don't see a hidden album", Some(FollowUp::Next)),
        ("upgraded to 200gb", Some(FollowUp::Next)),
        ("found them in hidden!", Some(FollowUp::Fixed)),
        ("yes they were there, recovered them", Some(FollowUp::Fixed)),
        ("didn't find them in hidden", Some(FollowUp::StillStuck)),
        (
            "did the airplane thing, nothing",
            Some(FollowUp::StillStuck),
        ),
        ("fixed?? no. still paused", Some(FollowUp::StillStuck)),
        ("emptied it, still full", Some(FollowUp::StillStuck)),
        ("pulled to refresh, nothing new", Some(FollowUp::StillStuck)),
        ("checked in hidden, not there", Some(FollowUp::StillStuck)),
        ("now 0 😀", Some(FollowUp::Fixed)),
        (
            "ok now it says 0 items, all done!! thanks",
            Some(FollowUp::Fixed),
        ),
        ("still 0%", Some(FollowUp::StillStuck)),
        ("it moved to 3", Some(FollowUp::Progress)),
        (
            "its going really slow, like 10 per hour",
            Some(FollowUp::Progress),
        ),
        ("same apple id yes", Some(FollowUp::RuledOut)),
        ("icloud has 50gb free", Some(FollowUp::RuledOut)),
        ("its not hot at all", Some(FollowUp::RuledOut)),
        ("ended the task, reopened", Some(FollowUp::Next)),
        ("ya", Some(FollowUp::Next)),
        ("ok 1 sec", Some(FollowUp::Later)),
        ("got it working!", Some(FollowUp::Fixed)),
        ("ok got it, thx", Some(FollowUp::Thanks)),
        ("talk to human pls", Some(FollowUp::Person)),
        // A zero is good news only as the count left.
        ("down to 0 🎉", Some(FollowUp::Fixed)),
        ("now 0 items unable to upload", Some(FollowUp::Fixed)),
        (
            "down to 0 then back up to 57 wtf",
            Some(FollowUp::StillStuck),
        ),
        (
            "it said 0 for a sec then back to 57",
            Some(FollowUp::StillStuck),
        ),
        ("0 items uploaded in 3 hours", None),
        ("now 0 of 57 uploaded", None),
        (
            "nope, it got down to 0 an hour ago 🎉",
            Some(FollowUp::Fixed),
        ),
        ("i dont see any difference", Some(FollowUp::StillStuck)),
        ("it resumed... said no one ever", Some(FollowUp::StillStuck)),
        ("sure it did 🙃", Some(FollowUp::StillStuck)),
        ("wait no its back to waiting 12", Some(FollowUp::StillStuck)),
        ("its back to normal", Some(FollowUp::Fixed)),
        ("got them back to my phone", Some(FollowUp::Fixed)),
        ("ok i'll wait for a person then", Some(FollowUp::Person)),
        ("brb, actually just get me an agent", Some(FollowUp::Person)),
        ("photos of a person i love are gone", None),
        ("restarted the photo library agent", Some(FollowUp::Next)),
        ("now 0 items 🙄", Some(FollowUp::StillStuck)),
        ("not done yet lol", Some(FollowUp::Later)),
        ("working on it", Some(FollowUp::Later)),
        ("u there?", Some(FollowUp::Hello)),
        (
            "i want to talk to an actual human being",
            Some(FollowUp::Person),
        ),
        ("need a live agent", Some(FollowUp::Person)),
        (
            "can someone from support look at this please",
            Some(FollowUp::Person),
        ),
        (
            "this bot is useless, let me talk to staff",
            Some(FollowUp::Person),
        ),
        ("can a mod help me", Some(FollowUp::Person)),
        ("i give up", Some(FollowUp::Person)),
        (
            "this bot is useless get me someone real",
            Some(FollowUp::Person),
        ),
        ("just get me someone", Some(FollowUp::Person)),
        ("the resume button is useless", Some(FollowUp::StillStuck)),
        ("still slow", Some(FollowUp::StillStuck)),
        ("still can't find them", Some(FollowUp::StillStuck)),
        ("they're sharper now", Some(FollowUp::Fixed)),
        (
            "deleted the broken ones and it's fine now",
            Some(FollowUp::Fixed),
        ),
        (
            "i turned off low power mode and it started",
            Some(FollowUp::Fixed),
        ),
        ("its done nothing", Some(FollowUp::StillStuck)),
        ("step 2 was it", Some(FollowUp::Fixed)),
        ("was it deleted?", None),
        ("afk a sec", Some(FollowUp::Later)),
        ("never mind i'll deal with it later", Some(FollowUp::Later)),
        ("back", Some(FollowUp::Hello)),
        ("the error is still there", None),
        ("slow internet here tbh", None),
        (
            "down to 1 but stuck there for 2 days",
            Some(FollowUp::StillStuck),
        ),
        ("i dont see my photos anymore on the phone", None),
        (
            "turned it off and on, still stuck",
            Some(FollowUp::StillStuck),
        ),
    ];
    for (text, expected) in table {
        assert_eq!(f(text), expected, "{text:?}");
    }
}

/// The matcher's speller mends towards the knowledge base's words; the
/// words these rules read must be kept as written (`knows`), or "it
/// resumed" reads "it resume" and no phrase matches.
#[test]
fn the_rules_words_are_known() {
    for word in [
        "resumed",
        "ticked",
        "partly",
        "sorta",
        "lie",
        "hoped",
        "everythings",
    ] {
        assert!(knows(word), "{word}");
    }
    assert!(!knows("photos") && !knows("waitng"));
}

#[test]
fn sarcasm_is_no_fix() {
    let table = [
        (
            "wow great help, totally fixed 🙄",
            Some(FollowUp::StillStuck),
        ),
        ("yeah that fixed it /s", Some(FollowUp::StillStuck)),
        ("yeah right, it worked", Some(FollowUp::StillStuck)),
        ("fixed 🙃", Some(FollowUp::StillStuck)),
        ("thanks for nothing", Some(FollowUp::StillStuck)),
        ("that fixed it 🙂", Some(FollowUp::Fixed)),
        ("yeah it worked, thanks!", Some(FollowUp::Fixed)),
    ];
    for (text, expected) in table {
        assert_eq!(f(text), expected, "{text:?}");
    }
}

/// Longer replies are read for a verdict only, and only the matcher's
/// silence asks for it (see `turn::typed`).
#[test]
fn a_longer_reply_gives_its_verdict_and_nothing_else() {
    let v = |text: &str| verdict(&said(text));
    let table = [
        (
            "tried that and restarted twice, waited an hour, and it's still stuck at 312",
            Some(FollowUp::StillStuck),
        ),
        (
            "ok so I did the restart and waited like twenty minutes and that fixed it, thank you so much",
            Some(FollowUp::Fixed),
        ),
        (
            "I did everything you said and restarted and none of this fixed it at all",
            Some(FollowUp::StillStuck),
        ),
        (
            "worked like a charm, except i had to restart it twice lol",
            Some(FollowUp::Fixed),
        ),
        (
            "the old ones showed up, the new ones from today didnt",
            Some(FollowUp::StillStuck),
        ),
        (
            "I restarted my phone and waited for a long time, can I talk to a human about it",
            None,
        ),
        (
            "ok done, what's next? I restarted everything twice now and the phone too",
            None,
        ),
    ];
    for (text, expected) in table {
        assert_eq!(v(text), expected, "{text:?}");
        assert!(tokens(text).len() > MAX_TOKENS, "{text:?} is long");
    }
}

#[test]
fn a_reply_may_say_only_which_device() {
    let table = [
        ("on my macbook not the phone", true),
        ("it's an iPad actually", true),
        ("iphone 14 pro max", true),
        ("sorry, I meant the mac", true),
        ("photos missing on my mac", false),
        ("ok", false),
        ("my mac says paused", false),
    ];
    for (text, expected) in table {
        assert_eq!(names_only_a_device(&tokens(text)), expected, "{text:?}");
    }
}

#[test]
fn a_reply_may_name_the_step_that_did_it() {
    let table = [
        ("step 5 fixed it", Some(5)),
        ("Step #3 did the trick", Some(3)),
        ("step three worked", Some(3)),
        ("the 2nd step fixed it", Some(2)),
        ("the fourth step did it, thanks", Some(4)),
        ("the 2nd one fixed it", Some(2)),
        ("the second one worked", Some(2)),
        ("that fixed it", None),
        ("step it up", None),
        ("fixed it after 5 minutes", None),
        ("step 0 worked", None),
        ("step 18446744073709551616 worked", None),
        ("step 2 didnt do anything but step 4 fixed it", Some(4)),
        ("that worked! skipped step 1 tho", None),
        ("that worked, first one that actually helped lol", None),
    ];
    for (text, expected) in table {
        assert_eq!(step_named(text), expected, "{text:?}");
    }
    for (answer, expected) in [
        ("3", Some(3)),
        ("#3", Some(3)),
        ("number 2 i think", Some(2)),
        ("2 i think", Some(2)),
        ("the one about low power mode", None),
        ("i restarted 3 times and waited 20 minutes", None),
        ("it took 3 hours", None),
        ("probably 3 lol", Some(3)),
    ] {
        assert_eq!(step_answer(answer), expected, "{answer:?}");
    }
}

#[test]
fn ignores_descriptions_and_words_inside_sentences() {
    assert_eq!(f("no photos have uploaded since monday"), None);
    assert_eq!(f("it says waiting to upload"), None);
    assert_eq!(
        f(&"still stuck ".repeat(10)),
        None,
        "too long to be a follow-up"
    );
}

#[test]
fn a_typed_pick_names_one_of_the_readings() {
    let table = [
        ("2", Some(2)),
        ("the first one", Some(1)),
        ("2nd", Some(2)),
        ("the second one", Some(2)),
        ("option 3", Some(3)),
        ("number 1 pls", Some(1)),
        ("the last one", Some(3)),
        ("one", Some(1)),
        ("4", None),
        ("0", None),
        ("1 and 2", None),
        ("it took 2 hours", None),
        ("my iphone 12", None),
        ("2nd one but im on the mac", Some(2)),
        ("the middle one", Some(2)),
    ];
    for (text, expected) in table {
        assert_eq!(pick_named(text, 3), expected, "{text:?}");
    }
    assert_eq!(f("none of these"), Some(FollowUp::NoneFit));
    assert_eq!(f("neither"), Some(FollowUp::NoneFit));
}

#[test]
fn a_pick_by_a_word_of_one_title() {
    let titles = [
        "Wrong date, time or time zone mixing up sync and order",
        "Wi-Fi, VPN, firewall or slow internet blocking sync",
        "iCloud or device storage is full",
    ];
    let table = [
        ("the date one", Some(1)),
        ("the one about the time zone", Some(1)),
        ("dates", Some(1)),
        ("the wifi one", Some(2)),
        ("vpn", Some(2)),
        ("storage", Some(3)),
        ("i meant the storage thing", Some(3)),
        // In two titles, or in none: no pick.
        ("the sync one", None),
        ("the photos one", None),
        ("", None),
        ("the one", None),
        // The problem told again is the matcher's to read.
        ("my icloud storage is full and photos wont upload", None),
        ("date", Some(1)),
        ("dat", None),
        // Not a pick: taken back, two titles, a word in two titles.
        ("not the date one", None),
        ("maybe the date one or the wifi one", None),
        ("the date sync one", None),
    ];
    for (text, expected) in table {
        assert_eq!(pick_titled(text, &titles), expected, "{text:?}");
    }
}

#[test]
fn the_clauses_that_may_say_what_fixed_it() {
    let table: [(&str, &[&str]); 4] = [
        (
            "that fixed it, the storage was fine btw",
            &["that fixed it"],
        ),
        ("that fixed it, wifi is great btw", &["that fixed it"]),
        (
            "ok i bought the 200gb plan, its uploading now",
            &["ok i bought the # gb plan", "its uploading now"],
        ),
        ("found them in hidden!", &["found them in hidden"]),
    ];
    for (text, expected) in table {
        let clauses: Vec<String> = said(text)
            .fix_clauses()
            .iter()
            .map(|c| c.join(" "))
            .collect();
        assert_eq!(clauses, expected, "{text:?}");
    }
    assert!(said("it finished by itself overnight 👍").by_itself());
    assert!(said("sorted itself out").by_itself());
    assert!(said("it came back on its own").by_itself());
    assert!(!said("the resume button did it").by_itself());
    assert!(said("omg ok it was the ipad, icloud photos was off there").names_a_cause());
    assert!(said("turns out the cable was loose").names_a_cause());
    assert!(!said("that fixed it, photos uploading now").names_a_cause());
}

#[test]
fn a_reading_talked_about_is_no_pick() {
    for (text, expected) in [
        ("not the edits one", true),
        ("maybe the date one or the syncing one", true),
        // Asked only once the picks found none ("the edits one" is one).
        ("the sync thing", false),
        ("not sure", false),
        ("option 2 not 3", true),
        ("the sync one", true),
        ("i have one photo missing", false),
    ] {
        assert_eq!(hedged_pick(text), expected, "{text:?}");
    }
}
