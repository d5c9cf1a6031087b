//! Short replies inside a conversation that steer it rather than describe a
//! problem: "that worked", "still stuck", "next".

mod steps;
#[cfg(test)]
mod tests;
mod words;

use steps::{ANSWER_FILLERS, FIX_WORDS};
pub use steps::{hedged_pick, pick_named, pick_titled, step_answer, step_named};
use words::*;

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
    /// "u there?": the bot says it is, and where the case stands.
    Hello,
    /// "None of these", "neither": no reading offered fits.
    NoneFit,
    /// "Something else": the "Did you mean" choice of that name, typed.
    SomethingElse,
}

/// Whether a clause says something the step names is not there.
fn lacks_control(clause: &[String]) -> bool {
    let is = |t: &String, list: &[&str]| list.contains(&t.as_str());
    clause
        .iter()
        .position(|t| is(t, LACKING))
        .is_some_and(|at| {
            clause[at + 1..]
                .iter()
                .take(FINE_REACH + 1)
                .any(|t| is(t, CONTROLS))
        })
}

/// A typed reply as the follow-up rules read it: its words clause by
/// clause (a comma or a full stop ends a clause, and a negation does not
/// reach past it: "never thought wifi was the issue, that fixed it"), and
/// whether it asks something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    clauses: Vec<Vec<String>>,
    /// Per clause: it says the count reached zero ("now 0", "0 items
    /// left"), which tokens cannot tell, as every number is `#` in them.
    zeroed: Vec<bool>,
    /// A question mark, or a question word first ("is syncing paused
    /// bad", "how long does it take"): a question is no verdict that the
    /// case is solved.
    pub question: bool,
    /// A mark of sarcasm (`SARCASM`, or "/s" at the end).
    sarcastic: bool,
}

impl Said {
    /// `tokenize`: the matcher's tokens of a stretch of text.
    pub fn new(text: &str, tokenize: impl Fn(&str) -> Vec<String>) -> Said {
        let (clauses, zeroed): (Vec<Vec<String>>, Vec<bool>) = text
            .split([',', ';', '.', '!', '?', '\n'])
            .map(|clause| (tokenize(clause), counted_down(clause)))
            .filter(|(clause, _)| !clause.is_empty())
            .unzip();
        let first = clauses.first().and_then(|c| c.first());
        let question =
            text.contains('?') || first.is_some_and(|w| QUESTION_WORDS.contains(&w.as_str()));
        let lower = text.to_lowercase();
        let sarcastic =
            lower.trim_end().ends_with("/s") || SARCASM.iter().any(|mark| lower.contains(mark));
        Said {
            clauses,
            zeroed,
            question,
            sarcastic,
        }
    }

    /// Every word, the clauses joined.
    pub fn tokens(&self) -> Vec<String> {
        self.clauses.concat()
    }

    /// The clauses that may say what fixed it: not a check come out fine
    /// or a step that did not help ("that fixed it, the storage was fine
    /// btw"), nor a remark ("btw", "fyi").
    pub fn fix_clauses(&self) -> Vec<&[String]> {
        self.clauses
            .iter()
            .zip(&self.zeroed)
            .filter(|(clause, _)| !clause.iter().any(|t| REMARKS.contains(&t.as_str())))
            .filter(|(clause, zeroed)| {
                let alone = Said {
                    clauses: vec![clause.to_vec()],
                    zeroed: vec![**zeroed],
                    question: self.question,
                    sarcastic: self.sarcastic,
                };
                !matches!(
                    scan(&alone),
                    Some(FollowUp::RuledOut | FollowUp::StillStuck)
                )
            })
            .map(|(clause, _)| clause.as_slice())
            .collect()
    }

    /// Whether the reply says it came right without any step ("it
    /// finished by itself overnight", "sorted itself out").
    pub fn by_itself(&self) -> bool {
        self.clauses.iter().any(|c| {
            c.iter().any(|t| t == "itself")
                || c.windows(3)
                    .any(|w| w[0] == "on" && w[1] == "its" && w[2] == "own")
        })
    }

    /// Whether the reply names the cause it found ("it was the ipad,
    /// icloud photos was off there", "turns out the cable was loose"):
    /// when no step names it too, none of them did it.
    pub fn names_a_cause(&self) -> bool {
        self.clauses
            .iter()
            .any(|c| CAUSE_MARKS.iter().any(|mark| contains_phrase(c, mark)))
    }
}

