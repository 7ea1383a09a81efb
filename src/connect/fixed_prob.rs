//! [`FixedProb`]: BrainPy's `bp.conn.FixedProb(prob)` — every presynaptic neuron reaches exactly
//! `round(prob * n_post)` distinct postsynaptic neurons drawn uniformly (not an independent coin
//! per pair, as Brian2's `connect(p=…)` does; BrainPy's COBA files have 64 targets in every row of
//! E2E), then without self-connections neuron `i` is dropped from row `i` if drawn.

use super::Connector;
use super::fixed::Fixed;
use super::fixed_num::rows_of;
use super::sample::round_half_even;
use crate::network::{ConnError, Csr, InvalidConn};

/// The rule of [`FixedProb`]: this probability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prob(pub f64);

/// Fixed-probability connectivity, BrainPy's rule (see the module docs); self-connections may be
/// dropped whatever the population sizes. `pre_ratio` and `allow_multi_conn` are not supported.
pub type FixedProb = Fixed<Prob>;

impl FixedProb {
    /// Probability `prob`.
    pub fn new(prob: f64) -> Self {
        Fixed::with_rule(Prob(prob))
    }

    /// Targets drawn per presynaptic neuron out of `n_post` (Python's `round`, half to even).
    pub fn targets_per_row(&self, n_post: usize) -> usize {
        round_half_even(n_post as f64 * self.rule.0)
    }
}

impl Connector for FixedProb {
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError> {
        let prob = self.rule.0;
        if !(0.0..=1.0).contains(&prob) {
            return Err(ConnError::Invalid(InvalidConn::Probability(prob)));
        }
        let k = self.targets_per_row(n_post);
        rows_of(n_pre, n_post, k, self.include_self, self.seed)
    }
}
