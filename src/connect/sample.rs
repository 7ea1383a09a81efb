//! Drawing `k` distinct neurons out of `n` (Floyd's algorithm: `k` draws, whatever `n`), the
//! one sampling rule behind [`FixedProb`](super::FixedProb), [`FixedPreNum`](super::FixedPreNum)
//! and [`FixedPostNum`](super::FixedPostNum).

use alloc::vec;
use alloc::vec::Vec;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Draws sets of `k` distinct indices below `n`, reusing its buffers between draws.
pub(super) struct Distinct {
    n: u32,
    k: u32,
    taken: Vec<bool>,
    picked: Vec<u32>,
}

impl Distinct {
    /// Sets of `k` out of `n` (`k <= n <= u32::MAX`, checked by the callers).
    pub(super) fn new(n: usize, k: usize) -> Self {
        Distinct {
            n: n as u32,
            k: k as u32,
            taken: vec![false; n],
            picked: Vec::with_capacity(k),
        }
    }

    /// One set, sorted increasingly: uniform over the `k`-subsets of `0..n`.
    pub(super) fn draw(&mut self, rng: &mut ChaCha8Rng) -> &[u32] {
        self.picked.clear();
        for j in self.n - self.k..self.n {
            let t = rng.random_range(0..=j);
            let pick = if self.taken[t as usize] { j } else { t };
            self.taken[pick as usize] = true;
            self.picked.push(pick);
        }
        for &p in &self.picked {
            self.taken[p as usize] = false;
        }
        self.picked.sort_unstable();
        &self.picked
    }
}

/// Python's `round` (half to even) of a non-negative `x`, as BrainPy rounds `n * prob`.
pub(super) fn round_half_even(x: f64) -> usize {
    let floor = x as usize;
    let frac = x - floor as f64;
    if frac > 0.5 || (frac == 0.5 && floor % 2 == 1) {
        floor + 1
    } else {
        floor
    }
}
