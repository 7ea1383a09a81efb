//! Counts of what the splits did in this process, to report beside a benchmark's times: how
//! many steps were split or run whole by a [`Site`](super::Site), and how many pieces helpers
//! ran or the caller took back. Relaxed counters, each on its own cache line, so that counting
//! adds no traffic between the caller's core and a helper's.

use core::sync::atomic::{AtomicU64, Ordering};

/// What the splits did so far in this process (see [`stats()`](super::stats())).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Steps a site ran split.
    pub split_steps: u64,
    /// Steps a site ran whole on the calling thread.
    pub whole_steps: u64,
    /// Pieces of split steps run by helper threads.
    pub helper_pieces: u64,
    /// Pieces of split steps run by the caller (its share and the ones it took back).
    pub caller_pieces: u64,
}

/// A counter alone on its cache line.
#[repr(align(128))]
pub struct Counter(AtomicU64);

impl Counter {
    const fn new() -> Counter {
        Counter(AtomicU64::new(0))
    }

    /// Adds one.
    #[inline]
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The counters behind [`Stats`].
pub static SPLIT_STEPS: Counter = Counter::new();
/// See [`Stats::whole_steps`].
pub static WHOLE_STEPS: Counter = Counter::new();
/// See [`Stats::helper_pieces`].
pub static HELPER_PIECES: Counter = Counter::new();
/// See [`Stats::caller_pieces`].
pub static CALLER_PIECES: Counter = Counter::new();

/// The counts so far.
pub fn read() -> Stats {
    Stats {
        split_steps: SPLIT_STEPS.get(),
        whole_steps: WHOLE_STEPS.get(),
        helper_pieces: HELPER_PIECES.get(),
        caller_pieces: CALLER_PIECES.get(),
    }
}

impl Stats {
    /// The counts between `earlier` and `self`.
    #[must_use]
    pub fn since(self, earlier: Stats) -> Stats {
        Stats {
            split_steps: self.split_steps - earlier.split_steps,
            whole_steps: self.whole_steps - earlier.whole_steps,
            helper_pieces: self.helper_pieces - earlier.helper_pieces,
            caller_pieces: self.caller_pieces - earlier.caller_pieces,
        }
    }

    /// The fraction of steps that were split (0 when none ran).
    pub fn split_fraction(&self) -> f64 {
        let all = self.split_steps + self.whole_steps;
        if all == 0 {
            0.0
        } else {
            self.split_steps as f64 / all as f64
        }
    }
}
