//! [`Remat`]: rematerialization. Instead of one record per step, the forward pass keeps a
//! checkpoint of the state every `k` steps; the backward pass restores each checkpoint in turn
//! (last first), recomputes the records of its `k` steps and runs backward over them. The
//! gradients are the same, bit for bit, and the stored states fall from `T` to `⌈T/k⌉ + k` (plus
//! the end state, put back after the backward pass). The outputs and their gradients, which the
//! loss reads, are kept for every step either way.

use core::ops::Range;

/// Keep every `every`-th state; recompute the rest during the backward pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Remat {
    /// Steps between checkpoints (`k`), at least 1.
    pub every: usize,
}

impl Remat {
    /// A checkpoint every `every` steps.
    pub const fn every(every: usize) -> Self {
        Remat { every }
    }

    /// The `k` that minimizes `⌈T/k⌉ + k` for `steps` steps: `⌈√T⌉`.
    pub fn sqrt(steps: usize) -> Self {
        let mut k = 1;
        while k * k < steps {
            k += 1;
        }
        Remat { every: k }
    }

    /// How many checkpoints a run of `steps` steps keeps: `⌈steps / every⌉`.
    pub const fn checkpoints(&self, steps: usize) -> usize {
        steps.div_ceil(self.every)
    }

    /// The most records held at once during the backward pass: `min(every, steps)`.
    pub const fn records(&self, steps: usize) -> usize {
        if self.every < steps {
            self.every
        } else {
            steps
        }
    }

    /// The steps of segment `k` (the one that starts at checkpoint `k`).
    pub fn segment(&self, k: usize, steps: usize) -> Range<usize> {
        let start = k * self.every;
        start..(start + self.every).min(steps)
    }
}
