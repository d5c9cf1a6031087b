//! Questions that wait in the store, not in memory, while the bot's send
//! queue is long.
//!
//! Every question waiting for its turn to Discord is a handler held in
//! memory, about 50 KB each: a burst of 1,438 questions at Discord's pace
//! took the bot from 28 to 98 MiB. Past `WINDOW` waiting, a new question is
//! written to the store's backlog and its handler ends; a worker hands the
//! backlog back to the handler oldest first, as room frees up. The backlog
//! survives a restart, and nothing in it is dropped.

use super::data::Data;
use super::events;
use crate::store::BacklogRow;
use serenity::all::{Context, Message};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Questions held in memory at most, waiting (for the send queue or their
/// conversation's turn) or being handled, before new ones wait in the
/// store instead.
pub const WINDOW: usize = 64;

/// The backlog's state in this process.
#[derive(Debug, Default)]
pub struct Backlog {
    /// The store may hold questions: new ones queue behind them, so the
    /// order of arrival is kept.
    active: AtomicBool,
    /// The worker has been started (at the first READY).
    started: AtomicBool,
    wake: tokio::sync::Notify,
    /// Rows handed to a handler and not yet done, and their authors: one
    /// author's questions go one at a time, so their cooldown and order
    /// hold as when they were asked.
    taken: Mutex<Taken>,
}

#[derive(Debug, Default)]
struct Taken {
    rows: HashSet<u64>,
    authors: HashSet<u64>,
    /// Rows finished since the worker last read the store: its read may
    /// predate their removal, and must not hand them out again.
    finished: HashSet<u64>,
}

impl Backlog {
    /// Whether a question should wait in the store: others already do, or
    /// `in_memory` (the send queue) is at the window.
    pub fn should_wait(&self, in_memory: usize) -> bool {
        self.active.load(Ordering::SeqCst) || in_memory >= WINDOW
    }

    fn taken(&self) -> std::sync::MutexGuard<'_, Taken> {
        self.taken
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Writes `msg` to the backlog; false when the store refused (the caller
/// then handles it at once: better late memory than a lost question).
pub async fn keep(data: &Data, msg: &Message) -> bool {
    let payload = match serde_json::to_string(msg) {
        Ok(payload) => payload,
        Err(err) => {
            tracing::error!(error = %err, "could not write a question for the backlog");
            return false;
        }
    };
    // Some messages do not read back from serenity's own JSON (a forwarded
    // one's snapshots): those are answered now rather than lost later.
    if let Err(err) = serde_json::from_str::<Message>(&payload) {
        tracing::debug!(error = %err, "a message that would not read back: answered now");
        return false;
    }
    let row = BacklogRow {
        message: msg.id.get(),
        author: msg.author.id.get(),
        payload,
    };
    if let Err(err) = data.store.backlog_push(row).await {
        tracing::error!(error = %err, "could not keep a question in the backlog");
        return false;
    }
    data.backlog.active.store(true, Ordering::SeqCst);
    data.backlog.wake.notify_one();
    crate::metrics::Metrics::bump(&data.metrics.backlog_kept);
    tracing::debug!("kept in the backlog until there is room");
    true
}

/// Starts the worker that hands the backlog to the handler; once per run.
pub fn start(ctx: &Context, data: &Arc<Data>) {
    if data.backlog.started.swap(true, Ordering::SeqCst) {
        return;
    }
    // Rows left by an earlier run wait from the start.
    data.backlog.active.store(true, Ordering::SeqCst);
    let (ctx, data) = (ctx.clone(), Arc::clone(data));
    tokio::spawn(async move {
        while !data.in_flight.is_closed() {
            let in_memory = data.waiting_in_memory();
            let room = WINDOW.saturating_sub(in_memory.max(data.backlog.taken().rows.len()));
            if room == 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            data.backlog.taken().finished.clear();
            let oldest = match data.store.backlog_oldest(WINDOW * 2).await {
                Ok(oldest) => oldest,
                Err(err) => {
                    tracing::error!(error = %err, "could not read the backlog");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let waiting = !oldest.is_empty();
            let batch: Vec<BacklogRow> = {
                let mut taken = data.backlog.taken();
                let mut batch = Vec::new();
                for row in oldest {
                    if batch.len() == room {
                        break;
                    }
                    let busy = taken.rows.contains(&row.message)
                        || taken.finished.contains(&row.message)
                        || taken.authors.contains(&row.author);
                    if !busy {
                        taken.rows.insert(row.message);
                        taken.authors.insert(row.author);
                        batch.push(row);
                    }
                }
                batch
            };
            if batch.is_empty() {
                if !waiting && data.backlog.taken().rows.is_empty() {
                    // Empty: new questions go straight to their handlers
                    // again. One pushed meanwhile set the flag back.
                    data.backlog.active.store(false, Ordering::SeqCst);
                }
                let _ = tokio::time::timeout(Duration::from_secs(1), data.backlog.wake.notified())
                    .await;
                continue;
            }
            for row in batch {
                let (ctx, data) = (ctx.clone(), Arc::clone(&data));
                tokio::spawn(async move {
                    let _running = data.in_flight.enter();
                    hand_back(&ctx, &data, &row).await;
                    let mut taken = data.backlog.taken();
                    taken.finished.insert(row.message);
                    taken.rows.remove(&row.message);
                    taken.authors.remove(&row.author);
                    drop(taken);
                    data.backlog.wake.notify_one();
                });
            }
        }
    });
}

/// Handles one row and clears it. A row that does not read as a message
/// (checked when kept, so only from a changed serenity) is set aside in
/// the log, not retried for ever.
async fn hand_back(ctx: &Context, data: &Data, row: &BacklogRow) {
    match serde_json::from_str::<Message>(&row.payload) {
        Ok(msg) => {
            let span = tracing::info_span!(
                "backlog",
                channel = msg.channel_id.get(),
                message = row.message,
                intent = tracing::field::Empty,
            );
            let handled =
                tracing::Instrument::instrument(events::from_backlog(ctx, &msg, data), span).await;
            if let Err(err) = handled {
                tracing::error!(
                    error = format!("{err:#}"),
                    "a question from the backlog failed"
                );
            }
        }
        Err(err) => {
            tracing::error!(error = %err, message = row.message, "a backlog row that does not read as a message; dropped");
        }
    }
    if let Err(err) = data.store.backlog_remove(row.message).await {
        tracing::error!(error = %err, message = row.message, "could not clear a backlog row");
    }
}

/// When `msg` was written, as an instant of this process: its id holds the
/// time (milliseconds since 2015). Never later than `now`.
pub fn written_at(msg: &Message, now: Instant) -> Instant {
    const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
    let written_ms = (msg.id.get() >> 22) + DISCORD_EPOCH_MS;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let age = Duration::from_millis(now_ms.saturating_sub(written_ms));
    now.checked_sub(age).unwrap_or(now)
}
