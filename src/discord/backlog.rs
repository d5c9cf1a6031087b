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
use serenity::all::{Context, Message};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Questions held in memory at most, waiting or being handled, before new
/// ones wait in the store instead.
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
    /// Backlog rows handed to a handler and not yet done.
    taken: Mutex<HashSet<u64>>,
}

impl Backlog {
    /// Whether a question should wait in the store: others already do, or
    /// `in_memory` (the send queue) is at the window.
    pub fn should_wait(&self, in_memory: usize) -> bool {
        self.active.load(Ordering::SeqCst) || in_memory >= WINDOW
    }

    fn taken(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
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
    if let Err(err) = data.store.backlog_push(msg.id.get(), payload).await {
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
            let room = WINDOW.saturating_sub(data.pacer.waiting().max(data.backlog.taken().len()));
            if room == 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            let oldest = match data.store.backlog_oldest(WINDOW * 2).await {
                Ok(oldest) => oldest,
                Err(err) => {
                    tracing::error!(error = %err, "could not read the backlog");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let batch: Vec<(u64, String)> = {
                let taken = data.backlog.taken();
                oldest
                    .into_iter()
                    .filter(|(id, _)| !taken.contains(id))
                    .take(room)
                    .collect()
            };
            if batch.is_empty() {
                if data.backlog.taken().is_empty() {
                    // Empty: new questions go straight to their handlers
                    // again. One pushed meanwhile set the flag back.
                    data.backlog.active.store(false, Ordering::SeqCst);
                }
                let _ = tokio::time::timeout(Duration::from_secs(1), data.backlog.wake.notified())
                    .await;
                continue;
            }
            for (id, payload) in batch {
                data.backlog.taken().insert(id);
                let (ctx, data) = (ctx.clone(), Arc::clone(&data));
                tokio::spawn(async move {
                    let _running = data.in_flight.enter();
                    match serde_json::from_str::<Message>(&payload) {
                        Ok(msg) => {
                            let span = tracing::info_span!(
                                "backlog",
                                channel = msg.channel_id.get(),
                                message = id,
                                intent = tracing::field::Empty,
                            );
                            if let Err(err) = tracing::Instrument::instrument(
                                events::from_backlog(&ctx, &msg, &data),
                                span,
                            )
                            .await
                            {
                                tracing::error!(
                                    error = format!("{err:#}"),
                                    "a question from the backlog failed"
                                );
                            }
                        }
                        Err(err) => {
                            tracing::error!(error = %err, message = id, "a backlog row that does not read as a message; dropped");
                        }
                    }
                    if let Err(err) = data.store.backlog_remove(id).await {
                        tracing::error!(error = %err, message = id, "could not clear a backlog row");
                    }
                    data.backlog.taken().remove(&id);
                    data.backlog.wake.notify_one();
                });
            }
        }
    });
}
