//! `syncmedic stats [--days N] [--json] [--png FILE]`: what helped, per
//! intent and per week, from the store.

use super::out::Out;
use anyhow::Context as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use syncmedic::settings::Settings;
use syncmedic::store::{SqliteStore, now_ms};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many days back to count.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write the chart `/kb stats` attaches, as a PNG file.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
}

pub fn run(settings: &Settings, args: &Args) -> anyhow::Result<ExitCode> {
    let store = SqliteStore::open(&settings.database_url)
        .with_context(|| format!("opening the database {}", settings.database_url))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the async runtime")?;
    let report = runtime
        .block_on(syncmedic::stats::gather(&store, args.days, now_ms() / 1000))
        .context("reading the statistics")?;
    if let Some(path) = &args.png {
        let chart = syncmedic::stats::chart_png(&report).context("drawing the chart")?;
        std::fs::write(path, chart)
            .with_context(|| format!("writing the chart to {}", path.display()))?;
    }
    if args.json {
        writeln!(Out, "{}", serde_json::to_string(&report)?)?;
    } else {
        writeln!(Out, "{}", syncmedic::stats::table(&report).trim_end())?;
        writeln!(Out, "\n{}", syncmedic::stats::review_line(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}
