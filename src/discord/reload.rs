//! Knowledge-base reload without a restart: on `/kb reload` and when the
//! watched files change. A new version goes in whole, and only if it loads
//! and validates; otherwise the running one stays and the problems are
//! reported, so a half-saved edit can never take the bot down.

use crate::engine::SharedEngine;
use crate::kb::KbError;
use crate::learn::{self, KbPlace};
use crate::matcher::Thresholds;
use crate::metrics::Metrics;
use crate::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What a reload swapped in: how many intents and examples the new version
/// holds.
#[derive(Debug)]
pub struct Reloaded {
    pub intents: usize,
    pub examples: usize,
}

/// One reload at a time, in the order they were asked for: a reload that
/// read the files before a label was written must not finish after the
/// label's own reload and swap the older version back in.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Loads the knowledge base from `place`, with the review labels the store
/// keeps laid over it, and swaps it in if it is valid.
pub async fn reload(
    place: &KbPlace,
    store: &dyn Store,
    thresholds: Thresholds,
    engine: &SharedEngine,
    metrics: &Metrics,
) -> Result<Reloaded, KbError> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let origin = place.origin();
    let overlay = match learn::overlay(store).await {
        Ok(overlay) => overlay,
        Err(err) => {
            // The labels stay in the store for the next reload; the files
            // alone are still worth loading.
            tracing::warn!(error = %err, "could not read the reviewed examples");
            Vec::new()
        }
    };
    let owned = place.clone();
    // Reading the files and training the matcher takes a while: off the
    // async workers.
    let loaded = tokio::task::spawn_blocking(move || {
        let engine = owned
            .engine(&overlay, thresholds)
            .map(|engine| (engine.kb.example_count(), engine.for_answering()));
        crate::malloc::release_free();
        engine
    })
    .await
    .unwrap_or_else(|join| {
        Err(KbError::Io {
            path: PathBuf::from(&origin),
            source: std::io::Error::other(format!("the loader stopped: {join}")),
        })
    });
    match loaded {
        Ok((examples, new)) => {
            let intents = new.kb.intents().len();
            engine.replace(new);
            Metrics::bump(&metrics.reloads_ok);
            tracing::info!(intents, examples, from = %origin, "knowledge base reloaded");
            Ok(Reloaded { intents, examples })
        }
        Err(err) => {
            Metrics::bump(&metrics.reloads_failed);
            tracing::error!(
                from = %origin,
                "the changed knowledge base does not load; keeping the running one:\n{err}"
            );
            Err(err)
        }
    }
}

/// Looks at the files every `every` and reloads once they have changed and
/// then stayed the same for one more look (an editor saving several files
/// is one change, not several).
pub fn watch(
    dir: PathBuf,
    every: Duration,
    thresholds: Thresholds,
    engine: Arc<SharedEngine>,
    metrics: Arc<Metrics>,
    store: Arc<dyn Store>,
) {
    let place = KbPlace {
        dir: Some(dir.clone()),
    };
    tokio::spawn(async move {
        let mut loaded = fingerprint(&dir);
        let mut last = loaded.clone();
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let look = dir.clone();
            let Ok(now) = tokio::task::spawn_blocking(move || fingerprint(&look)).await else {
                continue;
            };
            let settled = now == last;
            last = now;
            if settled && last != loaded {
                loaded = last.clone();
                tracing::info!(dir = %dir.display(), "knowledge-base files changed");
                // Failure is logged and counted inside; the old one stays.
                let _ = reload(&place, store.as_ref(), thresholds, &engine, &metrics).await;
            }
        }
    });
}

/// Names, sizes and modification times of the knowledge-base files: cheap
/// to take, and different after any save.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut seen = Vec::new();
    for folder in ["intents", "responses"] {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            // Following symlinks: mounted config files are often links
            // whose target is what changes.
            let meta = std::fs::metadata(entry.path()).ok();
            seen.push((
                entry.path(),
                meta.as_ref().map_or(0, |m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            ));
        }
    }
    seen.sort();
    seen
}
