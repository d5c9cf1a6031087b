//! The bot's own pace towards Discord's REST API. Discord allows a bot 50
//! requests a second in all and answers more with 429, and after 10,000
//! refused requests in ten minutes it bans the IP for a while; behind
//! `discord.api_url` serenity's own limiter is off. So every request that
//! carries an answer waits for its turn here: in a burst, answers queue in
//! arrival order and go out as fast as Discord takes them, and none is
//! dropped to keep up.

use crate::metrics::Metrics;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// Requests that may go at once before the pace applies: small, so that
/// pace plus burst stays under Discord's 50 in any second even when the
/// network bunches requests together.
const BURST: u32 = 3;

/// Messages one channel takes: Discord's per-route bucket for posting in a
/// channel allows 5 every 5 s (it answers `Limit: 5` with a reset of about
/// 5 s on `/channels/:id/messages`). Its numbers come in response headers
/// that serenity keeps to its own limiter, which is off behind
/// `discord.api_url`, so the bot keeps to them itself: never more than 5
/// in any 5 s, which also holds in any fixed window Discord may count in.
/// A staff channel taking a burst of tickets, or a channel answered
/// without threads, is where this bites.
const CHANNEL_LIMIT: usize = 5;
const CHANNEL_PERIOD: Duration = Duration::from_secs(5);

/// One channel's last sends (at most `CHANNEL_LIMIT`), oldest first.
#[derive(Debug, Default)]
struct Recent(std::collections::VecDeque<Instant>);

impl Recent {
    /// Books the next send; returns when it may start.
    fn book(&mut self, now: Instant) -> Instant {
        let mut start = self.0.back().map_or(now, |last| (*last).max(now));
        if self.0.len() >= CHANNEL_LIMIT
            && let Some(oldest) = self.0.front()
        {
            start = start.max(*oldest + CHANNEL_PERIOD);
        }
        self.0.push_back(start);
        while self.0.len() > CHANNEL_LIMIT {
            self.0.pop_front();
        }
        start
    }

    /// Nothing booked within the last period: as good as a new channel.
    fn idle(&self, now: Instant) -> bool {
        self.0
            .back()
            .is_none_or(|last| *last + CHANNEL_PERIOD <= now)
    }
}

/// Channels whose bucket is remembered; one that has been quiet for a
/// burst's length has a full bucket again and is forgotten.
const CHANNELS_KEPT: usize = 4_096;

/// Where a request goes, as far as Discord's per-route limits care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A message posted in this channel (or a forum post in this forum).
    PostIn(u64),
    /// Anything else: only the global limit applies.
    Other,
}

/// One cell-rate schedule: a slot every `interval`, with room for `burst`
/// at once after a quiet spell.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    /// When the next request would be due if none had burst ahead.
    next: Instant,
}

impl Schedule {
    /// Books the next slot; returns when it starts.
    fn book(next: &mut Option<Schedule>, now: Instant, interval: Duration, burst: u32) -> Instant {
        let due = next.map_or(now, |s| s.next.max(now));
        *next = Some(Schedule {
            next: due + interval,
        });
        due.checked_sub(interval * (burst - 1))
            .map_or(now, |early| early.max(now))
    }
}

/// A turn-taker for Discord's limits: the global one, and each channel's.
#[derive(Debug)]
pub struct Pacer {
    /// `None`: unpaced.
    interval: Option<Duration>,
    global: Mutex<Option<Schedule>>,
    channels: Mutex<HashMap<u64, Recent>>,
    waiting: AtomicUsize,
    /// Of those, the ones waiting for the global turn (not their channel's).
    waiting_global: AtomicUsize,
    /// The most waiting at once since the queue was last empty.
    peak: AtomicUsize,
    warn_at: usize,
    warned: AtomicBool,
    metrics: Arc<Metrics>,
}

/// A queue this long, once drained, leaves megabytes of freed handler
/// state in the heap: it is handed back to the system then.
const RELEASE_AFTER: usize = 64;

impl Pacer {
    pub fn new(per_second: Option<f64>, warn_at: usize, metrics: Arc<Metrics>) -> Pacer {
        Pacer {
            interval: per_second
                .filter(|r| *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            global: Mutex::new(None),
            channels: Mutex::new(HashMap::new()),
            waiting: AtomicUsize::new(0),
            waiting_global: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            warn_at,
            warned: AtomicBool::new(false),
            metrics,
        }
    }

    /// Waits for this request's turn: its channel's first, then the global
    /// one, so that a request held by its channel holds no one else's
    /// global slot.
    pub async fn turn(&self, route: Route) {
        let Some(interval) = self.interval else {
            return;
        };
        if let Route::PostIn(channel) = route {
            let start = {
                let mut channels = lock(&self.channels);
                let now = Instant::now();
                if channels.len() >= CHANNELS_KEPT {
                    channels.retain(|_, recent| !recent.idle(now));
                }
                channels.entry(channel).or_default().book(now)
            };
            self.wait_until(start).await;
        }
        let start = Schedule::book(&mut lock(&self.global), Instant::now(), interval, BURST);
        self.waiting_global.fetch_add(1, Ordering::Relaxed);
        self.wait_until(start).await;
        self.waiting_global.fetch_sub(1, Ordering::Relaxed);
    }

    /// Requests waiting for the global turn now: the queue every answer
    /// shares. (One channel's own queue holds up only that channel.)
    pub fn waiting(&self) -> usize {
        self.waiting_global.load(Ordering::Relaxed)
    }

    async fn wait_until(&self, start: Instant) {
        if start <= Instant::now() {
            return;
        }
        let waiting = self.waiting.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(waiting, Ordering::Relaxed);
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
            if self.peak.swap(0, Ordering::Relaxed) >= RELEASE_AFTER {
                // It takes the allocator's locks for a moment: not on an
                // async worker.
                tokio::task::spawn_blocking(crate::malloc::release_free);
            }
        }
    }
}

/// A poisoned lock only means a waiter panicked; the schedule is still good.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
                    pacer.turn(Route::Other).await;
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
            pacer.turn(Route::Other).await;
            assert_eq!(Instant::now(), t0);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn one_channel_takes_five_every_five_seconds_and_holds_no_other() {
        let pacer = pacer(Some(45.0));
        let t0 = Instant::now();
        let post = |channel: u64| {
            let pacer = Arc::clone(&pacer);
            tokio::spawn(async move {
                pacer.turn(Route::PostIn(channel)).await;
                Instant::now() - t0
            })
        };
        let busy: Vec<_> = (0..12).map(|_| post(1)).collect();
        let other = post(2);
        let mut starts = Vec::new();
        for task in busy {
            starts.push(task.await.expect("a turn"));
        }
        starts.sort();
        // Never more than five in any five seconds: five at once (within
        // the global pace), five more five seconds on, then the last two.
        let within = |s: &Duration, from: u64| {
            *s >= Duration::from_secs(from)
                && *s < Duration::from_secs(from) + Duration::from_millis(200)
        };
        assert!(starts[..5].iter().all(|s| within(s, 0)), "{starts:?}");
        assert!(starts[5..10].iter().all(|s| within(s, 5)), "{starts:?}");
        assert!(starts[10..].iter().all(|s| within(s, 10)), "{starts:?}");
        let other = other.await.expect("a turn");
        assert!(
            other < Duration::from_millis(200),
            "another channel is not held: {other:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn unpaced_is_immediate() {
        let starts = starts(pacer(None), 500).await;
        assert!(starts.iter().all(|s| *s == Duration::ZERO));
    }
}
