//! Subcommands, one file each; this file parses arguments and dispatches.

mod ask;
mod chat;
mod check;
mod doctor;
mod eval;
mod healthcheck;
mod kb_source;
mod out;
mod review;
mod serve;
mod stats;
mod tune;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use syncmedic::settings::Settings;

/// A support bot for iCloud Photos sync problems.
#[derive(Debug, Parser)]
#[command(name = "syncmedic", version, about)]
struct Cli {
    /// Folder holding intents/ and responses/ (default: the working
    /// directory, then the binary's folder, then the built-in copy).
    #[arg(long, global = true, value_name = "DIR")]
    kb: Option<PathBuf>,
    /// Settings file, read over the built-in defaults (config/default.toml);
    /// SYNCMEDIC__SECTION__KEY environment variables override both.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
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
    /// Run the bot on Discord (token from DISCORD_TOKEN or discord.token_file).
    Serve,
    /// Check the set-up and show what the bot sees on Discord: application
    /// and invite link, intents, guilds, each channel and role by name with
    /// the permissions it lacks. Exit code 0 only when `serve` would work.
    Doctor,
    /// Ask a running `serve` whether it is healthy (GET /healthz on
    /// health.bind); exit code 0 only if it is. For container HEALTHCHECKs.
    Healthcheck(healthcheck::Args),
    /// The review queue: what the bot did not know, for staff to label
    /// (`review`, `review label ID INTENT`, `review skip ID`, `review
    /// export DIR`).
    Review(review::Args),
    /// What helped, per intent: conversations, resolved, escalated, winning steps.
    Stats(stats::Args),
    /// Choose the matcher's lines by cross-validation over the examples and
    /// print them as `[matcher]` settings.
    Tune,
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Serve) {
        "info"
    } else {
        "warn"
    };
    let settings = Settings::load(cli.config.as_deref()).context("reading the settings")?;
    syncmedic::logs::init(settings.log_format, default_level);
    let kb = cli.kb.as_deref();
    match cli.command {
        Command::Ask(args) => ask::run(kb, &settings, &args),
        Command::Chat => chat::run(kb, &settings),
        Command::Check => check::run(kb, settings.thresholds),
        Command::Eval(args) => eval::run(kb, &settings, &args),
        Command::Serve => serve::run(kb, settings),
        Command::Doctor => doctor::run(kb, &settings),
        Command::Healthcheck(args) => healthcheck::run(&settings, &args),
        Command::Review(args) => review::run(kb, &settings, &args),
        Command::Stats(args) => stats::run(&settings, &args),
        Command::Tune => tune::run(kb),
    }
}

pub use out::reader_gone;

/// An error as the user sees it, with any secret cut out: the chain of
/// causes on one line, each told once. The library's errors name their
/// cause in their own message, so that a log line of one of them says it
/// all; the chain would then say it a second time.
pub fn describe(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.ends_with(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    syncmedic::logs::redacted(&line)
}

#[cfg(test)]
mod tests {
    use super::describe;
    use anyhow::Context as _;

    #[test]
    fn a_cause_named_by_its_error_is_not_told_again() {
        let io = || std::io::Error::other("disk on fire");
        let named = syncmedic::store::StoreError::Folder {
            path: "data".into(),
            source: io(),
        };
        let err = Err::<(), _>(named)
            .context("opening the store")
            .unwrap_err();
        assert_eq!(
            describe(&err),
            "opening the store: cannot create the database folder data: disk on fire"
        );
        // A cause its error does not name is still told.
        let err = Err::<(), _>(io()).context("reading").unwrap_err();
        assert_eq!(describe(&err), "reading: disk on fire");
    }
}
