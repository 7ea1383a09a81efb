//! [`FixedProb`]: BrainPy's `bp.conn.FixedProb(prob)` — every presynaptic neuron reaches exactly
//! `round(prob * n_post)` distinct postsynaptic neurons drawn uniformly (not an independent coin
//! per pair, as Brian2's `connect(p=…)` does; BrainPy's COBA files have 64 targets in every row of
//! E2E), then without self-connections neuron `i` is dropped from row `i` if drawn.

use super::Connector;
use super::fixed_num::rows_of;
use super::sample::round_half_even;
use crate::network::{ConnError, Csr, InvalidConn};

/// Fixed-probability connectivity, BrainPy's rule (see the module docs). `pre_ratio` and
/// `allow_multi_conn` are not supported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedProb {
    prob: f64,
    include_self: bool,
    seed: u64,
}

impl FixedProb {
    /// Probability `prob`, self-connections included (BrainPy's default), seed 0.
    pub fn new(prob: f64) -> Self {
        FixedProb {
            prob,
            include_self: true,
            seed: 0,
        }
    }

    /// Whether neuron `i` may reach neuron `i`.
    pub fn include_self(mut self, include_self: bool) -> Self {
        self.include_self = include_self;
        self
    }

    /// The seed of the draws.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Targets drawn per presynaptic neuron out of `n_post` (Python's `round`, half to even).
    pub fn targets_per_row(&self, n_post: usize) -> usize {
        round_half_even(n_post as f64 * self.prob)
    }
}

impl Connector for FixedProb {
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError> {
        if !(0.0..=1.0).contains(&self.prob) {
            return Err(ConnError::Invalid(InvalidConn::Probability(self.prob)));
        }
        let k = self.targets_per_row(n_post);
        rows_of(n_pre, n_post, k, self.include_self, self.seed)
    }
}
