//! [`Dense`]: the dense path for small, fully connected projections with a weight per pair — a
//! row of `n_post` weights per presynaptic neuron, added whole when that neuron fires (a loop
//! the compiler vectorizes), instead of gathering through indices.

use alloc::vec::Vec;

use super::comm::{Comm, check_lengths};
use super::error::{ConnArray, ConnError};
use super::spikes::for_each_spike;
use super::weights::Weight;
use crate::Real;

/// Weights `w[i][j]` from every presynaptic `i` to every postsynaptic `j`, stored row after row
/// (row = presynaptic neuron). A missing connection is a zero weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense<W> {
    n_pre: usize,
    n_post: usize,
    w: Vec<W>,
}

impl<W> Dense<W> {
    /// From `n_pre` rows of `n_post` weights, row after row.
    pub fn new(n_pre: usize, n_post: usize, w: Vec<W>) -> Result<Self, ConnError> {
        let expected = n_pre * n_post;
        if w.len() != expected {
            return Err(ConnError::Length {
                array: ConnArray::Weights,
                found: w.len(),
                expected,
            });
        }
        Ok(Dense { n_pre, n_post, w })
    }

    /// `w[i][j] = f(i, j)`.
    pub fn from_fn(n_pre: usize, n_post: usize, mut f: impl FnMut(usize, usize) -> W) -> Self {
        let w = (0..n_pre)
            .flat_map(|i| (0..n_post).map(move |j| (i, j)))
            .map(|(i, j)| f(i, j))
            .collect();
        Dense { n_pre, n_post, w }
    }

    /// The weights of presynaptic neuron `i`.
    pub fn row(&self, i: usize) -> &[W] {
        &self.w[i * self.n_post..(i + 1) * self.n_post]
    }

    /// Heap bytes held, counted by capacity.
    pub fn heap_bytes(&self) -> usize {
        self.w.capacity() * size_of::<W>()
    }
}

impl<T: Real, W: Weight<T>> Comm<T> for Dense<W> {
    fn n_pre(&self) -> usize {
        self.n_pre
    }

    fn n_post(&self) -> usize {
        self.n_post
    }

    #[inline]
    fn add_events(&self, spikes: &[bool], out: &mut [T]) {
        check_lengths(self.n_pre, self.n_post, spikes.len(), out.len());
        for_each_spike(spikes, |i| {
            for (o, &w) in out.iter_mut().zip(self.row(i)) {
                *o += w.weight();
            }
        });
    }

    #[inline]
    fn add_values(&self, x: &[T], out: &mut [T]) {
        check_lengths(self.n_pre, self.n_post, x.len(), out.len());
        for (i, &xi) in x.iter().enumerate() {
            for (o, &w) in out.iter_mut().zip(self.row(i)) {
                *o += w.weight() * xi;
            }
        }
    }
}
