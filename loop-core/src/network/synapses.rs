//! [`Synapses`]: a sparse projection matrix — a [`Csr`] connectivity and its [`Weights`] — with
//! event-driven and value delivery ([`Comm`]), and its memory [`Footprint`].

use alloc::vec::Vec;

use super::comm::{Comm, check_lengths};
use super::csr::{ConnIndex, Csr};
use super::error::ConnError;
use super::spikes::for_each_spike;
use super::weights::{Weight, Weights, check_weight_count};
use crate::Real;

/// Synapses from `n_pre` to `n_post` neurons: which pairs are connected ([`Csr`], `u32`
/// targets) and with what weight (homogeneous, or one `W` per synapse in the CSR order). A
/// synapse costs 4 bytes with a homogeneous weight, 8 with `f32` weights, 12 with `f64` weights
/// (an `f64` model can use `f32` weights, see [`Weight`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Synapses<W> {
    csr: Csr,
    weights: Weights<W>,
}

/// Memory held by a projection's connectivity, split into what grows with the synapses and what
/// grows with the presynaptic neurons. Bytes are counted by capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// Synapses.
    pub synapses: usize,
    /// Bytes of the arrays with one entry per synapse (targets, weights, delays).
    pub per_synapse_bytes: usize,
    /// Bytes of the arrays with one entry per presynaptic neuron (row pointers).
    pub per_row_bytes: usize,
}

impl Footprint {
    /// All bytes held.
    pub fn total(&self) -> usize {
        self.per_synapse_bytes + self.per_row_bytes
    }

    /// Bytes of the per-synapse arrays divided by the synapses (0 without synapses).
    pub fn bytes_per_synapse(&self) -> f64 {
        if self.synapses == 0 {
            0.0
        } else {
            self.per_synapse_bytes as f64 / self.synapses as f64
        }
    }
}

impl<W> Synapses<W> {
    /// Every synapse of `csr` with weight `w`.
    pub fn homogeneous(csr: Csr, w: W) -> Self {
        Synapses {
            csr,
            weights: Weights::Homogeneous(w),
        }
    }

    /// The synapses of `csr` with one weight each, in the CSR order.
    pub fn per_synapse(csr: Csr, mut weights: Vec<W>) -> Result<Self, ConnError> {
        check_weight_count(weights.len(), csr.n_synapses())?;
        weights.shrink_to_fit();
        Ok(Synapses {
            csr,
            weights: Weights::PerSynapse(weights),
        })
    }

    /// From COO arrays `pre[s] → post[s]` with weight `weights[s]`, checked; the rows keep the
    /// order of the arrays.
    pub fn from_coo<I: ConnIndex>(
        n_pre: usize,
        n_post: usize,
        pre: &[I],
        post: &[I],
        weights: &[W],
    ) -> Result<Self, ConnError>
    where
        W: Copy,
    {
        check_weight_count(weights.len(), pre.len())?;
        let (csr, order) = Csr::from_coo_with_order(n_pre, n_post, pre, post)?;
        let sorted = order.iter().map(|&s| weights[s]).collect();
        Self::per_synapse(csr, sorted)
    }

    /// The connectivity.
    pub fn csr(&self) -> &Csr {
        &self.csr
    }

    /// The weights.
    pub fn weights(&self) -> &Weights<W> {
        &self.weights
    }

    /// The weights, to change them (plasticity, scaling); their number cannot change.
    pub fn weights_mut(&mut self) -> WeightsMut<'_, W> {
        match &mut self.weights {
            Weights::Homogeneous(w) => WeightsMut::Homogeneous(w),
            Weights::PerSynapse(w) => WeightsMut::PerSynapse(w.as_mut_slice()),
        }
    }

    /// Memory held.
    pub fn footprint(&self) -> Footprint {
        Footprint {
            synapses: self.csr.n_synapses(),
            per_synapse_bytes: self.csr.indices_heap_bytes() + self.weights.heap_bytes(),
            per_row_bytes: self.csr.indptr_heap_bytes(),
        }
    }
}

