//! What a typed message does in a conversation: a reply about the case
//! under way (fixed, still stuck, next, a person), the same problem told
//! again, a cause ruled out, a question, another problem, or a device.

use super::Turn;
use super::named::FixNamed;
use crate::dialog::followup::{self, Said};
use crate::dialog::render::{self, clip};
use crate::dialog::{
    Action, CaseUpdate, FollowUp, KEEP_SAID, KEEP_SAID_CHARS, Reason, Reply, ReplyKind, Stage,
};
use crate::kb::{Device, IntentId};
use crate::matcher::{Classification, Decision};
use std::ops::ControlFlow::{self, Break, Continue};

impl Turn<'_> {
    pub(super) fn message(&mut self, text: &str, addressed: bool) -> Option<Reply> {
        let classification = self.engine.matcher.classify(text);
        let active = !matches!(
            self.c.stage,
            Stage::Idle | Stage::Escalated { .. } | Stage::Resolved { .. }
        );
        if matches!(classification.decision, Decision::None) && !addressed && !active {
            return None;
        }
        self.remember(text, &classification);
        // Read once: every rule below asks the same reading.
        let said = self.said(text);
        // A person has the case: what the user adds is for them (kept with
        // the case), not the start of another case that would take its
        // place, and its hand-over with it, until staff resolve it.
        if matches!(self.c.stage, Stage::Escalated { .. }) {
            return Some(self.after_hand_over(text, &said));
        }
        let device_before = self.c.device;
        // Under way, the device changes with its buttons or a reply that
        // only names one: a device named in passing ("plugged it into my
        // macbook charger, still stuck") is not the one the case is on, and
        // switching lists would skip the new device's earlier steps.
        let device_open = !active
            || device_before.is_none()
            || matches!(self.c.stage, Stage::AskingDevice { .. });
        if let Some(device) = classification.device.filter(|_| device_open) {
            self.c.device = Some(device);
        }

        let current = self.c.stage.intent().cloned();
        // A newly pasted status switches the topic, unless the message
        // quotes two and the matcher asks which.
        let new_status = classification
            .status
            .as_ref()
            .filter(|s| Some(&s.intent) != current.as_ref())
            .filter(|_| !matches!(classification.decision, Decision::Clarify(_)))
            .map(|s| s.intent.clone());
        // A status that says this case is over ("Uploading 212 Items"
        // after "Paused": moving again), as its intent file lists it.
        if let (true, Some(status)) = (active, &new_status)
            && current
                .as_ref()
                .and_then(|id| self.intent(id))
                .is_some_and(|i| i.over_when.contains(status))
            && !said.question
        {
            return self.follow(FollowUp::Fixed);
        }
        // Asked about, or told beside how the step went ("what does
        // optimizing system performance mean?", "resume worked!! now it
        // says Uploading 212 Items"), it is the reply's business below.
        if let (true, Some(intent)) = (active, new_status)
            && !Self::in_passing(&said)
        {
            return Some(self.start(&intent));
        }
        if (active || matches!(self.c.stage, Stage::Resolved { .. }))
            && let Break(reply) = self.in_case(
                text,
                &said,
                &classification,
                device_before,
                current.as_ref(),
            )
        {
            return reply;
        }
        Some(match classification.decision {
            Decision::Answer(id) => self.start(&id),
            // A question in the middle of the steps ("how long should I
            // wait?"), or while the device is asked for, offers its
            // readings without losing the place: "next" or the device still
            // goes on from there, a choice starts that problem. The case's
            // own problem is no reading to offer: it is open already.
            Decision::Clarify(candidates) if self.under_way() => {
                let others: Vec<IntentId> = candidates
                    .into_iter()
                    .filter(|c| Some(c) != current.as_ref())
                    .collect();
                match others.is_empty() {
                    true => self.not_caught(&said),
                    false => self.offer_in_case(&others, true),
                }
            }
            Decision::Clarify(candidates) => self.clarify(candidates),
            Decision::None if active => self.not_caught(&said),
            // Outside a case, "hi" gets a welcome and "thanks" or "lol ok"
            // after the note below needs nothing more.
            Decision::None => match followup::detect(&said) {
                Some(FollowUp::Hello) => self.note(
                    "Hi! Tell me what's wrong with iCloud Photos, or paste what the Photos app says (for example “Waiting to Upload 57 Items”).",
                ),
                Some(FollowUp::Thanks | FollowUp::Later) => return None,
                _ => Reply::new(
                    ReplyKind::OutOfScope,
                    "I can only help with iCloud Photos syncing, so I'll leave that one. If it *is* about iCloud Photos, tell me what the Photos app shows (for example “Waiting to Upload”) or what you expected to see where, or ask for a person."
                        .to_string(),
                )
                .with_actions(vec![Action::TalkToPerson]),
            },
        })
    }

    /// What a typed message means in a case under way or just solved,
    /// before the matcher's reading counts as a new question: `Break` with
    /// the reply (`None`: no reply needed, as for "thanks"), `Continue`
    /// when it means what it would mean anywhere.
    fn in_case(
        &mut self,
        text: &str,
        said: &Said,
        classification: &Classification,
        device_before: Option<Device>,
        current: Option<&IntentId>,
    ) -> ControlFlow<Option<Reply>> {
        let tokens = said.tokens();
        let question = said.question;
        // "Low power mode is already off": that step need not come.
        self.note_done_before(said);
        // "Started uploading, now it's Waiting to Upload 57 Items again":
        // the case's own status told again outweighs the good news.
        let same_status = classification
            .status
            .as_ref()
            .is_some_and(|s| Some(&s.intent) == current);
        let weighed = |follow: FollowUp| match follow {
            FollowUp::Fixed if same_status => FollowUp::StillStuck,
            other => other,
        };
        // The answer to "which step did it?": "step 3", or just "3".
        // Anything else ends the wait: the case is solved either way.
        if self.asks_which_step() {
            if let Some(step) = followup::step_answer(text).or_else(|| self.step_described(text)) {
                return Break(Some(self.fixed_at(step)));
            }
            self.c.all_shown = false;
            // No step, and nothing else the matcher knows: the case stays
            // solved, without crediting one.
            if matches!(classification.decision, Decision::None) {
                return Break(Some(
                    self.note("No problem: it's noted as fixed. Glad it's working."),
                ));
            }
        }
        // "The second one", typed instead of picked from "Did you mean".
        // So is "the date one": a word of one title.
        if let Stage::Clarifying { candidates } = &self.c.stage
            && let Some(n) = followup::pick_named(text, candidates.len()).or_else(|| {
                let titles: Vec<&str> = candidates
                    .iter()
                    .map(|id| self.intent(id).map_or("", |i| i.title.as_str()))
                    .collect();
                followup::pick_titled(text, &titles)
            })
        {
            let chosen = candidates[n - 1].clone();
            return Break(Some(self.start(&chosen)));
        }
        // "Not the edits one", "the date one or the sync one": the
        // readings talked about, none picked. The question stays open.
        if matches!(self.c.stage, Stage::Clarifying { .. }) && followup::hedged_pick(text) {
            return Break(Some(self.not_yet()));
        }
        // "Thanks" or "one sec" beside something else ("thanks! also my
        // ipad says Waiting to Upload") is that something else.
        // So is "neither" beside the problem told again ("neither, its my
        // shared album not updating").
        let follow = followup::detect(said).map(weighed).filter(|f| {
            !matches!(
                f,
                FollowUp::Thanks | FollowUp::Later | FollowUp::NoneFit | FollowUp::SomethingElse
            ) || matches!(classification.decision, Decision::None)
        });
        if let Some(follow) = follow {
            if follow == FollowUp::Fixed {
                return Break(Some(self.fixed_as_said(text, said)));
            }
            return Break(self.follow(follow));
        }
        // "On my macbook, not the phone": the device, not a problem.
        if followup::names_only_a_device(&tokens)
            && let Some(device) = crate::matcher::detect_device(&tokens)
        {
            return Break(Some(match Some(device) != device_before {
                true => self.choose_device(device),
                false => self.same_device(device),
            }));
        }
        // How the step went, in a longer reply ("it works now but only
        // the old photos, new ones still stuck").
        let verdict = followup::verdict(said).map(weighed);
        if verdict == Some(FollowUp::Fixed) {
            return Break(Some(self.fixed_as_said(text, said)));
        }
        if let Decision::Answer(id) = &classification.decision
            && let Some(reply) =
                self.answer_in_case(id, current, &tokens, question, verdict.is_some())
        {
            return Break(Some(reply));
        }
        if self.c.device != device_before
            && let Some(device) = self.c.device
        {
            return Break(Some(self.choose_device(device)));
        }
        // A longer reply the matcher finds no problem in may still end
        // with how the step went: that, rather than "I didn't catch
        // that".
        if matches!(classification.decision, Decision::None)
            && let Some(follow) = verdict
        {
            return Break(self.follow(follow));
        }
        Continue(())
    }

    /// Fixed, crediting the step the reply names: by number ("step 3
    /// fixed it"), in words ("found them in hidden!"), none ("it finished
    /// by itself"), or else the one on screen.
    fn fixed_as_said(&mut self, text: &str, said: &Said) -> Reply {
        if let Some(step) = followup::step_named(text) {
            return self.fixed_at(step);
        }
        match self.fix_named(said) {
            FixNamed::Step(step) => self.fixed_at(step),
            FixNamed::Unknown => self.fixed_uncredited(),
            FixNamed::OnScreen => self.fixed(),
        }
    }

    /// "None of these": the readings offered again, asking for more words.
    fn none_fit(&self) -> Reply {
        match &self.c.stage {
            Stage::Clarifying { candidates } => self.offer_as(
                "Then tell me a bit more in your own words: what does the Photos app show, and on which device? Or pick “Something else” below and a person will take a look.",
                candidates,
            ),
            _ => self.same_place("Tell me a bit more in your own words, or use the buttons below."),
        }
    }

    /// A reply in a case that nothing here reads. A question gets an
    /// honest "not from here" rather than "I didn't catch that": it was
    /// understood as a question, just not one the steps answer. Before a
    /// device or a reading is picked, the question still open is asked
    /// again, said another way ("both", "?", "what do you mean").
    fn not_caught(&self, said: &Said) -> Reply {
        match &self.c.stage {
            Stage::AskingDevice { intent } => {
                let devices = self
                    .intent(intent)
                    .map(|i| render::list_of(i.response.devices().iter().map(|d| d.label())))
                    .unwrap_or_default();
                self.same_place(&match followup::names_other_platform(said) {
                    true => format!(
                        "I only have steps for {devices} here. If one of those shows the problem too, pick it below; otherwise a person from the support team can help."
                    ),
                    false => format!(
                        "Which device shows the problem? The steps differ between {devices}, so pick one below. If it's more than one, start with the one where the photos are missing or stuck."
                    ),
                })
            }
            Stage::Clarifying { .. } => self.not_yet(),
            Stage::Guiding { .. } if said.question => self.same_place(
                "I can't answer that one from here. The step above is what I know about it: press Talk to a person to ask the support team, or Next step to go on.",
            ),
            _ => self.same_place(
                "I didn't catch that. Use the buttons below, tell me what the Photos app shows, or ask for a person.",
            ),
        }
    }

    /// Whether a reply asks something or says how the step went, besides
    /// whatever problem it names.
    fn in_passing(said: &Said) -> bool {
        // A check come out fine beside a new status ("wifi is fine, now it
        // says Uploading 212 Items") is that status's case.
        let steers = |f: Option<FollowUp>| f.is_some_and(|f| f != FollowUp::RuledOut);
        said.question || steers(followup::verdict(said)) || steers(followup::detect(said))
    }

    /// A reply as the follow-up rules read it, in the matcher's tokens.
    fn said(&self, text: &str) -> Said {
        Said::new(text, |clause| {
            self.engine.matcher.tokens_keeping(clause, followup::knows)
        })
    }

    /// Whether a case's steps are under way or about to be (the device is
    /// asked for): a question in passing keeps the place.
    fn under_way(&self) -> bool {
        matches!(
            self.c.stage,
            Stage::Guiding { .. } | Stage::AskingDevice { .. }
        )
    }

    /// A person has the case: what the user adds is for them (kept with
    /// the case), not the start of another case that would take its place,
    /// and its hand-over with it, until staff resolve it. That it works now,
    /// or broke again after that, goes on the ticket, each once in turn,
    /// so that nobody chases a solved case or closes a live one; the ticket
    /// stays staff's to close.
    fn after_hand_over(&mut self, text: &str, said: &Said) -> Reply {
        let verdict = followup::detect(said).or_else(|| followup::verdict(said));
        let Stage::Escalated { asker_fixed, .. } = &mut self.c.stage else {
            return self.note("There's nothing open right now.");
        };
        let said = clip(text.trim(), KEEP_SAID_CHARS);
        let (text, update) = match (verdict, *asker_fixed) {
            (Some(FollowUp::Fixed), false) => {
                *asker_fixed = true;
                (
                    "Glad it's working now! I've told the support team on your ticket, so they can close it.",
                    Some(CaseUpdate::Fixed { said }),
                )
            }
            (Some(FollowUp::Fixed), true) => {
                ("Noted. The support team already knows it's working.", None)
            }
            (Some(FollowUp::StillStuck), true) => {
                *asker_fixed = false;
                (
                    "Sorry it's stuck again. I've told the support team on your ticket, so they keep it open.",
                    Some(CaseUpdate::StuckAgain { said }),
                )
            }
            _ => (
                "A person has this case now, so I'll stay out of it and leave it to them. A different problem needs a new question of its own.",
                None,
            ),
        };
        let mut reply = self.note(text);
        reply.update = update;
        reply
    }

    /// Whether the steps of `id` are under way.
    pub(super) fn guiding(&self, id: &IntentId) -> bool {
        matches!(&self.c.stage, Stage::Guiding { intent, .. } if intent == id)
    }

    /// What the matcher's answer `id` means in a case under way (or just
    /// solved); `None` when it means what it means anywhere. `question`:
    /// the reply asks something; `stuck`: it says the step did not help.
    fn answer_in_case(
        &mut self,
        id: &IntentId,
        current: Option<&IntentId>,
        tokens: &[String],
        question: bool,
        stuck: bool,
    ) -> Option<Reply> {
        let under_way = self.under_way();
        Some(match (Some(id) == current, under_way) {
            // Asked about ("how long does waiting to upload take?"): the
            // steps are the answer, and the place is kept.
            (true, true) if question && !stuck => self.same_place(
                "That's what these steps work through: try the one above, then tell me how it went or press Next step.",
            ),
            // The problem told again ("it now says Waiting to Upload 55
            // items", "still the same 312"): this step did not do it, so
            // on to the next, not back to the first.
            (true, true) => self.advance(true),
            (true, false) => return None,
            // A question about another problem ("will restarting delete my
            // photos?"), or one told beside how the step went, is offered,
            // not taken as the new case: the place is kept.
            (false, true) if question || stuck => {
                self.offer_in_case(std::slice::from_ref(id), question)
            }
            // "icloud storage isn't full": the step's check came out fine,
            // which is no case about storage.
            (false, true) if followup::rules_out(tokens) => self.advance(true),
            // Anything else that reads as another problem is offered beside
            // the step, never switched to: a reply about the step ("same
            // apple id yes", "charger is plugged, low power off") reads
            // like another problem as often as it is one, and switching
            // drops the case and the safety steps still ahead in it.
            (false, true) => self.offer_in_case(std::slice::from_ref(id), false),
            (false, false) => self.start(id),
        })
    }

    fn follow(&mut self, follow: FollowUp) -> Option<Reply> {
        match follow {
            FollowUp::Fixed => Some(self.fixed()),
            // Back after it was solved: the steps again, after the one
            // that seemed to do it.
            FollowUp::StillStuck if matches!(self.c.stage, Stage::Resolved { .. }) => {
                let intent = self.c.stage.intent().cloned()?;
                Some(self.reopen(intent))
            }
            FollowUp::StillStuck => Some(self.advance(true)),
            // A check that came out fine means nothing once it is solved;
            // under way, it is this step done without a fix.
            FollowUp::RuledOut if matches!(self.c.stage, Stage::Resolved { .. }) => None,
            FollowUp::RuledOut => Some(self.advance(true)),
            // "Yes" or "done" once it is solved needs nothing more.
            FollowUp::Next if matches!(self.c.stage, Stage::Resolved { .. }) => None,
            FollowUp::Next => Some(self.advance(false)),
            FollowUp::ShowAll => Some(self.show_all()),
            FollowUp::Thanks | FollowUp::Later => None,
            FollowUp::NoneFit => Some(self.none_fit()),
            // The label of the "Did you mean" choice, typed: that choice.
            FollowUp::SomethingElse if matches!(self.c.stage, Stage::Clarifying { .. }) => {
                Some(self.escalate(Reason::SomethingElse))
            }
            FollowUp::SomethingElse => Some(self.none_fit()),
            FollowUp::Hello => Some(self.same_place(
                "I'm here. Tell me how the step went, or use the buttons below.",
            )),
            FollowUp::Progress if self.under_way() => Some(self.same_place(
                "That's progress: it's moving again. Let it run on power and Wi-Fi, then press That fixed it once it's all through, or Next step if it stops again.",
            )),
            FollowUp::Progress => None,
            FollowUp::Person => Some(self.escalate(Reason::Asked)),
        }
    }

    fn remember(&mut self, text: &str, classification: &Classification) {
        let text = clip(text.trim(), KEEP_SAID_CHARS);
        if classification.status.is_some() {
            self.c.status_text = Some(text.clone());
        }
        if self.c.said.len() == KEEP_SAID {
            self.c.said.remove(0);
        }
        self.c.said.push(text);
    }
}
