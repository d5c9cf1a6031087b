//! Sends the posts the store has queued (ticket posts, reminders) until
//! Discord takes them, and queues reminders for unclaimed tickets.
//!
//! Every try carries the post's nonce with `enforce_nonce`, so a retry after
//! a lost reply (a timeout, a crash between sending and recording) cannot
//! make a second copy. serenity cannot read a 429's `retry_after` when its
//! own limiter is off, so a 429 waits at least a second and doubles.

mod reminders;
mod send;

pub use send::ticket_buttons;

use super::pace::Pacer;
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::store::{Store, now_ms};
use reminders::{queue_reminders, reminder_check_every};
use send::deliver;
use serenity::all::Http;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::Notify;

/// How many batches a shutdown flush sends at most.
const FLUSH_ROUNDS: usize = 10;
/// The longest the worker sleeps without looking at the outbox.
const IDLE: Duration = Duration::from_secs(1);
/// From a worker's death to its restart.
const RESTART_AFTER: Duration = Duration::from_secs(1);

/// The running outbox worker.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// What the worker works with.
pub struct Deps {
    pub http: Arc<Http>,
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    /// Rung when a post is queued.
    pub wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    pub pacer: Arc<Pacer>,
}

/// Starts the worker under a supervisor: a worker that dies (a panic on
/// odd data) is logged, counted and started again, so one bad row cannot
/// stop every later ticket while `/healthz` says all is well.
pub fn spawn(deps: Deps) -> Worker {
    let deps = Arc::new(deps);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        loop {
            let round = tokio::spawn(run(Arc::clone(&deps), stopped.clone()));
            match round.await {
                Ok(()) => return,
                Err(err) => {
                    tracing::error!(error = %err, "the outbox worker stopped; starting it again");
                    Metrics::bump(&deps.metrics.outbox_restarts);
                }
            }
            if *stopped.borrow() {
                return;
            }
            tokio::time::sleep(RESTART_AFTER).await;
        }
    });
    Worker { stop, task }
}

async fn run(deps: Arc<Deps>, mut stopped: tokio::sync::watch::Receiver<bool>) {
    let Deps {
        http,
        store,
        settings,
        wake,
        metrics,
        pacer,
    } = deps.as_ref();
    let mut last_reminder_check = tokio::time::Instant::now();
    // A start is a new situation (the network may be back): every post
    // left from before is tried once at once, whatever its backoff said.
    let mut started = true;
    while !*stopped.borrow() {
        metrics.outbox_alive_ms.store(now_ms(), Ordering::Relaxed);
        let due_by = if std::mem::take(&mut started) {
            i64::MAX
        } else {
            now_ms()
        };
        deliver(http, store.as_ref(), metrics, pacer, due_by).await;
        if settings.reminders.ceiling() > 0
            && last_reminder_check.elapsed() >= reminder_check_every(settings)
        {
            last_reminder_check = tokio::time::Instant::now();
            queue_reminders(store.as_ref(), settings).await;
        }
        let wait = match store.next_due().await {
            Ok(Some(due)) => {
                Duration::from_millis((due - now_ms()).clamp(10, IDLE.as_millis() as i64) as u64)
            }
            _ => IDLE,
        };
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait.min(reminder_check_every(settings))) => {}
            _ = stopped.changed() => {}
        }
    }
}

impl Worker {
    /// Stops the worker between sends, then tries every queued post once
    /// more, backoff waived, until `deadline`. What is still unsent stays
    /// queued for the next start: nothing is lost.
    pub async fn flush_and_stop(
        self,
        http: &Http,
        store: &dyn Store,
        metrics: &Metrics,
        pacer: &Pacer,
        deadline: tokio::time::Instant,
    ) {
        let _ = self.stop.send(true);
        if tokio::time::timeout_at(deadline, self.task).await.is_err() {
            tracing::warn!("the outbox worker did not stop in time");
            return;
        }
        // Batch after batch; a post that fails stays due, so the rounds are
        // bounded as well as the time.
        let flush = async {
            for _ in 0..FLUSH_ROUNDS {
                match store.due_posts(i64::MAX, 1).await {
                    Ok(due) if !due.is_empty() => {
                        deliver(http, store, metrics, pacer, i64::MAX).await
                    }
                    _ => break,
                }
            }
        };
        let flushed = tokio::time::timeout_at(deadline, flush).await;
        if flushed.is_err() {
            tracing::warn!(
                "the outbox could not be flushed in time; the rest is sent at the next start"
            );
        }
    }
}
