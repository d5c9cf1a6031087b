//! Which step a reply names: "step 3 fixed it", "the third one", or a
//! bare number in answer to "which step did it?".

/// Numbers as words, and as ordinals, for `step_named`: index + 1 is the
/// number.
pub(super) const NUMBERS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

pub(super) const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// A reply's words, lowercase, as written: tokens keep no numbers.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// "3" or "three".
fn number(w: &str) -> Option<usize> {
    w.parse::<usize>()
        .ok()
        .or_else(|| NUMBERS.iter().position(|n| *n == w).map(|i| i + 1))
}

/// "third" or "3rd".
fn ordinal(w: &str) -> Option<usize> {
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
}

/// The step a reply says did it ("step 5 fixed it", "the third step
/// worked"), 1-based: someone who read all the steps at once tells which
/// one helped, and crediting the step on screen instead would teach the
/// statistics the wrong step. Read from the text, as tokens keep no
/// numbers.
pub fn step_named(text: &str) -> Option<usize> {
    let words = words(text);
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
pub(super) const FIX_WORDS: &[&str] = &[
    "fixed", "worked", "works", "working", "did", "solved", "helped", "trick",
];

/// Words that may stand beside a bare step number in an answer to "which
/// step did it?": "2 i think", "probably 3". Any other word makes the
/// number something else ("it took 3 hours").
pub(super) const ANSWER_FILLERS: &[&str] = &[
    "i", "think", "guess", "maybe", "probably", "prob", "it", "was", "the", "one", "step", "no",
    "yes", "yeah", "ok", "lol",
];

/// The answer to "which step did it?": a step named as `step_named` reads
/// it, or a number on its own in a short reply ("3", "#3", "2 i think").
pub fn step_answer(text: &str) -> Option<usize> {
    step_named(text).or_else(|| {
        let words = words(text);
        let mut numbers = words.iter().filter_map(|w| w.parse::<usize>().ok());
        let number = numbers.next()?;
        let only = numbers.next().is_none()
            && words
                .iter()
                .all(|w| w.parse::<usize>().is_ok() || ANSWER_FILLERS.contains(&w.as_str()));
        only.then_some(number).filter(|n| (1..100).contains(n))
    })
}

/// Words that may stand beside the choice in a typed answer to "Did you
/// mean one of these?": "the 2nd one", "option 3", "number 1 pls".
const PICK_FILLERS: &[&str] = &[
    "the", "one", "option", "number", "no", "i", "think", "guess", "its", "it", "pls", "please",
    "ok", "okay", "yes", "yeah", "that", "last", "middle", "but", "and", "on", "im", "my", "a",
    "mac", "macbook", "iphone", "ipad", "windows", "pc",
];

/// Which of the offered readings a typed reply picks, 1-based: "2",
/// "the second one", "2nd", "option 3", "the last one" (`count`). On
/// Discord the choices are a select, but people type their answer too.
pub fn pick_named(text: &str, count: usize) -> Option<usize> {
    let words = words(text);
    let value = |w: &str| number(w).or_else(|| ordinal(w));
    let one = words.iter().any(|w| w == "one");
    let last = one && words.iter().any(|w| w == "last");
    let middle = one && count % 2 == 1 && words.iter().any(|w| w == "middle");
    let mut values = words
        .iter()
        .filter(|w| *w != "one" || words.len() == 1)
        .filter_map(|w| value(w));
    let picked = match (values.next(), values.next()) {
        (Some(n), None) => n,
        (None, None) if last => count,
        (None, None) if middle => count / 2 + 1,
        _ => return None,
    };
    let only_fillers = words
        .iter()
        .all(|w| value(w).is_some() || PICK_FILLERS.contains(&w.as_str()));
    (only_fillers && (1..=count).contains(&picked)).then_some(picked)
}

/// Words that may stand beside a title's word in a pick by name: "the
/// date one", "the one about wifi", "i meant the storage thing".
const TITLE_FILLERS: &[&str] = &[
    "the", "one", "option", "about", "with", "thing", "i", "meant", "mean", "its", "it", "that",
    "pls", "please", "prob", "probably", "guess", "think", "ok", "okay", "yeah", "yes", "a",
];

/// Words that make a reply naming a title something other than a pick:
/// "not the edits one", "the date one or the sync one".
const NOT_A_PICK: &[&str] = &[
    "not", "or", "neither", "nor", "dont", "isnt", "wasnt", "never",
];

/// At most this many words of a title in a pick by name: more is the
/// problem told again, which the matcher reads.
const TITLE_WORDS: usize = 3;

/// Which of the offered readings a reply picks by a word of its title,
/// 1-based: "the date one", "the wifi one", "storage". Every word besides
/// the fillers must be in the same one title and in no other, or it is no
/// pick.
pub fn pick_titled(text: &str, titles: &[&str]) -> Option<usize> {
    let all = words(text);
    // "Not the edits one", "the date one or the sync one": no pick.
    if all.iter().any(|w| NOT_A_PICK.contains(&w.as_str())) {
        return None;
    }
    let said: Vec<String> = all
        .into_iter()
        .filter(|w| !TITLE_FILLERS.contains(&w.as_str()))
        .collect();
    if said.is_empty() || said.len() > TITLE_WORDS {
        return None;
    }
    // A title's words, and each two of them joined ("wi fi" is "wifi").
    let title_words = |title: &str| -> Vec<String> {
        let words = words(title);
        let joined = words.windows(2).map(|w| w.concat());
        words.iter().cloned().chain(joined).collect()
    };
    // Each word in exactly one title, and the same one for all.
    let titles: Vec<Vec<String>> = titles.iter().map(|t| title_words(t)).collect();
    let mut picked = None;
    for word in &said {
        let mut holders = titles
            .iter()
            .enumerate()
            .filter(|(_, t)| t.iter().any(|w| super::same_word(word, w)));
        let (Some((holder, _)), None) = (holders.next(), holders.next()) else {
            return None;
        };
        if picked.is_some_and(|p| p != holder) {
            return None;
        }
        picked = Some(holder);
    }
    picked.map(|i| i + 1)
}

/// Whether a reply to "Did you mean" talks about the readings without
/// picking one: "not the edits one", "maybe the date one or the sync
/// one", or "the sync one" when two titles say sync. Read as a
/// rephrasing, the matcher would start the very reading it names, or
/// offer other readings in place of those on screen.
pub fn hedged_pick(text: &str) -> bool {
    let words = words(text);
    let names_one = words.iter().any(|w| w == "one" || w == "option");
    let short_pick = words.len() <= TITLE_WORDS + 2 && words.last().is_some_and(|w| w == "one");
    (names_one && words.iter().any(|w| NOT_A_PICK.contains(&w.as_str()))) || short_pick
}
