//! The words the follow-up rules read, as tables: which phrase means
//! what, what negates or qualifies it, and how far each reaches. The rules
//! (`super`) only look words up here, so a phrase is added, or its
//! meaning changed, in one place and tested as a row.

use super::FollowUp;

/// Phrases found anywhere in the message. A message may hold several:
/// the last verdict on the step (fixed, or still stuck) counts, as people
/// tell what they tried in order and end with how it stands ("that didn't
/// work, but restarting fixed it"); a request (next, show all) counts
/// only without a verdict.
pub(super) const PHRASES: &[(&str, FollowUp)] = &[
    ("that fixed it", FollowUp::Fixed),
    ("fixed it", FollowUp::Fixed),
    ("its fixed", FollowUp::Fixed),
    ("that worked", FollowUp::Fixed),
    ("it worked", FollowUp::Fixed),
    ("that did it", FollowUp::Fixed),
    ("that did the trick", FollowUp::Fixed),
    ("works now", FollowUp::Fixed),
    ("working now", FollowUp::Fixed),
    ("its working", FollowUp::Fixed),
    ("all good now", FollowUp::Fixed),
    ("problem solved", FollowUp::Fixed),
    ("syncing again", FollowUp::Fixed),
    ("uploading again", FollowUp::Fixed),
    ("fixed", FollowUp::Fixed),
    ("worked", FollowUp::Fixed),
    ("solved it", FollowUp::Fixed),
    ("showing up now", FollowUp::Fixed),
    ("all there now", FollowUp::Fixed),
    ("syncing now", FollowUp::Fixed),
    ("its syncing", FollowUp::Fixed),
    ("uploading now", FollowUp::Fixed),
    ("started uploading", FollowUp::Fixed),
    ("started syncing", FollowUp::Fixed),
    ("it synced", FollowUp::Fixed),
    ("synced now", FollowUp::Fixed),
    ("all synced", FollowUp::Fixed),
    ("everythings synced", FollowUp::Fixed),
    ("showed up", FollowUp::Fixed),
    ("coming in now", FollowUp::Fixed),
    ("theyre coming in", FollowUp::Fixed),
    ("it works", FollowUp::Fixed),
    ("done uploading", FollowUp::Fixed),
    ("done syncing", FollowUp::Fixed),
    // Found where the step said to look ("in the hidden album"); "found
    // it" alone is as often the setting the step named.
    ("in hidden", FollowUp::Fixed),
    ("in the hidden", FollowUp::Fixed),
    ("in recently deleted", FollowUp::Fixed),
    ("restored them", FollowUp::Fixed),
    ("unhid them", FollowUp::Fixed),
    ("all done", FollowUp::Fixed),
    ("its finished", FollowUp::Fixed),
    ("it finished", FollowUp::Fixed),
    ("finished uploading", FollowUp::Fixed),
    ("finished syncing", FollowUp::Fixed),
    ("sees them", FollowUp::Fixed),
    ("see them now", FollowUp::Fixed),
    ("can see them", FollowUp::Fixed),
    ("downloading now", FollowUp::Fixed),
    ("resumed", FollowUp::Fixed),
    ("got it working", FollowUp::Fixed),
    ("sharper now", FollowUp::Fixed),
    ("sharp now", FollowUp::Fixed),
    ("fine now", FollowUp::Fixed),
    ("it started", FollowUp::Fixed),
    ("its done", FollowUp::Fixed),
    // Later than "its done" in "its done nothing", so it counts.
    ("done nothing", FollowUp::StillStuck),
    ("was it", FollowUp::Fixed),
    ("got it to work", FollowUp::Fixed),
    ("got it syncing", FollowUp::Fixed),
    ("it uploaded", FollowUp::Fixed),
    ("they uploaded", FollowUp::Fixed),
    ("copy uploaded", FollowUp::Fixed),
    ("all uploaded", FollowUp::Fixed),
    ("got them back", FollowUp::Fixed),
    ("recovered them", FollowUp::Fixed),
    ("recovered all", FollowUp::Fixed),
    ("recovered everything", FollowUp::Fixed),
    ("it is work now", FollowUp::Fixed),
    ("it work now", FollowUp::Fixed),
    ("its work now", FollowUp::Fixed),
    ("theyre back", FollowUp::Fixed),
    ("they are back", FollowUp::Fixed),
    ("its going now", FollowUp::Fixed),
    ("going again", FollowUp::Fixed),
    ("its uploading", FollowUp::Fixed),
    ("running again", FollowUp::Fixed),
    ("it resumed", FollowUp::Fixed),
    ("still stuck", FollowUp::StillStuck),
    ("still not", FollowUp::StillStuck),
    ("still the same", FollowUp::StillStuck),
    ("still nothing", FollowUp::StillStuck),
    ("still doesnt", FollowUp::StillStuck),
    ("still broken", FollowUp::StillStuck),
    ("still waiting", FollowUp::StillStuck),
    ("still says", FollowUp::StillStuck),
    ("still shows", FollowUp::StillStuck),
    ("then stopped", FollowUp::StillStuck),
    ("and stopped", FollowUp::StillStuck),
    ("stopped uploading", FollowUp::StillStuck),
    ("stopped syncing", FollowUp::StillStuck),
    ("fixed nothing", FollowUp::StillStuck),
    ("for some", FollowUp::StillStuck),
    ("only some", FollowUp::StillStuck),
    ("for half", FollowUp::StillStuck),
    ("only half", FollowUp::StillStuck),
    ("froze", FollowUp::StillStuck),
    ("paused again", FollowUp::StillStuck),
    ("doing it again", FollowUp::StillStuck),
    ("spoke too soon", FollowUp::StillStuck),
    ("whole time", FollowUp::StillStuck),
    ("all along", FollowUp::StillStuck),
    ("didnt help", FollowUp::StillStuck),
    ("didnt work", FollowUp::StillStuck),
    ("didnt fix", FollowUp::StillStuck),
    ("did not help", FollowUp::StillStuck),
    ("did not work", FollowUp::StillStuck),
    ("did not fix", FollowUp::StillStuck),
    ("doesnt help", FollowUp::StillStuck),
    ("doesnt work", FollowUp::StillStuck),
    ("not working", FollowUp::StillStuck),
    ("nothing worked", FollowUp::StillStuck),
    ("nothing helped", FollowUp::StillStuck),
    ("already tried", FollowUp::StillStuck),
    ("stopped again", FollowUp::StillStuck),
    ("stuck again", FollowUp::StillStuck),
    ("frozen again", FollowUp::StillStuck),
    ("broke again", FollowUp::StillStuck),
    ("not fixed", FollowUp::StillStuck),
    ("does not work", FollowUp::StillStuck),
    ("wont work", FollowUp::StillStuck),
    ("did that already", FollowUp::StillStuck),
    ("tried it", FollowUp::StillStuck),
    ("no luck", FollowUp::StillStuck),
    ("no change", FollowUp::StillStuck),
    ("nothing changed", FollowUp::StillStuck),
    ("same problem", FollowUp::StillStuck),
    ("same thing", FollowUp::StillStuck),
    ("thanks for nothing", FollowUp::StillStuck),
    ("nothing happened", FollowUp::StillStuck),
    ("nothing happens", FollowUp::StillStuck),
    ("nope", FollowUp::StillStuck),
    ("yeah right", FollowUp::StillStuck),
    ("sure it did", FollowUp::StillStuck),
    ("said no one ever", FollowUp::StillStuck),
    ("its back to", FollowUp::StillStuck),
    ("back to #", FollowUp::StillStuck),
    ("back to waiting", FollowUp::StillStuck),
    ("back up to", FollowUp::StillStuck),
    // Later than "its back to" in "its back to normal", so it counts.
    ("back to normal", FollowUp::Fixed),
    ("stuck there", FollowUp::StillStuck),
    ("stuck at", FollowUp::StillStuck),
    ("still at", FollowUp::StillStuck),
    ("still #", FollowUp::StillStuck),
    ("it didnt", FollowUp::StillStuck),
    ("didnt change", FollowUp::StillStuck),
    ("again nothing", FollowUp::StillStuck),
    ("nothing again", FollowUp::StillStuck),
    ("useless", FollowUp::StillStuck),
    ("even worse", FollowUp::StillStuck),
    ("not helping", FollowUp::StillStuck),
    ("still full", FollowUp::StillStuck),
    ("still slow", FollowUp::StillStuck),
    ("still cant", FollowUp::StillStuck),
    ("still blurry", FollowUp::StillStuck),
    ("still half", FollowUp::StillStuck),
    ("still paused", FollowUp::StillStuck),
    ("still missing", FollowUp::StillStuck),
    ("still empty", FollowUp::StillStuck),
    ("still failing", FollowUp::StillStuck),
    ("still gone", FollowUp::StillStuck),
    ("still no", FollowUp::StillStuck),
    ("and still", FollowUp::StillStuck),
    ("nothing new", FollowUp::StillStuck),
    ("any difference", FollowUp::StillStuck),
    ("no difference", FollowUp::StillStuck),
    ("didnt upload", FollowUp::StillStuck),
    ("didnt sync", FollowUp::StillStuck),
    ("didnt show", FollowUp::StillStuck),
    ("not there", FollowUp::StillStuck),
    ("not in there", FollowUp::StillStuck),
    ("isnt there", FollowUp::StillStuck),
    ("arent there", FollowUp::StillStuck),
    ("slowly", FollowUp::Progress),
    ("its slow", FollowUp::Progress),
    ("going slow", FollowUp::Progress),
    ("moving slow", FollowUp::Progress),
    ("not done", FollowUp::Later),
    ("working on it", FollowUp::Later),
    ("afk", FollowUp::Later),
    ("never mind", FollowUp::Later),
    ("nvm", FollowUp::Later),
    ("deal with it later", FollowUp::Later),
    ("# per", FollowUp::Progress),
    ("already checked", FollowUp::RuledOut),
    ("already on", FollowUp::RuledOut),
    ("already off", FollowUp::RuledOut),
    ("not full", FollowUp::RuledOut),
    ("isnt full", FollowUp::RuledOut),
    ("has room", FollowUp::RuledOut),
    ("# free", FollowUp::RuledOut),
    ("gb free", FollowUp::RuledOut),
    ("on already", FollowUp::RuledOut),
    ("not hot", FollowUp::RuledOut),
    ("isnt hot", FollowUp::RuledOut),
    ("theyre fine", FollowUp::RuledOut),
    ("they open", FollowUp::RuledOut),
    ("open fine", FollowUp::RuledOut),
    ("on wifi", FollowUp::RuledOut),
    ("same apple id", FollowUp::RuledOut),
    ("same account", FollowUp::RuledOut),
    ("same id", FollowUp::RuledOut),
    ("is ticked", FollowUp::RuledOut),
    ("its ticked", FollowUp::RuledOut),
    ("its signed in", FollowUp::RuledOut),
    ("im signed in", FollowUp::RuledOut),
    ("been an hour", FollowUp::StillStuck),
    ("been hours", FollowUp::StillStuck),
    ("been a day", FollowUp::StillStuck),
    ("been days", FollowUp::StillStuck),
    ("been all day", FollowUp::StillStuck),
    ("been all night", FollowUp::StillStuck),
    ("been open all night", FollowUp::StillStuck),
    ("been # days", FollowUp::StillStuck),
    ("been # hours", FollowUp::StillStuck),
    ("been # weeks", FollowUp::StillStuck),
    ("still only", FollowUp::StillStuck),
    ("been a while", FollowUp::StillStuck),
    ("went down", FollowUp::Progress),
    ("going down", FollowUp::Progress),
    ("goes down", FollowUp::Progress),
    ("counting down", FollowUp::Progress),
    ("its moving", FollowUp::Progress),
    ("moving now", FollowUp::Progress),
    ("making progress", FollowUp::Progress),
    ("some progress", FollowUp::Progress),
    ("dropped to", FollowUp::Progress),
    ("moved to", FollowUp::Progress),
    ("went from", FollowUp::Progress),
    ("in an hour", FollowUp::Progress),
    ("down to", FollowUp::Progress),
    ("im online", FollowUp::RuledOut),
    ("its online", FollowUp::RuledOut),
    ("im connected", FollowUp::RuledOut),
    ("its connected", FollowUp::RuledOut),
    ("connected to wifi", FollowUp::RuledOut),
    ("im on wifi", FollowUp::RuledOut),
    ("its on wifi", FollowUp::RuledOut),
    ("next step", FollowUp::Next),
    ("whats next", FollowUp::Next),
    ("what next", FollowUp::Next),
    ("then what", FollowUp::Next),
    ("what now", FollowUp::Next),
    ("done that", FollowUp::Next),
    // The step done, without yet a word on whether it helped: on to the
    // next, as with "done"; "That fixed it" stays on the buttons.
    ("i restarted", FollowUp::Next),
    ("restarted it", FollowUp::Next),
    ("restarted my", FollowUp::Next),
    ("rebooted", FollowUp::Next),
    ("plugged it in", FollowUp::Next),
    ("plugged in", FollowUp::Next),
    ("its charging", FollowUp::Next),
    ("charging now", FollowUp::Next),
    ("turned it off", FollowUp::Next),
    ("turned it on", FollowUp::Next),
    ("turned off", FollowUp::Next),
    ("turned on", FollowUp::Next),
    ("switched it off", FollowUp::Next),
    ("switched off", FollowUp::Next),
    ("signed out", FollowUp::Next),
    ("signed back in", FollowUp::Next),
    ("logged out", FollowUp::Next),
    ("ive done", FollowUp::Next),
    ("done", FollowUp::Next),
    ("restarted", FollowUp::Next),
    ("updated", FollowUp::Next),
    ("exported", FollowUp::Next),
    ("duplicated", FollowUp::Next),
    ("reopened", FollowUp::Next),
    ("force quit", FollowUp::Next),
    ("accepted", FollowUp::Next),
    ("on power", FollowUp::Next),
    ("charging", FollowUp::Next),
    ("went up", FollowUp::Next),
    ("went to", FollowUp::Next),
    ("its full", FollowUp::Next),
    ("and now", FollowUp::Next),
    ("found it", FollowUp::Next),
    ("found them", FollowUp::Next),
    ("on charger", FollowUp::Next),
    ("on the charger", FollowUp::Next),
    ("signed in", FollowUp::Next),
    ("doing it", FollowUp::Later),
    ("doing that", FollowUp::Later),
    ("# sec", FollowUp::Later),
    ("ill wait", FollowUp::Later),
    ("will wait", FollowUp::Later),
    ("ill leave it", FollowUp::Later),
    ("i tapped", FollowUp::Next),
    ("tapped it", FollowUp::Next),
    ("i pressed", FollowUp::Next),
    ("pressed it", FollowUp::Next),
    ("i clicked", FollowUp::Next),
    ("clicked it", FollowUp::Next),
    ("upgraded", FollowUp::Next),
    ("bought more", FollowUp::Next),
    // The step does not apply ("there's no resume button"): the next.
    ("theres no", FollowUp::Next),
    ("there is no", FollowUp::Next),
    ("dont have that", FollowUp::Next),
    ("will try", FollowUp::Later),
    ("ill try", FollowUp::Later),
    ("trying now", FollowUp::Later),
    ("trying that", FollowUp::Later),
    ("let me try", FollowUp::Later),
    ("give me a", FollowUp::Later),
    ("one sec", FollowUp::Later),
    ("one moment", FollowUp::Later),
    ("hold on", FollowUp::Later),
    ("brb", FollowUp::Later),
    ("show all", FollowUp::ShowAll),
    ("all the steps", FollowUp::ShowAll),
    ("all steps", FollowUp::ShowAll),
    ("show me everything", FollowUp::ShowAll),
    ("show everything", FollowUp::ShowAll),
    ("thanks", FollowUp::Thanks),
    ("thank you", FollowUp::Thanks),
    ("thank u", FollowUp::Thanks),
    ("thx", FollowUp::Thanks),
    ("tysm", FollowUp::Thanks),
    ("makes sense", FollowUp::Thanks),
    ("got it", FollowUp::Thanks),
    ("none of these", FollowUp::NoneFit),
    ("none of them", FollowUp::NoneFit),
    ("neither", FollowUp::NoneFit),
    ("something else", FollowUp::SomethingElse),
    ("u there", FollowUp::Hello),
    ("you there", FollowUp::Hello),
    ("anyone there", FollowUp::Hello),
    ("talk to human", FollowUp::Person),
    ("actual human", FollowUp::Person),
    ("human being", FollowUp::Person),
    ("live agent", FollowUp::Person),
    ("live person", FollowUp::Person),
    ("someone from support", FollowUp::Person),
    ("someone from the team", FollowUp::Person),
    ("anyone from the team", FollowUp::Person),
    ("connect me to", FollowUp::Person),
    ("talk to staff", FollowUp::Person),
    ("talk to support", FollowUp::Person),
    ("speak to support", FollowUp::Person),
    ("speak with", FollowUp::Person),
    ("talk with", FollowUp::Person),
    ("a mod", FollowUp::Person),
    ("a moderator", FollowUp::Person),
    ("give up", FollowUp::Person),
    // Not "a person" or "an agent" alone: "photos of a person are gone",
    // "restarted the photo library agent".
    ("for a person", FollowUp::Person),
    ("get me a person", FollowUp::Person),
    ("get me an agent", FollowUp::Person),
    ("need an agent", FollowUp::Person),
    ("want an agent", FollowUp::Person),
    ("speak to human", FollowUp::Person),
    ("human pls", FollowUp::Person),
    ("human please", FollowUp::Person),
    ("talk to someone", FollowUp::Person),
    ("talk to somebody", FollowUp::Person),
    ("talk to a person", FollowUp::Person),
    ("talk to a human", FollowUp::Person),
    ("speak to someone", FollowUp::Person),
    ("speak to somebody", FollowUp::Person),
    ("speak to a person", FollowUp::Person),
    ("speak to a human", FollowUp::Person),
    ("real person", FollowUp::Person),
    ("someone real", FollowUp::Person),
    ("somebody real", FollowUp::Person),
    ("get me someone", FollowUp::Person),
    ("get me somebody", FollowUp::Person),
    ("bot is useless", FollowUp::Person),
    ("youre useless", FollowUp::Person),
    ("you are useless", FollowUp::Person),
    ("someone help", FollowUp::Person),
    ("somebody help", FollowUp::Person),
    ("someone look", FollowUp::Person),
    ("escalate", FollowUp::Person),
    ("a human", FollowUp::Person),
    ("need a person", FollowUp::Person),
    ("want a person", FollowUp::Person),
];

