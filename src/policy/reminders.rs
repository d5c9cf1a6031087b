//! When an unclaimed ticket is announced to staff again. A reminder is a
//! role ping, so by default there is one; repeated reminders back off and
//! stop at a ceiling, so a forgotten ticket cannot ping the team forever.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// From the ticket to the first reminder; zero turns reminders off.
    pub after: Duration,
    /// More than one reminder per ticket.
    pub repeat: bool,
    /// With `repeat`, the most reminders one ticket gets.
    pub max: u32,
}

impl ReminderPolicy {
    /// How many reminders a ticket may get in all.
    pub fn ceiling(&self) -> u32 {
        match (self.after.is_zero(), self.repeat) {
            (true, _) => 0,
            (false, false) => 1,
            (false, true) => self.max,
        }
    }

    /// Whether an open ticket made at `created` (unix seconds), reminded
    /// `sent` times, the last at `last`, is due for another at `now`. The
    /// n-th repeat waits `after × 2^n` from the one before.
    pub fn due(&self, created: i64, sent: u32, last: Option<i64>, now: i64) -> bool {
        if sent >= self.ceiling() {
            return false;
        }
        let wait = self
            .after
            .as_secs()
            .saturating_mul(1_u64 << sent.min(20))
            .max(1);
        let wait = i64::try_from(wait).unwrap_or(i64::MAX);
        let from = last.unwrap_or(created);
        now.saturating_sub(from) >= wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn one_reminder_by_default() {
        let p = ReminderPolicy {
            after: MINUTE,
            repeat: false,
            max: 5,
        };
        // (sent, last, now) -> due, for a ticket made at 0
        let table = [
            (0, None, 59, false),
            (0, None, 60, true),
            (1, Some(60), 10_000, false),
        ];
        for (sent, last, now, due) in table {
            assert_eq!(p.due(0, sent, last, now), due, "{sent} {last:?} {now}");
        }
    }

    #[test]
    fn repeats_back_off_and_stop() {
        let p = ReminderPolicy {
            after: MINUTE,
            repeat: true,
            max: 3,
        };
        let table = [
            (0, None, 60, true),
            (1, Some(60), 119, false),
            (1, Some(60), 180, true),
            (2, Some(180), 419, false),
            (2, Some(180), 420, true),
            (3, Some(420), 1_000_000, false),
        ];
        for (sent, last, now, due) in table {
            assert_eq!(p.due(0, sent, last, now), due, "{sent} {last:?} {now}");
        }
    }

    #[test]
    fn zero_turns_reminders_off() {
        let p = ReminderPolicy {
            after: Duration::ZERO,
            repeat: true,
            max: 9,
        };
        assert_eq!(p.ceiling(), 0);
        assert!(!p.due(0, 0, None, i64::MAX));
    }
}
