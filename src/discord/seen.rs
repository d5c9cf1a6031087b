//! Ids already handled in this run, bounded.

use std::collections::{HashSet, VecDeque};

/// Message ids already handled, so a replayed event (after a gateway resume)
/// is never answered twice. Bounded: the oldest ids are forgotten first,
/// long after any replay could bring them back.
#[derive(Debug)]
pub struct Seen {
    ids: HashSet<u64>,
    order: VecDeque<u64>,
    capacity: usize,
    /// The largest id forgotten so far: an id at or below it may have been
    /// seen, and only the store can say.
    forgotten_up_to: u64,
}

impl Seen {
    pub fn new(capacity: usize) -> Seen {
        Seen {
            ids: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            forgotten_up_to: 0,
        }
    }

    /// The largest id forgotten to stay within capacity (0: none yet).
    pub fn forgotten_up_to(&self) -> u64 {
        self.forgotten_up_to
    }

    /// Whether `id` is remembered (without remembering it).
    pub fn contains(&self, id: u64) -> bool {
        self.ids.contains(&id)
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
            self.forgotten_up_to = self.forgotten_up_to.max(old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_ids_are_bounded() {
        let mut s = Seen::new(2);
        assert!(s.first_time(1));
        assert!(!s.first_time(1));
        assert!(s.first_time(2));
        assert!(s.first_time(3));
        assert!(s.first_time(1), "forgotten after two newer ids");
        assert_eq!(
            s.forgotten_up_to(),
            2,
            "an id at or below this needs the store"
        );
    }
}