/// Words that turn "fixed" around when they come shortly before it: "none
/// of this fixed it", "not working now", "i dont think it worked". A case
/// closed as solved when it was not would also teach the statistics a step
/// that never helped. "No" is not one: "no, it's working now" answers a
/// question.
pub(super) const NEGATIONS: &[&str] = &[
    "not", "none", "nothing", "never", "neither", "nor", "without", "didnt", "doesnt", "dont",
    "hasnt", "havent", "hadnt", "isnt", "wasnt", "arent", "werent", "cant", "cannot", "couldnt",
    "wont", "wouldnt",
];

/// Words that make "fixed" a wish or a question rather than news: "I wish
/// that fixed it", "how do I know if it's fixed".
pub(super) const DOUBTS: &[&str] = &[
    "wish",
    "thought",
    "hoped",
    "hope",
    "kinda",
    "kind",
    "sorta",
    "partly",
    "partially",
    "half",
    "almost",
    "nearly",
];

/// Words that make "fixed" a question however it is punctuated: "how do I
/// know if it's fixed": no verdict either way.
pub(super) const ASKING: &[&str] = &["if", "whether"];

/// Words that say a check came out fine: "low power mode is already off",
/// "plenty of iCloud storage".
pub(super) const RULED_OUT: &[&str] = &["already", "plenty"];

