//! Handlers running now, so that a shutdown waits for their replies.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Counts running handlers; a shutdown waits until the count is zero.
#[derive(Debug, Default)]
pub struct InFlight {
    running: AtomicUsize,
    idle: tokio::sync::Notify,
    /// Set once the replies in flight are done at shutdown: an event that
    /// still arrives (from a gateway that would not close) is not taken,
    /// since the store is about to close under it.
    closed: AtomicBool,
}

/// Held while a handler runs.
pub struct InFlightGuard<'a>(&'a InFlight);

impl InFlight {
    pub fn enter(&self) -> InFlightGuard<'_> {
        self.begin();
        InFlightGuard(self)
    }

    /// As `enter`, for a guard that must outlive a borrow (a command's
    /// invocation data).
    pub fn enter_owned(self: &Arc<Self>) -> OwnedInFlightGuard {
        self.begin();
        OwnedInFlightGuard(Arc::clone(self))
    }

    fn begin(&self) {
        self.running.fetch_add(1, Ordering::SeqCst);
    }

    fn end(&self) {
        let before = self
            .running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_sub(1))
            })
            .unwrap_or(0);
        if before <= 1 {
            self.idle.notify_waiters();
        }
    }

    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Resolves once no handler is running.
    pub async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.running() == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Held while a command runs.
pub struct OwnedInFlightGuard(Arc<InFlight>);

impl Drop for OwnedInFlightGuard {
    fn drop(&mut self) {
        self.0.end();
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}
