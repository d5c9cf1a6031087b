//! Per-user cooldown and the memory of messages already answered.

use crate::settings::ReplyRates;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What the cooldown says about a new question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Over the limit; the user has not been told yet in this window.
    TellOnce(Duration),
    /// Over the limit and already told: stay quiet.
    Quiet,
}

/// At most one new question per user per `window`.
#[derive(Debug)]
pub struct Cooldown {
    window: Duration,
    last: HashMap<u64, (Instant, bool)>,
    next_prune: Instant,
}

impl Cooldown {
    pub fn new(window: Duration) -> Cooldown {
        Cooldown {
            window,
            last: HashMap::new(),
            next_prune: Instant::now(),
        }
    }

    pub fn check(&mut self, user: u64, now: Instant) -> Verdict {
        if self.window.is_zero() {
            return Verdict::Go;
        }
        if self.last.len() > PRUNE_ABOVE && now >= self.next_prune {
            let window = self.window;
            self.last
                .retain(|_, (at, _)| now.duration_since(*at) < window);
            self.next_prune = now + PRUNE_EVERY;
        }
        match self.last.get_mut(&user) {
            Some((at, told)) if now.duration_since(*at) < self.window => {
                let left = self.window - now.duration_since(*at);
                if *told {
                    Verdict::Quiet
                } else {
                    *told = true;
                    Verdict::TellOnce(left)
                }
            }
            _ => {
                self.last.insert(user, (now, false));
                Verdict::Go
            }
        }
    }
}

