//! Per-user cooldown and the memory of messages already answered.

use std::collections::{HashMap, HashSet, VecDeque};
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
}

impl Cooldown {
    pub fn new(window: Duration) -> Cooldown {
        Cooldown {
            window,
            last: HashMap::new(),
        }
    }

    pub fn check(&mut self, user: u64, now: Instant) -> Verdict {
        if self.window.is_zero() {
            return Verdict::Go;
        }
        if self.last.len() > 10_000 {
            let window = self.window;
            self.last
                .retain(|_, (at, _)| now.duration_since(*at) < window);
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

/// Message ids already handled, so a replayed event (after a gateway resume)
/// is never answered twice. Bounded: the oldest ids are forgotten first,
/// long after any replay could bring them back.
#[derive(Debug)]
pub struct Seen {
    ids: HashSet<u64>,
    order: VecDeque<u64>,
    capacity: usize,
}

impl Seen {
    pub fn new(capacity: usize) -> Seen {
        Seen {
            ids: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// True the first time an id is offered, false after.
    pub fn first_time(&mut self, id: u64) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.ids.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn seen_ids_are_bounded() {
        let mut s = Seen::new(2);
        assert!(s.first_time(1));
        assert!(!s.first_time(1));
        assert!(s.first_time(2));
        assert!(s.first_time(3));
        assert!(s.first_time(1), "forgotten after two newer ids");
    }
}
