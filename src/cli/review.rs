//! `syncmedic review`: the review queue in the terminal, over the same
//! store as the bot's.

use super::out::Out;
use anyhow::Context as _;
use serde_json::json;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use syncmedic::learn::{self, LabelError};
use syncmedic::review::{self, Change, Item, Kept, Resolved};
use syncmedic::settings::Settings;
use syncmedic::store::{SqliteStore, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// With no action: print the queue as JSON, one object.
    #[arg(long)]
    json: bool,
    /// With no action: how many items to list.
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Label item ID as INTENT (an intent id or title, or `none` for
    /// chatter the bot must leave alone): its text becomes an example.
    Label { id: i64, intent: String },
    /// Set item ID aside without a label.
    Skip { id: i64 },
    /// Write the labels kept in the store (a read-only knowledge base) as
    /// intent files and a patch under DIR.
    Export { dir: PathBuf },
}

/// The terminal's user id in `labelled_by`.
const TERMINAL: u64 = 0;

pub fn run(kb: Option<&Path>, settings: &Settings, args: &Args) -> anyhow::Result<ExitCode> {
    let store = SqliteStore::open(&settings.database_url)
        .with_context(|| format!("opening the database {}", settings.database_url))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the async runtime")?;
    let place = super::kb_source::place(kb);
    match &args.action {
        None => {
            let items = runtime.block_on(store.review_open(args.limit))?;
            let counts = runtime.block_on(store.review_counts())?;
            if args.json {
                writeln!(Out, "{}", json!({ "counts": counts, "items": items }))?;
            } else {
                write!(Out, "{}", list(&items))?;
                writeln!(
                    Out,
                    "{} open, {} labelled, {} skipped. Label one with `syncmedic review label ID INTENT` (or `none`).",
                    counts.open, counts.labelled, counts.skipped
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Action::Label { id, intent }) => {
            let engine = super::kb_source::engine(kb, settings)?;
            let label = match review::resolve(&engine.kb, intent) {
                Resolved::Found(label) => label,
                Resolved::Unknown { closest } => {
                    let hint = match closest.as_slice() {
                        [] => "See `intents/` for the ids, or use `none`.".to_string(),
                        ids => format!(
                            "Did you mean {}?",
                            ids.iter()
                                .map(|i| i.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    eprintln!("error: no intent {intent:?}. {hint}");
                    return Ok(ExitCode::from(2));
                }
            };
            drop(engine);
            match runtime.block_on(learn::label(&store, &place, *id, label, TERMINAL)) {
                Ok(learned) => {
                    let whence = match (learned.kept, learned.known) {
                        (_, true) => format!("{} has it already", learned.file),
                        (Kept::File, false) => format!("added to {}", learned.file),
                        (Kept::Store, false) => format!(
                            "kept in the store over the read-only knowledge base ({}); `syncmedic review export DIR` writes it out",
                            learned.file
                        ),
                    };
                    writeln!(
                        Out,
                        "Item {id} labelled {}: {whence}.",
                        label_of(&learned.item)
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(err @ (LabelError::NoSuchItem(_) | LabelError::AlreadyLabelled(_))) => {
                    eprintln!("error: {err}");
                    Ok(ExitCode::from(2))
                }
                Err(err) => Err(err).context(format!("labelling item {id}")),
            }
        }
        Some(Action::Skip { id }) => match runtime.block_on(store.review_skip(*id))? {
            Some(Change::Made(_)) => {
                writeln!(Out, "Item {id} skipped.")?;
                Ok(ExitCode::SUCCESS)
            }
            Some(Change::Refused(_)) => {
                eprintln!("error: item {id} is not open");
                Ok(ExitCode::from(2))
            }
            None => {
                eprintln!("error: there is no review item {id}");
                Ok(ExitCode::from(2))
            }
        },
        Some(Action::Export { dir }) => {
            let overlay = runtime.block_on(learn::overlay(&store))?;
            let written = learn::export(&place, &overlay, dir)
                .with_context(|| format!("exporting to {}", dir.display()))?;
            if written.is_empty() {
                writeln!(
                    Out,
                    "No labels are kept in the store: the knowledge base's files have them all."
                )?;
            }
            for path in written {
                writeln!(Out, "wrote {}", path.display())?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn label_of(item: &Item) -> String {
    match &item.state {
        review::State::Labelled { label, .. } => label.to_string(),
        _ => "?".to_string(),
    }
}

/// The queue for people: one item a block.
fn list(items: &[Item]) -> String {
    if items.is_empty() {
        return "The review queue is empty.\n".to_string();
    }
    let mut out = String::new();
    for item in items {
        let readings: Vec<String> = item
            .readings
            .iter()
            .map(|r| format!("{} {:.2}", r.intent, r.score))
            .collect();
        out.push_str(&format!(
            "#{:<5} {:<16} ×{:<3} {}\n       readings: {}\n",
            item.id,
            item.reason.as_str(),
            item.count,
            one_line(&item.text, 100),
            if readings.is_empty() {
                "-".to_string()
            } else {
                readings.join(", ")
            }
        ));
    }
    out
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match flat.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &flat[..end]),
        None => flat,
    }
}
