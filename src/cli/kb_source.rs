//! Finds the knowledge base a command should use.

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use syncmedic::Engine;
use syncmedic::kb::KbFiles;
use syncmedic::learn::KbPlace;
use syncmedic::review::Item;
use syncmedic::review::overlay::Example;
use syncmedic::settings::Settings;
use syncmedic::store::{SqliteStore, Store};

/// `--kb DIR` if given; else `intents/` and `responses/` in the working
/// directory, then beside the binary; else the copy built into the binary.
pub fn files(kb: Option<&Path>) -> anyhow::Result<KbFiles> {
    match folder(kb) {
        Some(dir) => KbFiles::read_dir(&dir)
            .with_context(|| format!("reading the knowledge base in {}", dir.display())),
        None => Ok(syncmedic::shipped::files()),
    }
}

/// The folder `files` reads, `None` for the built-in copy.
pub fn folder(kb: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = kb {
        return Some(dir.to_path_buf());
    }
    let candidates: Vec<PathBuf> = [
        std::env::current_dir().ok(),
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let found = candidates.into_iter().find(|dir| KbFiles::exists_at(dir));
    if let Some(dir) = &found {
        tracing::debug!(dir = %dir.display(), "knowledge base found");
    }
    found
}

/// Where the knowledge base comes from, as `files` finds it.
pub fn place(kb: Option<&Path>) -> KbPlace {
    KbPlace { dir: folder(kb) }
}

/// The engine the bot answers with: the knowledge base for `kb` with the
/// review labels kept in the store laid over it, failing with every
/// knowledge-base problem listed.
pub fn engine(kb: Option<&Path>, settings: &Settings) -> anyhow::Result<Engine> {
    let overlay = overlay(settings)?;
    let place = place(kb);
    let origin = place.origin();
    place
        .engine(&overlay, settings.thresholds)
        .with_context(|| format!("loading {origin}"))
}

/// The labels the store keeps for a read-only knowledge base.
pub fn overlay(settings: &Settings) -> anyhow::Result<Vec<Example>> {
    Ok(syncmedic::review::overlay::kept_in_store(&labelled(
        settings,
    )?))
}

/// Every labelled review item in the store. A command that only reads
/// (`ask`, `eval`) never creates the database for it.
pub fn labelled(settings: &Settings) -> anyhow::Result<Vec<Item>> {
    if !SqliteStore::exists(&settings.database_url) {
        return Ok(Vec::new());
    }
    let store = SqliteStore::open(&settings.database_url)
        .with_context(|| format!("opening the database {}", settings.database_url))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the async runtime")?;
    runtime
        .block_on(store.review_labelled())
        .context("reading the labelled review items")
}
