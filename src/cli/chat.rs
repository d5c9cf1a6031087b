//! `syncmedic chat`: the conversation in the terminal.

use std::io::IsTerminal as _;
use std::path::Path;
use std::process::ExitCode;
use syncmedic::console::{self, Style};
use syncmedic::matcher::Thresholds;

pub fn run(kb: Option<&Path>, thresholds: Thresholds) -> anyhow::Result<ExitCode> {
    let engine = super::kb_source::engine(kb, thresholds)?;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let stdout = std::io::stdout();
    console::chat(
        &engine,
        stdin.lock(),
        stdout.lock(),
        Style::for_stdout(),
        interactive,
    )?;
    Ok(ExitCode::SUCCESS)
}