/// A token bucket: `capacity` replies at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refill(&mut self, now: Instant, capacity: f64, per_second: f64) {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * per_second;
        self.tokens = (self.tokens + refill).min(capacity);
        self.at = now;
    }

    fn take(&mut self, now: Instant, capacity: f64, per_second: f64) -> bool {
        self.refill(now, capacity, per_second);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What the reply limits say about one reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateVerdict {
    Go,
    /// The user is over their limit; tell them once, then stay quiet.
    UserOver {
        first: bool,
    },
    /// The whole bot is over its limit: drop the reply.
    Shed,
}

/// Above this many users remembered, those whose limit has lapsed are
/// forgotten, at most once per `PRUNE_EVERY` (a sweep is linear).
const PRUNE_ABOVE: usize = 10_000;
const PRUNE_EVERY: Duration = Duration::from_secs(1);

/// How many replies one user may burst before the per-minute rate applies.
const USER_BURST: f64 = 5.0;

/// Replies per user and for the whole bot. The per-user check runs first so
/// that a flooding user spends only their own allowance, never the shared
/// one: their flood cannot crowd out anyone else's answer.
#[derive(Debug)]
pub struct ReplyLimits {
    rates: ReplyRates,
    users: HashMap<u64, (Bucket, bool)>,
    global: Bucket,
    next_prune: Instant,
}

impl ReplyLimits {
    pub fn new(rates: ReplyRates, now: Instant) -> ReplyLimits {
        let global = Bucket {
            tokens: rates.global_per_second.unwrap_or(0.0).max(1.0),
            at: now,
        };
        ReplyLimits {
            rates,
            users: HashMap::new(),
            global,
            next_prune: now,
        }
    }

    /// The user's allowance is looked at first and spent last, so a reply
    /// the global limit drops costs the user nothing. `global` is false for
    /// an interaction's answer, which Discord does not count against the
    /// bot's global limit.
    pub fn check(&mut self, user: u64, now: Instant, global: bool) -> RateVerdict {
        let user_rate = self
            .rates
            .user_per_minute
            .map(|per_minute| per_minute / 60.0);
        if let Some(per_second) = user_rate {
            if self.users.len() > PRUNE_ABOVE && now >= self.next_prune {
                // A full bucket is the same as no entry: forget those.
                let full = USER_BURST / per_second;
                self.users
                    .retain(|_, (b, _)| now.saturating_duration_since(b.at).as_secs_f64() < full);
                self.next_prune = now + PRUNE_EVERY;
            }
            let (bucket, told) = self.users.entry(user).or_insert((
                Bucket {
                    tokens: USER_BURST,
                    at: now,
                },
                false,
            ));
            bucket.refill(now, USER_BURST, per_second);
            if bucket.tokens < 1.0 {
                let first = !*told;
                *told = true;
                return RateVerdict::UserOver { first };
            }
        }
        if let Some(per_second) = self.rates.global_per_second
            && global
            && !self.global.take(now, per_second.max(1.0), per_second)
        {
            return RateVerdict::Shed;
        }
        if let Some((bucket, told)) = self.users.get_mut(&user) {
            bucket.tokens -= 1.0;
            *told = false;
        }
        RateVerdict::Go
    }
}

/// Near-misses one user's silent messages may add to the review queue:
/// `NOTE_BURST` at once, then one per `NOTE_EVERY`. A reply is limited by
/// the reply limits, but silence costs nothing, so without this one person
/// could write thousands of distinct lines and push every real item out of
/// the bounded queue.
#[derive(Debug, Default)]
pub struct NoteAllowance {
    users: HashMap<u64, Bucket>,
    next_prune: Option<Instant>,
}

const NOTE_BURST: f64 = 20.0;
const NOTE_EVERY: Duration = Duration::from_secs(180);

impl NoteAllowance {
    /// Takes one note from `user`'s allowance, if there is one left.
    pub fn take(&mut self, user: u64, now: Instant) -> bool {
        let per_second = 1.0 / NOTE_EVERY.as_secs_f64();
        if self.users.len() > PRUNE_ABOVE && self.next_prune.is_none_or(|at| now >= at) {
            let full = NOTE_BURST / per_second;
            self.users
                .retain(|_, b| now.saturating_duration_since(b.at).as_secs_f64() < full);
            self.next_prune = Some(now + PRUNE_EVERY);
        }
        self.users
            .entry(user)
            .or_insert(Bucket {
                tokens: NOTE_BURST,
                at: now,
            })
            .take(now, NOTE_BURST, per_second)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_notes_burst_then_trickle_per_user() {
        let mut notes = NoteAllowance::default();
        let start = Instant::now();
        for _ in 0..20 {
            assert!(notes.take(1, start));
        }
        assert!(!notes.take(1, start), "the burst is spent");
        assert!(notes.take(2, start), "another user has their own");
        assert!(!notes.take(1, start + Duration::from_secs(179)));
        assert!(notes.take(1, start + Duration::from_secs(181)));
    }

    #[test]
    fn cooldown_lets_one_through_tells_once_then_stays_quiet() {
        let mut c = Cooldown::new(Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(c.check(1, t0), Verdict::Go);
        assert_eq!(c.check(2, t0), Verdict::Go, "per user");
        assert_eq!(
            c.check(1, t0 + Duration::from_secs(4)),
            Verdict::TellOnce(Duration::from_secs(6))
        );
        assert_eq!(c.check(1, t0 + Duration::from_secs(5)), Verdict::Quiet);
        assert_eq!(c.check(1, t0 + Duration::from_secs(10)), Verdict::Go);
    }

    #[test]
    fn zero_cooldown_is_off() {
        let mut c = Cooldown::new(Duration::ZERO);
        let t0 = Instant::now();
        assert!((0..5).all(|_| c.check(1, t0) == Verdict::Go));
    }

    #[test]
    fn a_flooding_user_spends_only_their_own_allowance() {
        let rates = ReplyRates {
            user_per_minute: Some(60.0),
            global_per_second: Some(10.0),
        };
        let t0 = Instant::now();
        let mut limits = ReplyLimits::new(rates, t0);
        for _ in 0..5 {
            assert_eq!(
                limits.check(1, t0, true),
                RateVerdict::Go,
                "the burst passes"
            );
        }
        assert_eq!(
            limits.check(1, t0, true),
            RateVerdict::UserOver { first: true }
        );
        for _ in 0..100 {
            assert_eq!(
                limits.check(1, t0, true),
                RateVerdict::UserOver { first: false }
            );
        }
        // The flood took nothing from the shared bucket beyond its burst.
        for user in 2..7 {
            assert_eq!(limits.check(user, t0, true), RateVerdict::Go);
        }
        assert_eq!(
            limits.check(7, t0, true),
            RateVerdict::Shed,
            "ten a second in all"
        );
        for _ in 0..5 {
            assert_eq!(limits.check(8, t0, true), RateVerdict::Shed);
        }
        let settled = t0 + Duration::from_millis(500);
        for _ in 0..5 {
            assert_eq!(
                limits.check(8, settled, true),
                RateVerdict::Go,
                "a shed reply cost the user nothing"
            );
        }
        let later = t0 + Duration::from_secs(1);
        assert_eq!(
            limits.check(1, later, true),
            RateVerdict::Go,
            "one a second back"
        );
        assert_eq!(
            limits.check(1, later, true),
            RateVerdict::UserOver { first: true },
            "told again after a reply"
        );
    }

    #[test]
    fn interactions_spend_only_the_users_allowance() {
        let rates = ReplyRates {
            user_per_minute: Some(60.0),
            global_per_second: Some(1.0),
        };
        let t0 = Instant::now();
        let mut limits = ReplyLimits::new(rates, t0);
        assert_eq!(limits.check(1, t0, true), RateVerdict::Go);
        assert_eq!(limits.check(2, t0, true), RateVerdict::Shed);
        for _ in 0..4 {
            assert_eq!(limits.check(2, t0, false), RateVerdict::Go);
        }
        assert_eq!(limits.check(1, t0, false), RateVerdict::Go);
        assert_eq!(
            limits.check(2, t0, false),
            RateVerdict::Go,
            "the fifth of the burst"
        );
        assert_eq!(
            limits.check(2, t0, false),
            RateVerdict::UserOver { first: true },
            "and the user's limit holds"
        );
    }

    #[test]
    fn limits_off_let_everything_through() {
        let off = ReplyRates {
            user_per_minute: None,
            global_per_second: None,
        };
        let t0 = Instant::now();
        let mut limits = ReplyLimits::new(off, t0);
        assert!((0..10_000).all(|i| limits.check(i % 3, t0, true) == RateVerdict::Go));
    }
}