/// Whether a clause says the count left is zero: "now 0", "0 items
/// left", "down to 0 🎉", "0 items unable to upload". Not a zero of what
/// moved ("0 items uploaded in 3 hours", "now 0 of 57"), nor one that did
/// not last ("went down to 0 and then back up"), nor "still 0%".
fn counted_down(clause: &str) -> bool {
    let lower = clause.to_lowercase();
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    !words.contains(&"still")
        && words.iter().enumerate().any(|(i, w)| {
            let counted = ZERO_COUNTS.contains(&words.get(i + 1).copied().unwrap_or(""));
            let after = words.get(i + 1 + usize::from(counted)).copied();
            *w == "0" && after.is_none_or(|next| ZERO_LEFT.contains(&next))
        })
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
        if said.zeroed[c] && !said.question {
            verdict = Some(match said.sarcastic {
                true => FollowUp::StillStuck,
                false => FollowUp::Fixed,
            });
        }
        // "There's no resume button", "i don't see a hidden album": the
        // step does not apply here, so the next one.
        if lacks_control(clause) {
            request = request.or(Some(FollowUp::Next));
        }
        // A clause that is nothing but "nothing" or "nope": "did the
        // airplane thing, nothing".
        if c > 0 && clause.len() == 1 && BARE_NO.contains(&clause[0].as_str()) {
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
                    FollowUp::Fixed if negated(before) || taken_back() || partly(before) => {
                        verdict = Some(FollowUp::StillStuck);
                    }
                    FollowUp::Fixed if said.question => {}
                    FollowUp::Fixed | FollowUp::StillStuck => verdict = Some(kind),
                    FollowUp::Person => person = true,
                    FollowUp::RuledOut => ruled_out = true,
                    FollowUp::Progress => progress = true,
                    FollowUp::Next
                    | FollowUp::ShowAll
                    | FollowUp::Thanks
                    | FollowUp::Later
                    | FollowUp::Hello
                    | FollowUp::NoneFit
                    | FollowUp::SomethingElse => {
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
        // "The wifi thing worked" names a step that did it, not a check.
        if clause.get(thing + 1).is_some_and(|t| is(t, STEP_NOUNS)) {
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

/// The clauses of a reply that say something was done before ("low power
/// mode is already off", "tried restarting"), not negated ("haven't tried
/// restarting") nor asked ("did you mean restart?"): each may name a step
/// still ahead that need not be shown. The words saying it was done are
/// left out: they name no step.
pub fn done_before(said: &Said) -> Vec<Vec<String>> {
    if said.question {
        return Vec::new();
    }
    let done = |t: &String| DONE_BEFORE.contains(&t.as_str());
    // "I'm plugged in and low power is already off": each half says its
    // own, and only the second says it was done. "Restarted the router
    // already, not the phone tho": the second clause takes the first back.
    let takes_back = said
        .clauses
        .iter()
        .any(|c| c.iter().any(|t| NEGATIONS.contains(&t.as_str())) && !c.iter().any(done));
    if takes_back {
        return Vec::new();
    }
    said.clauses
        .iter()
        .flat_map(|c| c.split(|t| JOINS.contains(&t.as_str())))
        .filter(|c| c.iter().any(done))
        .filter(|c| !c.iter().any(|t| NEGATIONS.contains(&t.as_str())))
        .map(|c| c.iter().filter(|t| !done(t)).cloned().collect())
        .collect()
}

/// Whether two words are one, give or take an ending: "date" and "dates",
/// "restart" and "restarted". Short words must match exactly ("on" is no
/// "one").
pub fn same_word(a: &str, b: &str) -> bool {
    const STEM: usize = 4;
    a == b || (a.len() >= STEM && b.len() >= STEM && (a.starts_with(b) || b.starts_with(a)))
}

/// Whether a reply names a platform the steps are not written for
/// ("android", "my galaxy"): the bot's steps cover Apple devices and
/// Windows only.
pub fn names_other_platform(said: &Said) -> bool {
    said.clauses
        .iter()
        .flatten()
        .any(|t| OTHER_PLATFORMS.contains(&t.as_str()))
}

/// Whether `word` is one the rules here read: the matcher's typo mending
/// must leave it alone ("resumed" is no typo of "resume", "ticked" none of
/// "ticket", "partly" none of "party"), or the phrase never matches.
pub fn knows(word: &str) -> bool {
    static WORDS: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| {
            let phrases = PHRASES.iter().chain(WHOLE).map(|(p, _)| *p);
            let lists = [
                NEGATIONS,
                DOUBTS,
                ASKING,
                RULED_OUT,
                STATES,
                CHECKED,
                FINE,
                CHANGES,
                QUALIFIERS,
                PARTIAL,
                NOT_NEGATING,
                CLAUSE_STARTS,
                QUESTION_WORDS,
                DEVICE_FILLERS,
                FIX_WORDS,
                ANSWER_FILLERS,
                BARE_NO,
                CONTROLS,
                LACKING,
                OTHER_PLATFORMS,
                DONE_BEFORE,
                JOINS,
                STEP_NOUNS,
                REMARKS,
                CAUSE_MARKS,
                &["itself", "own"],
            ];
            let partial_before = PARTIAL_BEFORE.iter().flat_map(|w| w.iter()).copied();
            phrases
                .chain(lists.into_iter().flatten().copied())
                .chain(partial_before)
                .flat_map(|p| p.split(' '))
                .collect()
        })
        .contains(word)
}

/// Whether `tokens` hold the words of `phrase` in a row.
fn contains_phrase(tokens: &[String], phrase: &str) -> bool {
    (0..tokens.len()).any(|start| starts_with(&tokens[start..], phrase))
}

/// Whether `tokens` begin with the words of `phrase`.
fn starts_with(tokens: &[String], phrase: &str) -> bool {
    let mut words = phrase.split(' ');
    let mut tokens = tokens.iter();
    words.all(|w| tokens.next().is_some_and(|t| t == w))
}

/// Whether a negation or a doubt stands among the last few of `before`.
/// Whether the words before good news make it partial ("some of them
/// showed up").
fn partly(before: &[String]) -> bool {
    PARTIAL_BEFORE.iter().any(|words| {
        before
            .windows(words.len())
            .any(|w| w.iter().zip(*words).all(|(t, p)| t == p))
    })
}

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