/// What a negation says is not so when a check came out fine: "storage
/// isn't full", "low power mode is not on". A negation before anything
/// else ("my videos won't upload", "albums are not showing") is a problem
/// told, not one ruled out.
pub(super) const STATES: &[&str] = &["full", "on", "enabled"];

/// What a step asks to check rather than the problem itself. That one of
/// them works ("safari worked fine", "internet is ok", "storage is fine")
/// is the check come out fine, not news that the photos sync: reading it
/// as "fixed" would close a case that is still stuck.
pub(super) const CHECKED: &[&str] = &[
    "internet",
    "youtube",
    "google",
    "wifi",
    "safari",
    "chrome",
    "browser",
    "page",
    "pages",
    "website",
    "websites",
    "site",
    "web",
    "connection",
    "signal",
    "storage",
    "space",
    "battery",
    "charger",
    "date",
    "clock",
    "account",
    "password",
];

/// Words that say a checked thing is fine.
pub(super) const FINE: &[&str] = &[
    "fine",
    "ok",
    "okay",
    "good",
    "great",
    "works",
    "worked",
    "working",
    "load",
    "loads",
    "loaded",
    "loading",
    "connected",
    "normal",
    "correct",
    "open",
    "opens",
];

/// How far after the checked thing its state may come ("the wifi here
/// is totally fine").
pub(super) const FINE_REACH: usize = 4;

