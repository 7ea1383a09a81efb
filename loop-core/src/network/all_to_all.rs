//! [`AllToAll`]: every presynaptic neuron to every postsynaptic one with one weight, delivered in
//! `O(n_pre + n_post)` as BrainPy's `bp.dnn.AllToAll` computes it: the sum over the presynaptic
//! population (minus neuron `j`'s own term without self-connections), times the weight.

use super::comm::{Comm, check_lengths};
use super::spikes::count_spikes;
use super::weights::Weight;
use crate::Real;

/// All-to-all with one weight `w`; without `include_self`, neuron `i` does not reach neuron `i`
/// (for `i < min(n_pre, n_post)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AllToAll<W> {
    /// Presynaptic neurons.
    pub n_pre: usize,
    /// Postsynaptic neurons.
    pub n_post: usize,
    /// The weight of every synapse.
    pub w: W,
    /// Whether neuron `i` reaches neuron `i`.
    pub include_self: bool,
}

impl<W> AllToAll<W> {
    /// All-to-all from `n_pre` to `n_post` neurons with weight `w`.
    pub fn new(n_pre: usize, n_post: usize, w: W, include_self: bool) -> Self {
        AllToAll {
            n_pre,
            n_post,
            w,
            include_self,
        }
    }

    /// Whether postsynaptic `j` leaves out presynaptic `j`.
    #[inline]
    fn excludes(&self, j: usize) -> bool {
        !self.include_self && j < self.n_pre
    }
}

impl<T: Real, W: Weight<T>> Comm<T> for AllToAll<W> {
    fn n_pre(&self) -> usize {
        self.n_pre
    }

    fn n_post(&self) -> usize {
        self.n_post
    }

    #[inline]
    fn add_events(&self, spikes: &[bool], out: &mut [T]) {
        check_lengths(self.n_pre, self.n_post, spikes.len(), out.len());
        let fired = count_spikes(spikes);
        let w = self.w.weight();
        for (j, o) in out.iter_mut().enumerate() {
            let own = usize::from(self.excludes(j) && spikes[j]);
            // BrainPy: an integer count times the weight.
            *o += w * T::of((fired - own) as f64);
        }
    }

    #[inline]
    fn add_values(&self, x: &[T], out: &mut [T]) {
        check_lengths(self.n_pre, self.n_post, x.len(), out.len());
        let total = x.iter().fold(T::zero(), |s, &v| s + v);
        let w = self.w.weight();
        for (j, o) in out.iter_mut().enumerate() {
            let sum = if self.excludes(j) {
                total - x[j]
            } else {
                total
            };
            *o += w * sum;
        }
    }
}
