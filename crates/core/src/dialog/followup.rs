//! Short replies inside a conversation that steer it rather than describe a
//! problem: "that worked", "still stuck", "next".

/// What a follow-up message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    Fixed,
    StillStuck,
    Next,
    ShowAll,
    Thanks,
    /// A person, asked for in words rather than with the button.
    Person,
    /// The step's check came out fine ("the internet is fine", "safari
    /// loads pages"): that cause is ruled out, and the step did not fix
    /// anything, so the next one.
    RuledOut,
    /// It moves but is not through ("it went down to 40", "the count is
    /// going down"): neither solved nor stuck, so no step is judged yet.
    Progress,
    /// The asker is off trying it ("ok trying that now", "brb"): nothing
    /// to say until they are back.
    Later,
}

/// Phrases found anywhere in the message. A message may hold several:
/// the last verdict on the step (fixed, or still stuck) counts, as people
/// tell what they tried in order and end with how it stands ("that didn't
/// work, but restarting fixed it"); a request (next, show all) counts
/// only without a verdict.
const PHRASES: &[(&str, FollowUp)] = &[
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
    ("it works", FollowUp::Fixed),
    ("done uploading", FollowUp::Fixed),
    ("done syncing", FollowUp::Fixed),
    ("found them", FollowUp::Fixed),
    ("found it", FollowUp::Fixed),
    ("got them back", FollowUp::Fixed),
    ("recovered them", FollowUp::Fixed),
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
    ("still at", FollowUp::StillStuck),
    ("been an hour", FollowUp::StillStuck),
    ("been hours", FollowUp::StillStuck),
    ("been a day", FollowUp::StillStuck),
    ("been days", FollowUp::StillStuck),
    ("been all day", FollowUp::StillStuck),
    ("been all night", FollowUp::StillStuck),
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
    ("dont see", FollowUp::Next),
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
    ("talk to someone", FollowUp::Person),
    ("talk to somebody", FollowUp::Person),
    ("talk to a person", FollowUp::Person),
    ("talk to a human", FollowUp::Person),
    ("speak to someone", FollowUp::Person),
    ("speak to somebody", FollowUp::Person),
    ("speak to a person", FollowUp::Person),
    ("speak to a human", FollowUp::Person),
    ("real person", FollowUp::Person),
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
const NEGATIONS: &[&str] = &[
    "not", "none", "nothing", "never", "neither", "nor", "without", "didnt", "doesnt", "dont",
    "hasnt", "havent", "hadnt", "isnt", "wasnt", "arent", "werent", "cant", "cannot", "couldnt",
    "wont", "wouldnt",
];

/// Words that make "fixed" a wish or a question rather than news: "I wish
/// that fixed it", "how do I know if it's fixed".
const DOUBTS: &[&str] = &[
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
const ASKING: &[&str] = &["if", "whether"];

/// Words that say a check came out fine: "low power mode is already off",
/// "plenty of iCloud storage".
const RULED_OUT: &[&str] = &["already", "plenty"];

/// What a negation says is not so when a check came out fine: "storage
/// isn't full", "low power mode is not on". A negation before anything
/// else ("my videos won't upload", "albums are not showing") is a problem
/// told, not one ruled out.
const STATES: &[&str] = &["full", "on", "enabled"];

/// What a step asks to check rather than the problem itself. That one of
/// them works ("safari worked fine", "internet is ok", "storage is fine")
/// is the check come out fine, not news that the photos sync: reading it
/// as "fixed" would close a case that is still stuck.
const CHECKED: &[&str] = &[
    "internet",
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
const FINE: &[&str] = &[
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
const FINE_REACH: usize = 4;

/// Words that make the checked thing a change the asker made, whose
/// working is the fix: "switching to another wifi worked", "restarting
/// the router did it".
const CHANGES: &[&str] = &[
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
const SARCASM: &[&str] = &["🙄", "😒", "🙃", "🤡", "🤦", "yeah right", "sure it did"];

/// Words after "fixed", anywhere later in the reply, that take it back:
/// "it worked but only some uploaded", "that fixed it until this morning".
const QUALIFIERS: &[&str] = &["but", "until"];

/// Words right after "fixed" in its clause that make it partial: "that
/// worked partially", "it worked kinda". Further on, or after a comma, they
/// are about something else ("worked like a charm, except i had to restart
/// it twice").
const PARTIAL: &[&str] = &["partially", "partly", "halfway", "kinda", "except"];
const PARTIAL_REACH: usize = 2;

/// What follows a negation that then says something of the speaker, not of
/// the fix: "not gonna lie that fixed it", "can't believe that fixed it".
const NOT_NEGATING: &[&str] = &["gonna", "believe", "lie", "lying", "kidding"];

/// How many words before a verdict a negation reaches ("i dont think
/// that actually fixed it", "not sure any of this really worked"), unless
/// a word that starts another clause comes first ("didnt work at first
/// but now its working").
const NEGATION_REACH: usize = 7;
const CLAUSE_STARTS: &[&str] = &["but", "now", "then", "so", "and", "finally"];

/// Words that steer only when they are the whole message ("no" inside a
/// sentence is not a verdict on the step).
const WHOLE: &[(&str, FollowUp)] = &[
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
const MAX_TOKENS: usize = 10;

/// A typed reply as the follow-up rules read it: its words clause by
/// clause (a comma or a full stop ends a clause, and a negation does not
/// reach past it: "never thought wifi was the issue, that fixed it"), and
/// whether it asks something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    clauses: Vec<Vec<String>>,
    /// A question mark, or a question word first ("is syncing paused
    /// bad", "how long does it take"): a question is no verdict that the
    /// case is solved.
    pub question: bool,
    /// A mark of sarcasm (`SARCASM`, or "/s" at the end).
    sarcastic: bool,
}

/// Words that open a question even without its mark.
const QUESTION_WORDS: &[&str] = &[
    "how", "why", "what", "whats", "when", "where", "which", "who", "is", "are", "does", "do",
    "should", "can", "could", "will", "would", "am",
];

impl Said {
    /// `tokenize`: the matcher's tokens of a stretch of text.
    pub fn new(text: &str, tokenize: impl Fn(&str) -> Vec<String>) -> Said {
        let clauses: Vec<Vec<String>> = text
            .split([',', ';', '.', '!', '?', '\n'])
            .map(tokenize)
            .filter(|clause| !clause.is_empty())
            .collect();
        let first = clauses.first().and_then(|c| c.first());
        let question =
            text.contains('?') || first.is_some_and(|w| QUESTION_WORDS.contains(&w.as_str()));
        let lower = text.to_lowercase();
        let sarcastic =
            lower.trim_end().ends_with("/s") || SARCASM.iter().any(|mark| lower.contains(mark));
        Said {
            clauses,
            question,
            sarcastic,
        }
    }

    /// Every word, the clauses joined.
    pub fn tokens(&self) -> Vec<String> {
        self.clauses.concat()
    }
}

/// What a short reply asks for.
pub fn detect(said: &Said) -> Option<FollowUp> {
    let tokens = said.tokens();
    if tokens.is_empty() || tokens.len() > MAX_TOKENS {
        return None;
    }
    let joined = tokens.join(" ");
    if let Some((_, f)) = WHOLE.iter().find(|(p, _)| *p == joined) {
        return match f {
            FollowUp::Fixed if said.question => None,
            FollowUp::Fixed if said.sarcastic => Some(FollowUp::StillStuck),
            f => Some(*f),
        };
    }
    scan(said)
}

/// The verdict on the step that a longer reply ends with: "tried that and
/// restarted twice, waited an hour, it's still stuck at 312". Only asked
/// when the matcher finds no problem in it, so a description of another
/// problem stays the matcher's; requests ("next") and a person need a
/// short reply or the buttons, as words like "a human" say other things in
/// a story.
pub fn verdict(said: &Said) -> Option<FollowUp> {
    scan(said).filter(|f| {
        matches!(
            f,
            FollowUp::Fixed | FollowUp::StillStuck | FollowUp::RuledOut
        )
    })
}

/// The phrases of `PHRASES` in a reply, clause by clause: the last verdict
/// counts, a request only without one, a person over anything.
fn scan(said: &Said) -> Option<FollowUp> {
    let mut verdict = None;
    let mut request = None;
    let mut person = false;
    let mut progress = false;
    let mut ruled_out = false;
    for (c, clause) in said.clauses.iter().enumerate() {
        let fine_at = checked_fine(clause);
        ruled_out |= fine_at.is_some();
        // A clause that ends on a negation takes back what came before:
        // "the old ones showed up, the new ones didnt", "that worked... NOT".
        if c > 0
            && verdict.is_some()
            && clause
                .last()
                .is_some_and(|t| NEGATIONS.contains(&t.as_str()))
        {
            verdict = Some(FollowUp::StillStuck);
        }
        for start in 0..clause.len() {
            for &(phrase, kind) in PHRASES {
                if !starts_with(&clause[start..], phrase) {
                    continue;
                }
                let end = start + phrase.split(' ').count();
                let before = &clause[..start];
                let taken_back = || {
                    clause[end..]
                        .iter()
                        .chain(said.clauses[c + 1..].iter().flatten())
                        .any(|t| QUALIFIERS.contains(&t.as_str()))
                        || clause[end..]
                            .iter()
                            .take(PARTIAL_REACH)
                            .any(|t| PARTIAL.contains(&t.as_str()))
                };
                // "Safari worked fine": the check, not the fix.
                let the_check = fine_at.is_some_and(|at| (start..end).contains(&at));
                match kind {
                    FollowUp::Fixed if asked(before) || the_check => {}
                    FollowUp::Fixed if said.sarcastic => verdict = Some(FollowUp::StillStuck),
                    FollowUp::Fixed if negated(before) || taken_back() => {
                        verdict = Some(FollowUp::StillStuck);
                    }
                    FollowUp::Fixed if said.question => {}
                    FollowUp::Fixed | FollowUp::StillStuck => verdict = Some(kind),
                    FollowUp::Person => person = true,
                    FollowUp::RuledOut => ruled_out = true,
                    FollowUp::Progress => progress = true,
                    FollowUp::Next | FollowUp::ShowAll | FollowUp::Thanks | FollowUp::Later => {
                        request = request.or(Some(kind));
                    }
                }
            }
        }
    }
    // Asking for a person outranks anything else the reply says.
    if person {
        return Some(FollowUp::Person);
    }
    verdict
        .or(progress.then_some(FollowUp::Progress))
        .or(ruled_out.then_some(FollowUp::RuledOut))
        .or(request)
}

/// Where a clause says that something a step checks is fine ("the
/// internet is fine", "safari worked fine"): the position of the word that
/// says so. Not when a negation stands between ("safari won't load
/// anything"), nor when the thing is a change the asker made ("another
/// wifi worked"): that working is the fix.
fn checked_fine(clause: &[String]) -> Option<usize> {
    let is = |t: &String, list: &[&str]| list.contains(&t.as_str());
    let fine_after = |thing: usize| {
        let opened = clause[..thing]
            .iter()
            .rposition(|t| is(t, CLAUSE_STARTS))
            .map_or(0, |at| at + 1);
        // "Another wifi worked" is the fix; "I don't have wifi right now"
        // and "not sure the wifi is ok" are no check come out fine.
        if clause[opened..thing]
            .iter()
            .any(|t| is(t, CHANGES) || is(t, NEGATIONS))
        {
            return None;
        }
        clause
            .iter()
            .enumerate()
            .skip(thing + 1)
            .take(FINE_REACH)
            .take_while(|(_, t)| !is(t, NEGATIONS) && !is(t, CLAUSE_STARTS))
            .find(|(_, t)| is(t, FINE))
            .map(|(at, _)| at)
    };
    (0..clause.len())
        .filter(|&at| is(&clause[at], CHECKED))
        .find_map(fine_after)
}

/// Words a reply that only says which device may hold besides the
/// device: "on my macbook, not the phone", "it's an iPad actually".
const DEVICE_FILLERS: &[&str] = &[
    "on", "in", "my", "the", "a", "an", "its", "it", "is", "im", "i", "am", "using", "use", "not",
    "no", "actually", "sorry", "oh", "this", "that", "from", "with", "and", "but", "mean", "meant",
    "running", "just", "only", "ok", "okay", "yes", "yeah", "btw", "now", "#",
];

/// Whether a reply says which device and nothing more: in a case under
/// way that is the device chosen, not a problem to start over with, however
/// the matcher reads "macbook".
pub fn names_only_a_device(tokens: &[String]) -> bool {
    tokens
        .iter()
        .any(|t| crate::matcher::detect_device(std::slice::from_ref(t)).is_some())
        && tokens
            .iter()
            .all(|t| crate::matcher::is_device_word(t) || DEVICE_FILLERS.contains(&t.as_str()))
}

/// Numbers as words, and as ordinals, for `step_named`: index + 1 is the
/// number.
const NUMBERS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];
const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// The step a reply says did it ("step 5 fixed it", "the third step
/// worked"), 1-based: someone who read all the steps at once tells which
/// one helped, and crediting the step on screen instead would teach the
/// statistics the wrong step. Read from the text, as tokens keep no
/// numbers.
pub fn step_named(text: &str) -> Option<usize> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let number = |w: &str| {
        w.parse::<usize>()
            .ok()
            .or_else(|| NUMBERS.iter().position(|n| *n == w).map(|i| i + 1))
    };
    let ordinal = |w: &str| {
        ORDINALS
            .iter()
            .position(|n| *n == w)
            .map(|i| i + 1)
            .or_else(|| {
                ["st", "nd", "rd", "th"]
                    .iter()
                    .find_map(|suffix| w.strip_suffix(suffix))
                    .and_then(|n| n.parse::<usize>().ok())
            })
    };
    let named = |i: usize, w: &String| {
        if w == "step" || w == "number" {
            words.get(i + 1).and_then(|n| number(n))
        } else if words.get(i + 1).is_some_and(|n| n == "step" || n == "one") {
            ordinal(w)
        } else {
            None
        }
    };
    // The step that did it is named before the verdict ("step 2 didnt do
    // anything but step 4 fixed it"); one named after it is another
    // remark ("that worked! skipped step 1 tho").
    let verdict_at = words
        .iter()
        .position(|w| FIX_WORDS.contains(&w.as_str()))
        .unwrap_or(words.len());
    words[..verdict_at]
        .iter()
        .enumerate()
        .filter_map(|(i, w)| named(i, w))
        .next_back()
        .filter(|n| (1..100).contains(n))
}

/// Words that say a step did it, for `step_named`.
const FIX_WORDS: &[&str] = &[
    "fixed", "worked", "works", "working", "did", "solved", "helped", "trick",
];

/// Words that may stand beside a bare step number in an answer to "which
/// step did it?": "2 i think", "probably 3". Any other word makes the
/// number something else ("it took 3 hours").
const ANSWER_FILLERS: &[&str] = &[
    "i", "think", "guess", "maybe", "probably", "prob", "it", "was", "the", "one", "step", "no",
    "yes", "yeah", "ok", "lol",
];

/// The answer to "which step did it?": a step named as `step_named` reads
/// it, or a number on its own in a short reply ("3", "#3", "2 i think").
pub fn step_answer(text: &str) -> Option<usize> {
    step_named(text).or_else(|| {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut numbers = words.iter().filter_map(|w| w.parse::<usize>().ok());
        let number = numbers.next()?;
        let only = numbers.next().is_none()
            && words
                .iter()
                .all(|w| w.parse::<usize>().is_ok() || ANSWER_FILLERS.contains(&w.as_str()));
        only.then_some(number).filter(|n| (1..100).contains(n))
    })
}

/// Whether `tokens` begin with the words of `phrase`.
fn starts_with(tokens: &[String], phrase: &str) -> bool {
    let mut words = phrase.split(' ');
    let mut tokens = tokens.iter();
    words.all(|w| tokens.next().is_some_and(|t| t == w))
}

/// Whether a negation or a doubt stands among the last few of `before`.
fn negated(before: &[String]) -> bool {
    let reach = before
        .iter()
        .rev()
        .take(NEGATION_REACH)
        .take_while(|t| !CLAUSE_STARTS.contains(&t.as_str()))
        .count();
    let near = &before[before.len() - reach..];
    near.iter().enumerate().any(|(i, t)| {
        DOUBTS.contains(&t.as_str())
            || (NEGATIONS.contains(&t.as_str())
                && !near
                    .get(i + 1)
                    .is_some_and(|next| NOT_NEGATING.contains(&next.as_str())))
    })
}

/// Whether the words just before a verdict make it a question.
fn asked(before: &[String]) -> bool {
    before
        .iter()
        .rev()
        .take(NEGATION_REACH)
        .take_while(|t| !CLAUSE_STARTS.contains(&t.as_str()))
        .any(|t| ASKING.contains(&t.as_str()))
}

/// Whether a short reply rules a cause out rather than names a new
/// problem: "icloud storage isnt full", "low power mode is already off".
/// In a case under way that is the current step's check come out fine,
/// not the start of a case about storage or Low Power Mode.
pub fn rules_out(tokens: &[String]) -> bool {
    let negated_state = tokens
        .windows(2)
        .any(|pair| NEGATIONS.contains(&pair[0].as_str()) && STATES.contains(&pair[1].as_str()));
    tokens.len() <= MAX_TOKENS
        && (negated_state || tokens.iter().any(|t| RULED_OUT.contains(&t.as_str())))
}

#[cfg(test)]
mod tests {
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
            ("didn't find them in hidden", None),
            (
                "turned it off and on, still stuck",
                Some(FollowUp::StillStuck),
            ),
        ];
        for (text, expected) in table {
            assert_eq!(f(text), expected, "{text:?}");
        }
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
}