/// Words that make the checked thing a change the asker made, whose
/// working is the fix: "switching to another wifi worked", "restarting
/// the router did it".
pub(super) const CHANGES: &[&str] = &[
    "another",
    "different",
    "other",
    "new",
    "switching",
    "switched",
    "changing",
    "changed",
    "turning",
    "restarting",
    "resetting",
    "toggling",
    "moving",
    "freeing",
    "cleared",
    "clearing",
];

/// Marks that say the opposite of what the words say ("wow, totally fixed
/// 🙄", "yeah right, that worked /s"): good news with one of them is no fix.
pub(super) const SARCASM: &[&str] = &[
    "🙄",
    "😒",
    "🙃",
    "🤡",
    "🤦",
    "yeah right",
    "sure it did",
    "said no one ever",
];

/// What a step may tell the asker to press or open, and the words that
/// say it is not there: "there's no resume button", "i don't see a hidden
/// album", "no such option on ios 15".
pub(super) const CONTROLS: &[&str] = &[
    "button", "option", "options", "setting", "album", "menu", "toggle", "switch", "tab",
];

pub(super) const LACKING: &[&str] = &["no", "dont", "cant", "isnt", "without", "missing", "theres"];

/// A clause of one of these words alone, after another, says the step
/// did nothing.
pub(super) const BARE_NO: &[&str] = &["nothing", "nope", "nada", "no"];

