//! A label becomes knowledge: the one service both the terminal's
//! `syncmedic review label` and Discord's `/kb review` call.
//!
//! The example is appended to `intents/<intent>.toml` when the knowledge
//! base is a folder the bot may write (a temporary file renamed over the
//! old one, under a lock, so a reader never sees half a file and two
//! labels at once both land); otherwise it is kept in the store and laid
//! over the files at every load. Either way the knowledge base must pass
//! the same checks as `syncmedic check` with the example in it, or the
//! label is refused and nothing changes.

use crate::engine::Engine;
use crate::kb::{Kb, KbError, KbFiles, append_example, has_example};
use crate::matcher::Thresholds;
use crate::review::overlay::{self, Example};
use crate::review::{Change, Item, Kept, Label, State};
use crate::store::{Store, StoreError, now_ms};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where the knowledge base comes from: a folder, or the copy built into
/// the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbPlace {
    pub dir: Option<PathBuf>,
}

impl KbPlace {
    /// For messages: the folder, or "the built-in knowledge base".
    pub fn origin(&self) -> String {
        self.dir.as_ref().map_or_else(
            || "the built-in knowledge base".to_string(),
            |d| d.display().to_string(),
        )
    }

    /// The files as they are, without labels kept in the store.
    pub fn base(&self) -> Result<KbFiles, KbError> {
        match &self.dir {
            Some(dir) => KbFiles::read_dir(dir),
            None => Ok(crate::shipped::files()),
        }
    }

    /// The files with the store's labels laid over them. A label the
    /// files no longer take (the team has since put the text under another
    /// intent) is left out with a warning: labels kept in the store must
    /// never stop files that load on their own from loading.
    pub fn files(&self, overlay: &[Example]) -> Result<KbFiles, KbError> {
        let base = self.base()?;
        let (files, skipped) = overlay::apply(base.clone(), overlay);
        for s in &skipped {
            tracing::warn!(label = %s.example.label, why = %s.why, "a reviewed example could not be applied");
        }
        if overlay.is_empty() || Kb::from_files(&files).is_ok() {
            return Ok(files);
        }
        // Rare: find the labels that break it, one at a time.
        let mut kept = base;
        for example in overlay {
            let (with, _) = overlay::apply(kept.clone(), std::slice::from_ref(example));
            match Kb::from_files(&with) {
                Ok(_) => kept = with,
                Err(err) => tracing::warn!(
                    label = %example.label,
                    text = %example.text,
                    "a reviewed example kept in the store no longer fits the knowledge base; left out:\n{err}"
                ),
            }
        }
        Ok(kept)
    }

    /// The engine over the files and the store's labels.
    pub fn engine(&self, overlay: &[Example], thresholds: Thresholds) -> Result<Engine, KbError> {
        crate::shipped::engine(&self.files(overlay)?, thresholds)
    }
}

/// The labels a load lays over the files, from the store.
pub async fn overlay(store: &dyn Store) -> Result<Vec<Example>, StoreError> {
    Ok(overlay::kept_in_store(&store.review_labelled().await?))
}

