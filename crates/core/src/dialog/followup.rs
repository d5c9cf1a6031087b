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
}

/// Phrases found anywhere in the message.
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
    ("still stuck", FollowUp::StillStuck),
    ("still not", FollowUp::StillStuck),
    ("still the same", FollowUp::StillStuck),
    ("still nothing", FollowUp::StillStuck),
    ("still doesnt", FollowUp::StillStuck),
    ("didnt help", FollowUp::StillStuck),
    ("didnt work", FollowUp::StillStuck),
    ("did not help", FollowUp::StillStuck),
    ("did not work", FollowUp::StillStuck),
    ("doesnt help", FollowUp::StillStuck),
    ("no luck", FollowUp::StillStuck),
    ("no change", FollowUp::StillStuck),
    ("nothing changed", FollowUp::StillStuck),
    ("same problem", FollowUp::StillStuck),
    ("same thing", FollowUp::StillStuck),
    ("next step", FollowUp::Next),
    ("whats next", FollowUp::Next),
    ("what next", FollowUp::Next),
    ("then what", FollowUp::Next),
    ("show all", FollowUp::ShowAll),
    ("all the steps", FollowUp::ShowAll),
    ("all steps", FollowUp::ShowAll),
];

/// Words that steer only when they are the whole message ("no" inside a
/// sentence is not a verdict on the step).
const WHOLE: &[(&str, FollowUp)] = &[
    ("fixed", FollowUp::Fixed),
    ("solved", FollowUp::Fixed),
    ("resolved", FollowUp::Fixed),
    ("sorted", FollowUp::Fixed),
    ("yes it worked", FollowUp::Fixed),
    ("no", FollowUp::StillStuck),
    ("nope", FollowUp::StillStuck),
    ("nah", FollowUp::StillStuck),
    ("still", FollowUp::StillStuck),
    ("next", FollowUp::Next),
    ("done", FollowUp::Next),
    ("ok done", FollowUp::Next),
    ("tried that", FollowUp::Next),
    ("did that", FollowUp::Next),
    ("thanks", FollowUp::Thanks),
    ("thank you", FollowUp::Thanks),
    ("thx", FollowUp::Thanks),
    ("ty", FollowUp::Thanks),
    ("ok", FollowUp::Thanks),
    ("ok thanks", FollowUp::Thanks),
    ("cool", FollowUp::Thanks),
];

/// Longer messages describe something; they are for the matcher.
const MAX_TOKENS: usize = 10;

pub fn detect(tokens: &[String]) -> Option<FollowUp> {
    if tokens.is_empty() || tokens.len() > MAX_TOKENS {
        return None;
    }
    let joined = tokens.join(" ");
    if let Some((_, f)) = WHOLE.iter().find(|(p, _)| *p == joined) {
        return Some(*f);
    }
    let padded = format!(" {joined} ");
    PHRASES
        .iter()
        .find(|(p, _)| padded.contains(&format!(" {p} ")))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn f(text: &str) -> Option<FollowUp> {
        detect(&tokens(text))
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
