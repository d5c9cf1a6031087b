//! What the user says of a step: it fixed it (which one, when every step
//! was on screen), or the fix did not hold. The credit is what the
//! statistics learn from, so a step is credited only when it is known.

use super::Turn;
use crate::dialog::{KEEP_STEPS, Reply, ReplyKind, Stage, StepOutcome, StepRecord};
use crate::kb::IntentId;

impl Turn<'_> {
    /// Marks the latest shown step of the current intent.
    pub(super) fn mark(&mut self, outcome: StepOutcome) {
        let current = self.c.stage.intent().cloned();
        if let Some(record) = self
            .c
            .steps
            .iter_mut()
            .rev()
            .find(|r| Some(&r.intent) == current.as_ref())
            && record.outcome == StepOutcome::Shown
        {
            record.outcome = outcome;
        }
    }

    /// "That fixed it": the step on screen is credited. After "Show all"
    /// that step is not known (step 1 was credited for whichever did it),
    /// so the user is asked, and `fixed_at` takes the answer.
    pub(super) fn fixed(&mut self) -> Reply {
        let id = match &self.c.stage {
            Stage::Guiding { intent, .. } | Stage::AskingDevice { intent } => intent.clone(),
            Stage::Resolved { .. } => {
                return self.note("Already noted as fixed. Glad it's working.");
            }
            // Sorted before a reading was picked ("nvm, found them in the
            // hidden album"): nothing to credit, and nothing left to ask.
            Stage::Clarifying { .. } => {
                self.c.stage = Stage::Idle;
                return self.note("Glad it's sorted! Ask again here any time.");
            }
            _ => return self.note("There's nothing open to mark as fixed."),
        };
        if self.c.all_shown {
            self.c.stage = Stage::Resolved { intent: id.clone() };
            return Reply::new(
                ReplyKind::Resolved,
                "Glad that's sorted. Which step did it? Tell me its number (“step 3”) and I'll note it, which helps the next person with the same problem."
                    .to_string(),
            )
            .about(&id);
        }
        self.mark(StepOutcome::Fixed);
        let step = self
            .c
            .steps
            .iter()
            .rev()
            .find(|r| r.intent == id && r.outcome == StepOutcome::Fixed)
            .map(|r| r.step);
        self.c.stage = Stage::Resolved { intent: id.clone() };
        let text = match step {
            Some(step) => format!(
                "Glad that's sorted. I've noted that step {step} did it, which helps the next person with the same problem."
            ),
            None => "Glad that's sorted. I've noted it as fixed.".to_string(),
        };
        Reply::new(ReplyKind::Resolved, text).about(&id)
    }

    /// Whether the case is solved and waits to hear which step did it.
    pub(super) fn asks_which_step(&self) -> bool {
        self.c.awaits_answer()
    }

    /// Fixed, with no step credited: the reply names one not shown yet,
    /// or none ("it finished by itself overnight").
    pub(super) fn fixed_uncredited(&mut self) -> Reply {
        let id = match &self.c.stage {
            Stage::Guiding { intent, .. } => intent.clone(),
            _ => return self.fixed(),
        };
        self.c.all_shown = false;
        self.c.stage = Stage::Resolved { intent: id.clone() };
        Reply::new(
            ReplyKind::Resolved,
            "Glad that's sorted. I've noted it as fixed.".to_string(),
        )
        .about(&id)
    }

    /// "Step 5 fixed it", or the answer to "which step did it?": that step
    /// is credited, shown or not (the user may have read it in "Show
    /// all"). A step the steps do not have credits none.
    pub(super) fn fixed_at(&mut self, step: usize) -> Reply {
        let id = match &self.c.stage {
            Stage::Guiding { intent, .. } => intent.clone(),
            Stage::Resolved { intent } if self.asks_which_step() => intent.clone(),
            _ => return self.fixed(),
        };
        self.c.all_shown = false;
        let engine = self.engine;
        let steps = engine
            .kb
            .get(&id)
            .and_then(|i| i.response.steps(self.c.device))
            .unwrap_or_default();
        self.c.stage = Stage::Resolved { intent: id.clone() };
        let Some(said) = steps.get(step.wrapping_sub(1)) else {
            let text = format!(
                "Glad that's sorted. These steps have no step {step}, so I've noted it as fixed without crediting one."
            );
            return Reply::new(ReplyKind::Resolved, text).about(&id);
        };
        let record = StepRecord {
            intent: id.clone(),
            step,
            of: steps.len(),
            text: said.text.clone(),
            outcome: StepOutcome::Fixed,
        };
        let kept = self.c.steps.len() < KEEP_STEPS;
        match self
            .c
            .steps
            .iter_mut()
            .rev()
            .find(|r| r.intent == id && r.step == step)
        {
            Some(shown) => shown.outcome = StepOutcome::Fixed,
            None if kept => self.c.steps.push(record),
            None => {}
        }
        let text = format!(
            "Glad that's sorted. I've noted that step {step} did it, which helps the next person with the same problem."
        );
        Reply::new(ReplyKind::Resolved, text).about(&id)
    }

    /// "Stuck again" after "that fixed it": the fix did not hold, so its
    /// credit is taken back and the steps go on after it (from the first
    /// when it was the last, or when none was credited).
    pub(super) fn reopen(&mut self, id: IntentId) -> Reply {
        self.c.all_shown = false;
        let credited = self
            .c
            .steps
            .iter_mut()
            .rev()
            .find(|r| r.intent == id && r.outcome == StepOutcome::Fixed);
        let after = credited.map_or(0, |record| {
            record.outcome = StepOutcome::DidntHelp;
            record.step
        });
        let total = self
            .intent(&id)
            .and_then(|i| i.response.steps(self.c.device))
            .map_or(0, |s| s.len());
        if after == 0 || after >= total {
            return self.start(&id);
        }
        self.c.stage = Stage::Guiding {
            intent: id,
            step: after,
        };
        self.show_step(false)
    }
}