/// Words after "fixed", anywhere later in the reply, that take it back:
/// "it worked but only some uploaded", "that fixed it until this morning".
pub(super) const QUALIFIERS: &[&str] = &["but", "until"];

/// Words right after "fixed" in its clause that make it partial: "that
/// worked partially", "it worked kinda". Further on, or after a comma, they
/// are about something else ("worked like a charm, except i had to restart
/// it twice").
pub(super) const PARTIAL: &[&str] = &[
    "partially",
    "partly",
    "halfway",
    "kinda",
    "except",
    "some",
    "few",
    "half",
];

/// Words before good news that make it partial: "some of them showed up",
/// "only a few came back", "half of them are there now".
pub(super) const PARTIAL_BEFORE: &[&[&str]] = &[
    &["some", "of"],
    &["few", "of"],
    &["half", "of"],
    &["only", "some"],
    &["only", "a", "few"],
    &["only", "half"],
];

pub(super) const PARTIAL_REACH: usize = 2;

/// What follows a negation that then says something of the speaker, not of
/// the fix: "not gonna lie that fixed it", "can't believe that fixed it".
pub(super) const NOT_NEGATING: &[&str] = &["gonna", "believe", "lie", "lying", "kidding"];

/// How many words before a verdict a negation reaches ("i dont think
/// that actually fixed it", "not sure any of this really worked"), unless
/// a word that starts another clause comes first ("didnt work at first
/// but now its working").
pub(super) const NEGATION_REACH: usize = 7;

