//! One event at a time per conversation, and how many events wait for
//! their conversation's turn.
//!
//! A conversation's events are taken one at a time, from the dialog's turn
//! to the reply's send and the message's mark: so at most its newest
//! message can be caught between write and mark by a crash
//! (`store::Applied`), and a refused hand-over's rollback cannot undo an
//! event that came meanwhile. The events waiting meanwhile are handlers
//! held in memory, as those waiting for the send queue are; the backlog
//! counts both (`Data::waiting_in_memory`), so a burst into one thread
//! waits in the store too, not in memory without bound.

use super::sessions::SessionId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::OwnedMutexGuard;

/// Above this many, locks no event holds any more are dropped.
const KEPT: usize = 1_024;

/// The per-conversation locks, and the count of events waiting for one.
#[derive(Debug, Default)]
pub struct TurnLocks {
    /// Only the locks of conversations with an event under way are alive.
    locks: Mutex<HashMap<SessionId, Weak<tokio::sync::Mutex<()>>>>,
    waiting: AtomicUsize,
}

impl TurnLocks {
    /// Waits until no other event of conversation `id` is under way, and
    /// holds it until the guard drops.
    pub async fn one_at_a_time(&self, id: SessionId) -> OwnedMutexGuard<()> {
        let lock = self.of(id);
        if let Ok(free) = Arc::clone(&lock).try_lock_owned() {
            return free;
        }
        let _counted = Waiting::enter(&self.waiting);
        lock.lock_owned().await
    }

    /// Events waiting for their conversation's turn now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Conversation `id`'s lock: the one an event holds now, or a new one.
    fn of(&self, id: SessionId) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = super::data::lock(&self.locks);
        if let Some(lock) = locks.get(&id).and_then(Weak::upgrade) {
            return lock;
        }
        if locks.len() >= KEPT {
            locks.retain(|_, lock| lock.strong_count() > 0);
        }
        let lock = Arc::new(tokio::sync::Mutex::new(()));
        locks.insert(id, Arc::downgrade(&lock));
        lock
    }
}

/// One waiting event, counted until it gets its turn or is dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Waiting<'a> {
        count.fetch_add(1, Ordering::Relaxed);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_conversations_events_share_a_lock_others_do_not() {
        let locks = TurnLocks::default();
        let held = locks.of(1).try_lock_owned().expect("free");
        assert!(locks.of(1).try_lock_owned().is_err(), "the same lock, held");
        assert!(locks.of(2).try_lock_owned().is_ok(), "another conversation");
        drop(held);
        assert!(locks.of(1).try_lock_owned().is_ok());
    }

    #[test]
    fn locks_nobody_holds_are_dropped_past_the_bound() {
        let locks = TurnLocks::default();
        let kept = locks.of(0);
        for id in 1..=(KEPT as u64 + 10) {
            drop(locks.of(id));
        }
        assert!(super::super::data::lock(&locks.locks).len() < 20);
        assert!(Arc::ptr_eq(&kept, &locks.of(0)), "a held lock stays");
    }

    #[tokio::test]
    async fn events_waiting_for_their_turn_are_counted_until_they_get_it() {
        let locks = Arc::new(TurnLocks::default());
        let first = locks.one_at_a_time(7).await;
        assert_eq!(locks.waiting(), 0, "a free turn is taken without waiting");
        let (tx, rx) = tokio::sync::oneshot::channel();
        let waiter = tokio::spawn({
            let locks = Arc::clone(&locks);
            async move {
                let _turn = locks.one_at_a_time(7).await;
                let _ = tx.send(locks.waiting());
            }
        });
        // The waiter counts itself before it parks on the lock.
        while locks.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        let _other = locks.one_at_a_time(8).await;
        assert_eq!(locks.waiting(), 1, "another conversation's turn is free");
        drop(first);
        assert_eq!(rx.await.expect("the waiter ran"), 0, "counted off its turn");
        waiter.await.expect("waiter");

        // A waiter dropped before its turn (its handler cancelled) is
        // counted off too.
        let held = locks.one_at_a_time(7).await;
        let cancelled = tokio::spawn({
            let locks = Arc::clone(&locks);
            async move { drop(locks.one_at_a_time(7).await) }
        });
        while locks.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        cancelled.abort();
        assert!(cancelled.await.is_err_and(|e| e.is_cancelled()));
        assert_eq!(locks.waiting(), 0);
        drop(held);
    }
}
