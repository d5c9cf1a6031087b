//! Subcommands, one file each; this file parses arguments and dispatches.

mod ask;
mod chat;
mod check;
mod eval;
mod kb_source;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// A support bot for iCloud Photos sync problems.
#[derive(Debug, Parser)]
#[command(name = "syncmedic", version, about)]
struct Cli {
    /// Folder holding intents/ and responses/ (default: the working
    /// directory, then the binary's folder, then the built-in copy).
    #[arg(long, global = true, value_name = "DIR")]
    kb: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Answer one message and exit.
    Ask(ask::Args),
    /// Talk to the bot in the terminal (reads standard input line by line).
    Chat,
    /// Validate the knowledge base; exit code 1 on any problem.
    Check,
    /// Score the matcher on a labelled `text<TAB>label` file.
    Eval(eval::Args),
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    init_tracing();
    match cli.command {
        Command::Ask(args) => ask::run(cli.kb.as_deref(), &args),
        Command::Chat => chat::run(cli.kb.as_deref()),
        Command::Check => check::run(cli.kb.as_deref()),
        Command::Eval(args) => eval::run(cli.kb.as_deref(), &args),
    }
}

/// Logs go to standard error so they never mix with answers or JSON.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
