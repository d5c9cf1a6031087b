//! Finds the knowledge base a command should use.

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use syncmedic::Engine;
use syncmedic::kb::KbFiles;
use syncmedic::matcher::Thresholds;

/// `--kb DIR` if given; else `intents/` and `responses/` in the working
/// directory, then beside the binary; else the copy built into the binary.
pub fn files(kb: Option<&Path>) -> anyhow::Result<KbFiles> {
    if let Some(dir) = kb {
        return KbFiles::read_dir(dir)
            .with_context(|| format!("reading the knowledge base in {}", dir.display()));
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
    for dir in candidates {
        if KbFiles::exists_at(&dir) {
            tracing::debug!(dir = %dir.display(), "knowledge base found");
            return KbFiles::read_dir(&dir)
                .with_context(|| format!("reading the knowledge base in {}", dir.display()));
        }
    }
    Ok(KbFiles::embedded())
}

/// The engine for `kb`, failing with every knowledge-base problem listed.
pub fn engine(kb: Option<&Path>, thresholds: Thresholds) -> anyhow::Result<Engine> {
    let files = files(kb)?;
    Engine::from_files(&files, thresholds).with_context(|| format!("loading {}", files.origin))
}