/// Why a label did not land.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("there is no review item {0}")]
    NoSuchItem(i64),
    #[error("item {} is labelled already", .0.id)]
    AlreadyLabelled(Box<Item>),
    #[error("there is no intent {0:?} in the knowledge base")]
    UnknownIntent(String),
    #[error("with this example the knowledge base would not load, so nothing was changed:\n{0}")]
    Refused(KbError),
    #[error("the example cannot be added: {0}")]
    Unusable(#[from] crate::kb::AppendError),
    #[error("the example cannot be added: {0}")]
    NotApplied(String),
    #[error("another process is editing the knowledge base ({0} is locked); try again")]
    Busy(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A label that landed.
#[derive(Debug, Clone)]
pub struct Learned {
    pub item: Item,
    pub kept: Kept,
    /// The file the example is in (or laid over), relative to the
    /// knowledge base.
    pub file: String,
    /// The file had the example already; nothing was written.
    pub known: bool,
}

/// Labels item `id` as `label`, by user `by` (0 in the terminal), and
/// writes its example. One label at a time per process; the file lock
/// orders labels from several processes.
pub async fn label(
    store: &dyn Store,
    place: &KbPlace,
    id: i64,
    label: Label,
    by: u64,
) -> Result<Learned, LabelError> {
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let item = store
        .review_item(id)
        .await?
        .ok_or(LabelError::NoSuchItem(id))?;
    if matches!(item.state, State::Labelled { .. }) {
        return Err(LabelError::AlreadyLabelled(Box::new(item)));
    }
    let overlay = overlay(store).await?;
    let example = Example {
        label: label.clone(),
        text: item.text.clone(),
        comment: overlay::comment(&item, now_ms() / 1000),
    };
    let task_place = place.clone();
    let written = tokio::task::spawn_blocking(move || write(&task_place, &overlay, &example))
        .await
        .map_err(|join| LabelError::Io {
            path: PathBuf::from(label.file()),
            source: std::io::Error::other(format!("the writer stopped: {join}")),
        })??;
    let (kept, known) = written;
    let item = match store.review_label(id, label.clone(), by, kept).await? {
        Some(Change::Made(item)) => item,
        Some(Change::Refused(item)) => return Err(LabelError::AlreadyLabelled(Box::new(item))),
        None => return Err(LabelError::NoSuchItem(id)),
    };
    tracing::info!(item = id, label = %label, kept = kept.as_str(), known, "review item labelled");
    Ok(Learned {
        item,
        kept,
        file: label.file(),
        known,
    })
}

/// Checks the knowledge base with the example and writes it: to the file
/// when the folder takes writes, else nowhere (the store keeps it).
/// Returns where it is kept and whether it was there already.
fn write(
    place: &KbPlace,
    overlay: &[Example],
    example: &Example,
) -> Result<(Kept, bool), LabelError> {
    let files = place.files(overlay).map_err(LabelError::Refused)?;
    let path = example.label.file();
    let Some(file) = files
        .files
        .iter()
        .find(|f| f.path.to_str() == Some(path.as_str()))
    else {
        return Err(LabelError::UnknownIntent(example.label.to_string()));
    };
    let known = has_example(&file.text, &example.text);
    let Some(dir) = &place.dir else {
        if !known {
            check(&files, example)?;
        }
        return Ok((Kept::Store, known));
    };
    if known {
        return Ok((Kept::File, true));
    }
    match write_file(dir, example) {
        Ok(known) => Ok((Kept::File, known)),
        Err(LabelError::Io { source, path }) if read_only(&source) => {
            tracing::warn!(path = %path.display(), error = %source, "the knowledge base is read-only; the label is kept in the store");
            check(&files, example)?;
            Ok((Kept::Store, false))
        }
        Err(err) => Err(err),
    }
}

/// The knowledge base `files` plus `example` must load.
fn check(files: &KbFiles, example: &Example) -> Result<(), LabelError> {
    let (with, skipped) = overlay::apply(files.clone(), std::slice::from_ref(example));
    if let Some(s) = skipped.first() {
        return Err(LabelError::NotApplied(s.why.clone()));
    }
    Kb::from_files(&with).map(drop).map_err(LabelError::Refused)
}

fn read_only(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// How long a label waits for another process's edit to finish.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Appends under the folder's lock: reads the file fresh, edits, checks
/// the whole knowledge base with the edit, writes a temporary file beside
/// it and renames it over the old one. Returns true when the fresh file
/// had the example already (another process added it meanwhile).
fn write_file(dir: &Path, example: &Example) -> Result<bool, LabelError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LabelError::Io { path, source }
    };
    let lock_path = dir.join(".syncmedic-review.lock");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    hold(&lock, &lock_path)?;
    let relative = example.label.file();
    let path = dir.join(&relative);
    let old = std::fs::read_to_string(&path).map_err(io(&path))?;
    if has_example(&old, &example.text) {
        return Ok(true);
    }
    let new = append_example(&old, &example.text, &example.comment)?;
    let mut files = KbFiles::read_dir(dir).map_err(LabelError::Refused)?;
    if let Some(file) = files
        .files
        .iter_mut()
        .find(|f| f.path.to_str() == Some(relative.as_str()))
    {
        file.text.clone_from(&new);
    }
    Kb::from_files(&files).map_err(LabelError::Refused)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("intent.toml");
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut out = std::fs::File::create(&temporary)?;
        out.write_all(new.as_bytes())?;
        out.sync_all()?;
        if let Ok(meta) = std::fs::metadata(&path) {
            std::fs::set_permissions(&temporary, meta.permissions())?;
        }
        std::fs::rename(&temporary, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(io(&path))?;
    drop(lock);
    Ok(false)
}

/// Takes the lock, waiting at most `LOCK_WAIT`: a label never hangs on a
/// process that stopped while holding it.
fn hold(lock: &std::fs::File, path: &Path) -> Result<(), LabelError> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(LabelError::Busy(path.to_path_buf()));
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(LabelError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// Writes every label kept in the store into a copy of the knowledge
/// base's intent files under `out` (`out/intents/<id>.toml`, the files
/// whole), and a unified diff of the change as `out/review.patch`, for
/// `patch -p1` or `git apply` in the knowledge base's folder. Returns the
/// files written.
pub fn export(
    place: &KbPlace,
    overlay: &[Example],
    out: &Path,
) -> Result<Vec<PathBuf>, LabelError> {
    let base = place.base().map_err(LabelError::Refused)?;
    let (with, skipped) = overlay::apply(base.clone(), overlay);
    if let Some(s) = skipped.first() {
        return Err(LabelError::NotApplied(s.why.clone()));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LabelError::Io { path, source }
    };
    let mut written = Vec::new();
    let mut patch = String::new();
    for (old, new) in base.files.iter().zip(&with.files) {
        if old.text == new.text {
            continue;
        }
        let target = out.join(&new.path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
        }
        std::fs::write(&target, &new.text).map_err(io(&target))?;
        written.push(target);
        patch.push_str(&crate::review::diff::unified(
            &new.path.to_string_lossy(),
            &old.text,
            &new.text,
        ));
    }
    if !patch.is_empty() {
        let target = out.join("review.patch");
        std::fs::write(&target, patch).map_err(io(&target))?;
        written.push(target);
    }
    Ok(written)
}