pub(super) const CLAUSE_STARTS: &[&str] = &["but", "now", "then", "so", "and", "finally"];

/// Words that steer only when they are the whole message ("no" inside a
/// sentence is not a verdict on the step).
pub(super) const WHOLE: &[(&str, FollowUp)] = &[
    ("fixed", FollowUp::Fixed),
    ("solved", FollowUp::Fixed),
    ("resolved", FollowUp::Fixed),
    ("sorted", FollowUp::Fixed),
    ("yes it worked", FollowUp::Fixed),
    ("useless", FollowUp::StillStuck),
    ("no", FollowUp::StillStuck),
    ("nope", FollowUp::StillStuck),
    ("nah", FollowUp::StillStuck),
    ("still", FollowUp::StillStuck),
    ("nothing", FollowUp::StillStuck),
    ("next", FollowUp::Next),
    ("next pls", FollowUp::Next),
    ("next please", FollowUp::Next),
    ("done", FollowUp::Next),
    ("ok done", FollowUp::Next),
    ("tried that", FollowUp::Next),
    ("did that", FollowUp::Next),
    ("ok did that", FollowUp::Next),
    ("thanks", FollowUp::Thanks),
    ("thank you", FollowUp::Thanks),
    ("thx", FollowUp::Thanks),
    ("ty", FollowUp::Thanks),
    ("ok", FollowUp::Thanks),
    ("ok thanks", FollowUp::Thanks),
    ("cool", FollowUp::Thanks),
    ("ya", FollowUp::Next),
    ("yes", FollowUp::Next),
    ("yep", FollowUp::Next),
    ("yeah", FollowUp::Next),
    ("plugged", FollowUp::Next),
    ("human", FollowUp::Person),
    ("person", FollowUp::Person),
    ("agent", FollowUp::Person),
    ("later", FollowUp::Later),
    ("hi", FollowUp::Hello),
    ("hello", FollowUp::Hello),
    ("hey", FollowUp::Hello),
    ("hi there", FollowUp::Hello),
    ("hey there", FollowUp::Hello),
    ("help", FollowUp::Hello),
    ("lol ok", FollowUp::Later),
    ("back", FollowUp::Hello),
    ("hmm", FollowUp::Later),
    ("hmmm", FollowUp::Later),
    ("lol", FollowUp::Later),
    ("k", FollowUp::Later),
    ("kk", FollowUp::Later),
    ("wait", FollowUp::Later),
    ("sec", FollowUp::Later),
    ("on it", FollowUp::Later),
];

