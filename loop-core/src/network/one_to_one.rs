//! [`OneToOne`]: neuron `i` to neuron `i` of a population of the same size, with one weight or
//! one per neuron (BrainPy's `bp.dnn.OneToOne`: `pre_val * weight`).

use super::comm::{Comm, check_lengths};
use super::error::ConnError;
use super::weights::{Weight, Weights, check_weight_count};
use crate::Real;

/// Neuron `i` to neuron `i` of `n` neurons, weighted.
#[derive(Clone, Debug, PartialEq)]
pub struct OneToOne<W> {
    n: usize,
    weights: Weights<W>,
}

impl<W> OneToOne<W> {
    /// `n` pairs with weights `weights` (one, or `n`).
    pub fn new(n: usize, weights: Weights<W>) -> Result<Self, ConnError> {
        if let Weights::PerSynapse(w) = &weights {
            check_weight_count(w.len(), n)?;
        }
        Ok(OneToOne { n, weights })
    }

    /// The weight of pair `i`.
    #[inline]
    fn w<T>(&self, i: usize) -> T
    where
        W: Weight<T>,
    {
        match &self.weights {
            Weights::Homogeneous(w) => w.weight(),
            Weights::PerSynapse(w) => w[i].weight(),
        }
    }
}

impl<T: Real, W: Weight<T>> Comm<T> for OneToOne<W> {
    fn n_pre(&self) -> usize {
        self.n
    }

    fn n_post(&self) -> usize {
        self.n
    }

    #[inline]
    fn add_events(&self, spikes: &[bool], out: &mut [T]) {
        check_lengths(self.n, self.n, spikes.len(), out.len());
        super::spikes::for_each_spike(spikes, |i| out[i] += self.w(i));
    }

    #[inline]
    fn add_values(&self, x: &[T], out: &mut [T]) {
        check_lengths(self.n, self.n, x.len(), out.len());
        for (i, (o, &xi)) in out.iter_mut().zip(x).enumerate() {
            *o += xi * self.w(i);
        }
    }
}
