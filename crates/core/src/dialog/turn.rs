//! One turn of a conversation: how each event moves the stage and what
//! the reply says.

use super::render;
use super::{
    Action, CaseSummary, Choice, Conversation, Event, KEEP_STEPS, Progress, Reason, Reply,
    ReplyKind, Stage, StepOutcome, StepRecord,
};
use crate::engine::Engine;
use crate::kb::{Device, ESCALATE, Intent, IntentId};

mod named;
mod typed;
mod verdict;

pub(super) struct Turn<'a> {
    pub(super) engine: &'a Engine,
    pub(super) c: Conversation,
}

impl Turn<'_> {
    pub(super) fn apply(&mut self, event: Event) -> Option<Reply> {
        match event {
            Event::Message { text, addressed } => self.message(&text, addressed),
            Event::NextStep => Some(self.advance(false)),
            Event::DidntHelp => Some(self.advance(true)),
            Event::ShowAll => Some(self.show_all()),
            Event::FixedIt => Some(self.fixed()),
            Event::ChooseDevice(device) => Some(self.choose_device(device)),
            Event::ChooseIntent(id) => Some(match self.engine.kb.get(&id) {
                // The problem under way, picked from a "Did you mean" asked
                // in the middle of its steps: where it was, not step 1.
                Some(_) if self.guiding(&id) => self.show_step(false),
                Some(_) => self.start(&id),
                None => self.note(
                    "That choice is no longer available. Tell me what you see and I'll look again.",
                ),
            }),
            Event::SomethingElse => Some(self.escalate(Reason::SomethingElse)),
            Event::TalkToPerson => Some(self.escalate(Reason::Asked)),
            Event::StaffResolved => {
                if let Stage::Escalated { intent, .. } = &self.c.stage {
                    self.c.stage = match intent.clone() {
                        Some(intent) => Stage::Resolved { intent },
                        None => Stage::Idle,
                    };
                }
                None
            }
            Event::SubmitForm { form, none_fit } => {
                let reason = match self.c.stage {
                    _ if none_fit => Reason::SomethingElse,
                    Stage::Clarifying { .. } => Reason::SomethingElse,
                    _ => Reason::Asked,
                };
                self.c.form = Some(form);
                Some(self.escalate(reason))
            }
        }
    }

    fn intent(&self, id: &IntentId) -> Option<&Intent> {
        self.engine.kb.get(id)
    }

    /// Begins (or restarts) the steps of an intent.
    fn start(&mut self, id: &IntentId) -> Reply {
        if id.as_str() == ESCALATE {
            return self.escalate(Reason::Asked);
        }
        let engine = self.engine;
        let Some(intent) = engine.kb.get(id) else {
            return self.note("I lost track of that topic. Tell me again what you see.");
        };
        // What was done for another problem's steps says nothing of these.
        self.c.done_before.clear();
        match intent.response.steps(self.c.device) {
            Some(_) => {
                self.c.stage = Stage::Guiding {
                    intent: id.clone(),
                    step: 0,
                };
                self.show_step(true)
            }
            None => {
                let text = render::ask_device(intent);
                let actions = device_question(intent);
                self.c.stage = Stage::AskingDevice { intent: id.clone() };
                Reply::new(ReplyKind::AskDevice, text)
                    .about(id)
                    .with_actions(actions)
            }
        }
    }

    /// What a reply about steps gets while none are open yet: the
    /// question still waiting, asked again with its choices, so that
    /// "ok done" or "didn't help" before a device or a reading is picked
    /// leaves the asker with something to press.
    fn not_yet(&self) -> Reply {
        match &self.c.stage {
            Stage::AskingDevice { .. } => {
                self.same_place("Pick your device first, and I'll show the steps for it.")
            }
            Stage::Clarifying { candidates } => self.offer_as(
                "Which of these is closest? Pick one below, or tell me what the Photos app shows.",
                candidates,
            ),
            _ => {
                self.note("There are no steps open right now. Tell me what you see and I'll look.")
            }
        }
    }

    /// The current step of a guiding conversation, recorded as shown.
    fn show_step(&mut self, with_diagnosis: bool) -> Reply {
        let Stage::Guiding { intent: id, step } = self.c.stage.clone() else {
            return self.note("There are no steps open right now.");
        };
        self.c.all_shown = false;
        let engine = self.engine;
        let Some(intent) = engine.kb.get(&id) else {
            return self.note("I lost track of that topic. Tell me again what you see.");
        };
        let steps = intent.response.steps(self.c.device).unwrap_or_default();
        let text = render::step(intent, self.c.device, step, &steps, with_diagnosis);
        let of = steps.len();
        if self.c.steps.len() < KEEP_STEPS {
            self.c.steps.push(StepRecord {
                intent: id.clone(),
                step: step + 1,
                of,
                text: steps.get(step).map(|s| s.text.clone()).unwrap_or_default(),
                outcome: StepOutcome::Shown,
            });
        }
        let mut reply = Reply::new(ReplyKind::Step, text).about(&id);
        reply.progress = Some(Progress { step: step + 1, of });
        reply.actions = self.step_actions(intent, step + 1 == of);
        reply
    }

    fn step_actions(&self, intent: &Intent, last: bool) -> Vec<Action> {
        let mut actions = Vec::new();
        if !last {
            actions.push(Action::NextStep);
        }
        actions.extend([Action::FixedIt, Action::ShowAll, Action::TalkToPerson]);
        if intent.response.device_specific() {
            actions.push(Action::ChooseDevice {
                devices: intent.response.devices(),
            });
        }
        actions
    }

    /// "Next step", or "didn't help" (which on the last step means a person).
    /// Steps the user said they had done already are passed over.
    fn advance(&mut self, didnt_help: bool) -> Reply {
        let Stage::Guiding { intent, step } = self.c.stage.clone() else {
            return self.not_yet();
        };
        let engine = self.engine;
        let steps = engine
            .kb
            .get(&intent)
            .and_then(|i| i.response.steps(self.c.device))
            .unwrap_or_default();
        let next = (step + 1..steps.len())
            .find(|&i| !self.done_already(steps[i]))
            .unwrap_or(steps.len());
        let skipped: Vec<usize> = (step + 1..next).collect();
        let passed: Vec<(usize, &crate::kb::Step)> =
            skipped.iter().map(|&i| (i, steps[i])).collect();
        let mut reply = if next >= steps.len() {
            if didnt_help {
                self.mark(StepOutcome::DidntHelp);
                self.pass_over(&intent, &skipped, &steps);
                self.escalate(Reason::StepsExhausted)
            } else {
                let mut reply = self.note("That was the last step. If it didn't help, a person from the support team can take over.");
                reply.actions = vec![Action::FixedIt, Action::TalkToPerson];
                reply
            }
        } else {
            self.mark(StepOutcome::DidntHelp);
            self.pass_over(&intent, &skipped, &steps);
            self.c.stage = Stage::Guiding { intent, step: next };
            self.show_step(false)
        };
        // The count must not jump, nor the last step go, without a word.
        if let Some(note) = render::passed_over(&passed) {
            reply.text = format!("{note}\n\n{}", reply.text);
        }
        reply
    }

    /// Records the steps passed over as done already, for the case a
    /// person may read and for the statistics (they did not fix it).
    fn pass_over(&mut self, intent: &IntentId, skipped: &[usize], steps: &[&crate::kb::Step]) {
        for &i in skipped {
            if self.c.steps.len() < KEEP_STEPS {
                self.c.steps.push(StepRecord {
                    intent: intent.clone(),
                    step: i + 1,
                    of: steps.len(),
                    text: steps[i].text.clone(),
                    outcome: StepOutcome::AlreadyDone,
                });
            }
        }
    }

    fn show_all(&mut self) -> Reply {
        let (id, step) = match &self.c.stage {
            Stage::Guiding { intent, step } => (intent.clone(), Some(*step)),
            Stage::Resolved { intent } => (intent.clone(), None),
            _ => return self.not_yet(),
        };
        let engine = self.engine;
        let Some(intent) = engine.kb.get(&id) else {
            return self.note("I lost track of that topic. Tell me again what you see.");
        };
        let steps = intent.response.steps(self.c.device).unwrap_or_default();
        let mut reply = Reply::new(
            ReplyKind::AllSteps,
            render::all_steps(intent, self.c.device, &steps),
        )
        .about(&id);
        if step.is_some() {
            // Which step then helps is the user's to say (see `fixed`).
            self.c.all_shown = true;
            reply.actions = vec![Action::FixedIt, Action::TalkToPerson];
        }
        reply
    }

    /// The device the case already has, named again ("im on ipad"): noted,
    /// and the place kept.
    fn same_device(&mut self, device: Device) -> Reply {
        match self.c.stage {
            Stage::Guiding { .. } => self.same_place(&format!(
                "Noted: {}. The steps I'm giving you are for it.",
                device.label()
            )),
            _ => self.note(&format!("Noted: {}.", device.label())),
        }
    }

    /// A note that leaves the case where it is, with the buttons of the
    /// question still open: the step's, the device choice, or the
    /// readings offered. A note without them would leave the asker with
    /// nothing to press (in the terminal, nothing to type).
    fn same_place(&self, text: &str) -> Reply {
        let mut reply = self.note(text);
        match &self.c.stage {
            Stage::Guiding { intent, step } => {
                if let Some(i) = self.intent(intent) {
                    let last = i
                        .response
                        .steps(self.c.device)
                        .is_some_and(|s| step + 1 >= s.len());
                    reply.actions = self.step_actions(i, last);
                }
            }
            Stage::AskingDevice { intent } => {
                reply = reply.about(intent);
                if let Some(i) = self.intent(intent) {
                    reply.actions = device_question(i);
                }
            }
            Stage::Clarifying { candidates } => {
                reply.actions = vec![Action::ChooseIntent {
                    choices: self.choices(candidates),
                }];
            }
            Stage::Idle | Stage::Escalated { .. } | Stage::Resolved { .. } => {}
        }
        reply
    }

    fn choose_device(&mut self, device: Device) -> Reply {
        self.c.device = Some(device);
        let id = match &self.c.stage {
            Stage::AskingDevice { intent } | Stage::Guiding { intent, .. } => intent.clone(),
            Stage::Clarifying { candidates } => {
                return self.offer_as(
                    &format!("Noted: {}. Which of these is closest?", device.label()),
                    candidates,
                );
            }
            _ => return self.note(&format!("Noted: {}.", device.label())),
        };
        let specific = self
            .intent(&id)
            .is_some_and(|i| i.response.device_specific());
        if !specific {
            let mut reply = self.note(&format!(
                "Noted: {}. These steps are the same on every device.",
                device.label()
            ));
            if let Some(intent) = self.intent(&id) {
                let last = matches!(&self.c.stage, Stage::Guiding { step, .. }
                    if intent.response.steps(Some(device)).is_some_and(|s| step + 1 >= s.len()));
                reply.actions = self.step_actions(intent, last);
            }
            return reply;
        }
        self.start(&id)
    }

    fn clarify(&mut self, candidates: Vec<IntentId>) -> Reply {
        let reply = self.offer(&candidates);
        self.c.stage = Stage::Clarifying { candidates };
        reply
    }

    /// "Did you mean" with `candidates`, the stage left as it is.
    fn offer(&self, candidates: &[IntentId]) -> Reply {
        self.offer_as(
            "I'm not sure I've understood. Did you mean one of these?",
            candidates,
        )
    }

    /// The readings `candidates` name that the knowledge base still has.
    fn choices(&self, candidates: &[IntentId]) -> Vec<Choice> {
        candidates
            .iter()
            .filter_map(|id| self.intent(id))
            .map(|i| Choice {
                intent: i.id.clone(),
                title: i.title.clone(),
            })
            .collect()
    }

    pub(super) fn offer_as(&self, intro: &str, candidates: &[IntentId]) -> Reply {
        let choices = self.choices(candidates);
        let mut text = format!("{intro}\n");
        for (i, choice) in choices.iter().enumerate() {
            text.push_str(&format!("{}. {}\n", i + 1, choice.title));
        }
        text.push_str("Or pick “Something else” and a person will take a look.");
        Reply::new(ReplyKind::Clarify, text).with_actions(vec![Action::ChooseIntent { choices }])
    }

    /// Readings of a reply while a step is open: offered with the step's
    /// own buttons beside them, so a reply that was about the step goes on
    /// with one press. `asked`: the reply was a question.
    pub(super) fn offer_in_case(&self, candidates: &[IntentId], asked: bool) -> Reply {
        let Stage::Guiding { intent, step } = &self.c.stage else {
            return self.offer(candidates);
        };
        let mut reply = self.offer_as(
            match asked {
                true => "I'm not sure I've understood. Did you mean one of these? If it was about the step above, press Next step or tell me how it went.",
                false => "Is that a different problem? If it is, pick it below; if it was about the step above, press Next step or tell me how it went.",
            },
            candidates,
        );
        let last = self
            .intent(intent)
            .and_then(|i| i.response.steps(self.c.device))
            .is_none_or(|s| step + 1 >= s.len());
        let mut buttons = Vec::from([Action::FixedIt]);
        if !last {
            buttons.insert(0, Action::NextStep);
        }
        reply.actions.splice(0..0, buttons);
        reply
    }

    fn escalate(&mut self, reason: Reason) -> Reply {
        if let Stage::Escalated { .. } = self.c.stage {
            return self.note(
                "A person from the support team has already been asked and will reply here.",
            );
        }
        let intent = self.c.stage.intent().cloned();
        let title = intent
            .as_ref()
            .and_then(|id| self.intent(id))
            .map(|i| i.title.clone());
        let case = CaseSummary {
            reason,
            intent: intent.clone(),
            title,
            device: self.c.device,
            status_text: self.c.status_text.clone(),
            said: self.c.said.clone(),
            steps: self.c.steps.clone(),
            form: self.c.form.clone(),
        };
        self.c.stage = Stage::Escalated {
            intent: intent.clone(),
            asker_fixed: false,
        };
        let text = render::hand_over(self.engine.kb.find(ESCALATE), &case);
        let mut reply = Reply::new(ReplyKind::Escalation, text);
        reply.intent = intent;
        reply.case = Some(case);
        reply
    }

    fn note(&self, text: &str) -> Reply {
        Reply::new(ReplyKind::Note, text.to_string())
    }
}

/// The buttons of "which device?": the devices the intent has steps for,
/// and a person.
fn device_question(intent: &Intent) -> Vec<Action> {
    vec![
        Action::ChooseDevice {
            devices: intent.response.devices(),
        },
        Action::TalkToPerson,
    ]
}
