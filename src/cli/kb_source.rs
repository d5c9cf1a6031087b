//! Finds the knowledge base a command should use.

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use syncmedic::Engine;
use syncmedic::kb::KbFiles;
use syncmedic::matcher::Thresholds;

/// `--kb DIR` if given; else `intents/` and `responses/` in the working
/// directory, then beside the binary; else the copy built into the binary.
pub fn files(kb: Option<&Path>) -> anyhow::Result<KbFiles> {
    match folder(kb) {
        Some(dir) => KbFiles::read_dir(&dir)
            .with_context(|| format!("reading the knowledge base in {}", dir.display())),
        None => Ok(KbFiles::embedded()),
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

/// The engine for `kb`, failing with every knowledge-base problem listed.
pub fn engine(kb: Option<&Path>, thresholds: Thresholds) -> anyhow::Result<Engine> {
    let files = files(kb)?;
    Engine::from_files(&files, thresholds).with_context(|| format!("loading {}", files.origin))
}
