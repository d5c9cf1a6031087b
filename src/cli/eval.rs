//! `syncmedic eval FILE.tsv [--json]`: how well the matcher does on a
//! labelled file.

use super::out::Out;
use anyhow::Context as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use syncmedic::eval;
use syncmedic::review::State;
use syncmedic::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rows of `text<TAB>label` under a `text<TAB>label` header; label
    /// `none` marks a message the bot must not answer.
    #[arg(required_unless_present = "reviews", conflicts_with = "reviews")]
    file: Option<PathBuf>,
    /// Score the bot on the review items staff have labelled (the team's
    /// own messages, from the store) instead of a file.
    #[arg(long)]
    reviews: bool,
    /// Print one JSON object on the last line instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(kb: Option<&Path>, settings: &Settings, args: &Args) -> anyhow::Result<ExitCode> {
    let engine = super::kb_source::engine(kb, settings)?;
    let rows = match &args.file {
        Some(file) => {
            let tsv = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            eval::parse(&tsv, &engine).with_context(|| format!("in {}", file.display()))?
        }
        None => reviewed(settings)?,
    };
    if rows.is_empty() {
        eprintln!("Nothing to score: no review item has been labelled yet.");
        return Ok(ExitCode::from(1));
    }
    let report = eval::run(&engine, &rows);
    if args.json {
        writeln!(Out, "{}", serde_json::to_string(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(Out, "{:<28} {:>4} {:>6}", "label", "n", "recall")?;
    for (label, stats) in &report.per_label {
        writeln!(Out, "{label:<28} {:>4} {:>6.2}", stats.n, stats.recall)?;
    }
    if !report.misses.is_empty() {
        writeln!(Out, "\nhandled wrong (line: label -> got: text):")?;
        for miss in &report.misses {
            writeln!(
                Out,
                "  {}: {} -> {}: {}",
                miss.line, miss.label, miss.got, miss.text
            )?;
        }
    }
    writeln!(
        Out,
        "\nrows {}  accuracy {:.3}  helped {:.3}  top1 {:.3}  top3 {:.3}  wrong_answer {:.3}  offtopic_answered {:.3}  offtopic_clarified {:.3}  clarified {:.3}  per_message {:.1} us (median)",
        report.n,
        report.accuracy,
        report.helped,
        report.top1,
        report.top3,
        report.wrong_answer,
        report.offtopic_answered,
        report.offtopic_clarified,
        report.clarified,
        report.per_message_us
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The labelled review items as rows: the line is the item's id.
fn reviewed(settings: &Settings) -> anyhow::Result<Vec<eval::Row>> {
    let items = super::kb_source::labelled(settings)?;
    Ok(items
        .into_iter()
        .filter_map(|item| match item.state {
            State::Labelled { label, .. } => Some(eval::Row {
                line: usize::try_from(item.id).unwrap_or(0),
                text: item.text,
                label: label.to_string(),
            }),
            _ => None,
        })
        .collect())
}
