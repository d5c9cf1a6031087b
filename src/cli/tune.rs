//! `syncmedic tune`: the matcher's lines chosen by cross-validation over
//! the knowledge base's examples, printed as the `[matcher]` settings.
//!
//! The shipped `config/default.toml` carries this command's output, so the
//! bot does not cross-validate at every start; a test keeps the two equal.

use super::out::Out;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use syncmedic::matcher::{Matcher, Thresholds};

pub fn run(kb: Option<&Path>) -> anyhow::Result<ExitCode> {
    let files = super::kb_source::files(kb)?;
    let kb = syncmedic::kb::Kb::from_files(&files)?;
    // No line given: every one is chosen by cross-validation.
    let cut = Matcher::new(&kb, Thresholds::default()).cut();
    writeln!(Out, "# chosen by cross-validation over {}", files.origin)?;
    writeln!(Out, "[matcher]")?;
    writeln!(Out, "answer = {}", round(cut.answer))?;
    writeln!(Out, "clarify = {}", round(cut.clarify))?;
    writeln!(Out, "margin = {}", round(cut.margin))?;
    Ok(ExitCode::SUCCESS)
}

/// The lines lie on a grid of 0.025; printed without float noise.
fn round(v: f32) -> f64 {
    (f64::from(v) * 1000.0).round() / 1000.0
}
