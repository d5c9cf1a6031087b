//! `syncmedic check`: every problem in the knowledge base, with file and line.

use super::out::Out;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use syncmedic::kb::{Kb, KbError};
use syncmedic::matcher::{Matcher, Thresholds};

pub fn run(kb: Option<&Path>, thresholds: Thresholds) -> anyhow::Result<ExitCode> {
    let files = super::kb_source::files(kb)?;
    match Kb::from_files(&files) {
        Ok(kb) => {
            let examples: usize = kb.intents().iter().map(|i| i.examples.len()).sum();
            writeln!(
                Out,
                "ok: {} intents, {} examples, {} off-topic examples in {}",
                kb.intents().len(),
                examples,
                kb.offtopic().examples.len(),
                files.origin
            )?;
            // Training shows the lines in use: chosen by cross-validation
            // unless the settings fix them.
            let cut = Matcher::new(&kb, thresholds).cut();
            writeln!(
                Out,
                "matcher lines: answer {:.3}, clarify {:.3}, margin {:.3}",
                cut.answer, cut.clarify, cut.margin
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(KbError::Invalid(problems)) => {
            for problem in &problems {
                writeln!(Out, "{problem}")?;
            }
            writeln!(Out, "{} problem(s) in {}", problems.len(), files.origin)?;
            Ok(ExitCode::from(1))
        }
        Err(other) => {
            writeln!(Out, "{other}")?;
            Ok(ExitCode::from(1))
        }
    }
}