/// Longer messages describe something; they are for the matcher.
pub(super) const MAX_TOKENS: usize = 10;

/// Words that open a question even without its mark.
pub(super) const QUESTION_WORDS: &[&str] = &[
    "how", "why", "what", "whats", "when", "where", "which", "who", "is", "are", "does", "do",
    "should", "can", "could", "will", "would", "am",
];

/// What a zero may count, and what may follow it, for `counted_down`.
pub(super) const ZERO_COUNTS: &[&str] = &["items", "item", "photos", "pics", "videos"];

pub(super) const ZERO_LEFT: &[&str] = &[
    "left",
    "remaining",
    "now",
    "to",
    "unable",
    "waiting",
    "pending",
    "thanks",
    "lol",
    "an",
    "a",
    "already",
    "finally",
    "since",
    "overnight",
    "today",
    "yesterday",
];

/// Words a reply that only says which device may hold besides the
/// device: "on my macbook, not the phone", "it's an iPad actually".
pub(super) const DEVICE_FILLERS: &[&str] = &[
    "on", "in", "my", "the", "a", "an", "its", "it", "is", "im", "i", "am", "using", "use", "not",
    "no", "actually", "sorry", "oh", "this", "that", "from", "with", "and", "but", "mean", "meant",
    "running", "just", "only", "ok", "okay", "yes", "yeah", "btw", "now", "#",
];

/// Platforms iCloud Photos has no steps here for: a reply naming one to
/// "which device?" is told so, not "I didn't catch that".
pub(super) const OTHER_PLATFORMS: &[&str] = &[
    "android",
    "samsung",
    "galaxy",
    "pixel",
    "chromebook",
    "chromeos",
    "linux",
    "ubuntu",
    "huawei",
    "xiaomi",
    "oneplus",
    "motorola",
];

/// Words that say a thing was done before the bot asked: "already off",
/// "tried restarting", "did the airplane mode thing", "checked wifi".
pub(super) const DONE_BEFORE: &[&str] = &[
    "already", "allready", "alredy", "tried", "did", "done", "checked",
];

/// Words that join two statements in one clause, each read on its own by
/// `done_before`.
pub(super) const JOINS: &[&str] = &["and", "but", "also", "plus", "&"];

/// Words after a checked thing that make it a step's name: "the wifi
/// thing worked" is the fix, "the wifi worked" a check come out fine.
pub(super) const STEP_NOUNS: &[&str] =
    &["thing", "trick", "step", "one", "idea", "suggestion", "tip"];

/// Words that mark a clause as a remark beside the verdict: "that fixed
/// it, wifi is great btw" names no step that fixed it.
pub(super) const REMARKS: &[&str] = &["btw", "fyi", "also", "anyway", "anyways"];

/// Phrases that name the cause found: "it was the ipad", "turns out the
/// cable was loose", "that was the problem".
pub(super) const CAUSE_MARKS: &[&str] = &[
    "it was",
    "turns out",
    "turned out",
    "was the problem",
    "was the issue",
];
