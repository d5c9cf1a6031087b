//! The bot's own pace towards Discord's REST API. Discord allows a bot 50
//! requests a second in all and answers more with 429, and after 10,000
//! refused requests in ten minutes it bans the IP for a while; behind
//! `discord.api_url` serenity's own limiter is off. So every request that
//! carries an answer waits for its turn here: in a burst, answers queue in
//! arrival order and go out as fast as Discord takes them, and none is
//! dropped to keep up.

use crate::metrics::Metrics;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// Requests that may go at once before the pace applies: small, so that
/// pace plus burst stays under Discord's 50 in any second even when the
/// network bunches requests together.
const BURST: u32 = 3;

/// A turn-taker: a generic cell-rate scheduler, one slot every `interval`,
/// with room for a burst.
#[derive(Debug)]
pub struct Pacer {
    /// `None`: unpaced.
    interval: Option<Duration>,
    /// When the next request would be due if none had burst ahead.
    next: Mutex<Option<Instant>>,
    waiting: AtomicUsize,
    warn_at: usize,
    warned: AtomicBool,
    metrics: Arc<Metrics>,
}

impl Pacer {
    pub fn new(per_second: Option<f64>, warn_at: usize, metrics: Arc<Metrics>) -> Pacer {
        Pacer {
            interval: per_second
                .filter(|r| *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: Mutex::new(None),
            waiting: AtomicUsize::new(0),
            warn_at,
            warned: AtomicBool::new(false),
            metrics,
        }
    }

    /// Waits for this request's turn.
    pub async fn turn(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let start = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            let due = next.map_or(now, |n| n.max(now));
            *next = Some(due + interval);
            // A quiet bot may send a small burst at once.
            due.checked_sub(interval * (BURST - 1))
                .map_or(now, |early| early.max(now))
        };
        if start <= Instant::now() {
            return;
        }
        let waiting = self.waiting.fetch_add(1, Ordering::Relaxed) + 1;
        self.metrics
            .send_waiting
            .store(waiting as u64, Ordering::Relaxed);
        if waiting > self.warn_at && !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                waiting,
                "more than {} answers are waiting for their turn to Discord",
                self.warn_at
            );
        }
        tokio::time::sleep_until(start).await;
        let left = self
            .waiting
            .fetch_sub(1, Ordering::Relaxed)
            .saturating_sub(1);
        self.metrics
            .send_waiting
            .store(left as u64, Ordering::Relaxed);
        if left == 0 {
            self.warned.store(false, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacer(per_second: Option<f64>) -> Arc<Pacer> {
        Arc::new(Pacer::new(per_second, 1_000, Arc::default()))
    }

    /// Each request's start, from many asking at once.
    async fn starts(pacer: Arc<Pacer>, n: usize) -> Vec<Duration> {
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let pacer = Arc::clone(&pacer);
                tokio::spawn(async move {
                    pacer.turn().await;
                    Instant::now() - t0
                })
            })
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.expect("a turn"));
        }
        out.sort();
        out
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_out_at_the_pace_in_order() {
        let starts = starts(pacer(Some(50.0)), 103).await;
        // Three at once, then one every 20 ms: 100 more take two seconds.
        assert!(
            starts[..3].iter().all(|s| *s == Duration::ZERO),
            "{starts:?}"
        );
        assert!(starts[3] > Duration::ZERO, "{starts:?}");
        let last = starts[102];
        assert!(
            last >= Duration::from_millis(1_990) && last <= Duration::from_millis(2_010),
            "{last:?}"
        );
        for pair in starts[3..].windows(2) {
            assert!(pair[1] - pair[0] <= Duration::from_millis(21), "{pair:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_bot_waits_for_nothing() {
        let pacer = pacer(Some(45.0));
        for _ in 0..20 {
            let t0 = Instant::now();
            pacer.turn().await;
            assert_eq!(Instant::now(), t0);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn unpaced_is_immediate() {
        let starts = starts(pacer(None), 500).await;
        assert!(starts.iter().all(|s| *s == Duration::ZERO));
    }
}