/// Mutable access to a projection's weights (their number fixed).
#[derive(Debug)]
pub enum WeightsMut<'a, W> {
    /// The one weight.
    Homogeneous(&'a mut W),
    /// One weight per synapse.
    PerSynapse(&'a mut [W]),
}

/// How many presynaptic neurons that fired [`Synapses::deliver_events`] remembers from its first
/// scan of the spikes (a few hundred bytes on the stack); with more, it scans them again.
const FIRED: usize = 128;

impl<W> Synapses<W> {
    /// `out[j] += w` for the synapses of row `i`. The caller checked `out.len() == n_post`.
    #[inline(always)]
    fn add_row<T: Real>(&self, i: usize, out: &mut [T])
    where
        W: Weight<T>,
    {
        let r = self.csr.row_range(i);
        let targets = &self.csr.indices()[r.clone()];
        match &self.weights {
            Weights::Homogeneous(w) => {
                let w = w.weight();
                for &j in targets {
                    // SAFETY: every index of a `Csr` is below `n_post`, which is `out.len()`.
                    unsafe { *out.get_unchecked_mut(j as usize) += w };
                }
            }
            Weights::PerSynapse(ws) => {
                for (&j, &w) in targets.iter().zip(&ws[r]) {
                    // SAFETY: as above.
                    unsafe { *out.get_unchecked_mut(j as usize) += w.weight() };
                }
            }
        }
    }

    /// `g[j] += scratch[j]; scratch[j] = 0` for the targets of row `i` (a target reached twice
    /// finds its sum already moved, and adds zero). The caller checked both lengths.
    #[inline(always)]
    fn move_row<T: Real>(&self, i: usize, scratch: &mut [T], g: &mut [T]) {
        for &j in &self.csr.indices()[self.csr.row_range(i)] {
            let j = j as usize;
            // SAFETY: every index of a `Csr` is below `n_post`, the length of both slices.
            unsafe {
                let s = scratch.get_unchecked_mut(j);
                *g.get_unchecked_mut(j) += *s;
                *s = T::zero();
            }
        }
    }
}

impl<T: Real, W: Weight<T>> Comm<T> for Synapses<W> {
    fn n_pre(&self) -> usize {
        self.csr.n_pre()
    }

    fn n_post(&self) -> usize {
        self.csr.n_post()
    }

    #[inline]
    fn add_events(&self, spikes: &[bool], out: &mut [T]) {
        check_lengths(self.n_pre(), self.n_post(), spikes.len(), out.len());
        for_each_spike(spikes, |i| self.add_row(i, out));
    }

    /// Only the targets of the neurons that fired are touched: the weights are summed into
    /// `scratch`, then each touched target's sum is added to `g` once and cleared. The spikes
    /// are scanned once (twice when more than 128 neurons fired).
    #[inline]
    fn deliver_events(&self, spikes: &[bool], scratch: &mut [T], g: &mut [T]) {
        check_lengths(self.n_pre(), self.n_post(), spikes.len(), scratch.len());
        assert_eq!(g.len(), scratch.len(), "conductance of the wrong length");
        let mut fired = [0_u32; FIRED];
        let mut count = 0;
        for_each_spike(spikes, |i| {
            self.add_row(i, scratch);
            if count < FIRED {
                fired[count] = i as u32;
            }
            count += 1;
        });
        if count <= FIRED {
            for &i in &fired[..count] {
                self.move_row(i as usize, scratch, g);
            }
        } else {
            for_each_spike(spikes, |i| self.move_row(i, scratch, g));
        }
    }

    #[inline]
    fn add_values(&self, x: &[T], out: &mut [T]) {
        check_lengths(self.n_pre(), self.n_post(), x.len(), out.len());
        let indices = self.csr.indices();
        match &self.weights {
            Weights::Homogeneous(w) => {
                let w = w.weight();
                for (i, &xi) in x.iter().enumerate() {
                    // BrainPy's `csrmv` (homogeneous, transposed): `w * x[i]` once per row.
                    let wx = w * xi;
                    for &j in &indices[self.csr.row_range(i)] {
                        // SAFETY: every index of a `Csr` is below `n_post`, which is `out.len()`.
                        unsafe { *out.get_unchecked_mut(j as usize) += wx };
                    }
                }
            }
            Weights::PerSynapse(ws) => {
                for (i, &xi) in x.iter().enumerate() {
                    let r = self.csr.row_range(i);
                    for (&j, &w) in indices[r.clone()].iter().zip(&ws[r]) {
                        // SAFETY: as above.
                        unsafe { *out.get_unchecked_mut(j as usize) += w.weight() * xi };
                    }
                }
            }
        }
    }
}
