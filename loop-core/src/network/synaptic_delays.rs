//! [`SynapticDelays`]: an align-post projection with a delay per synapse. A spike is scattered
//! at once into the slot of the step it will arrive at, in a ring of `max_delay + 1` postsynaptic
//! currents; each step the current slot is added to the conductance and cleared. A synapse costs
//! 2 bytes more (its `u16` delay, up to 65 535 steps).

use alloc::vec::Vec;

use super::comm::check_lengths;
use super::error::{ConnArray, ConnError, InvalidConn};
use super::spikes::for_each_spike;
use super::synapses::{Footprint, Synapses};
use super::weights::{Weight, Weights};
use crate::Real;

/// Sparse synapses whose delays (in steps, one per synapse in the CSR order) may differ,
/// delivering spikes into a postsynaptic conductance of scalar `T`. With every delay equal to
/// `d` it delivers what an [`AlignPost`](super::AlignPost) with delay `d` delivers, bit for bit.
#[derive(Clone, Debug)]
pub struct SynapticDelays<W, T> {
    synapses: Synapses<W>,
    delays: Vec<u16>,
    /// `max_delay + 1` slots of `n_post` currents: slot `(head + d) % len` arrives in `d` steps.
    ring: Vec<T>,
    slots: usize,
    head: usize,
}

impl<W, T: Real> SynapticDelays<W, T> {
    /// `synapses` with one delay each (in steps, CSR order).
    pub fn new(synapses: Synapses<W>, mut delays: Vec<u16>) -> Result<Self, ConnError> {
        let n = synapses.csr().n_synapses();
        if delays.len() != n {
            return Err(ConnError::Length {
                array: ConnArray::Delays,
                found: delays.len(),
                expected: n,
            });
        }
        delays.shrink_to_fit();
        let slots = usize::from(delays.iter().copied().max().unwrap_or(0)) + 1;
        let ring = alloc::vec![T::zero(); slots * synapses.csr().n_post()];
        Ok(SynapticDelays {
            synapses,
            delays,
            ring,
            slots,
            head: 0,
        })
    }

    /// `synapses` with delays `delay(synapse, pre, post)` in steps; an error names the first
    /// delay longer than a `u16` holds.
    pub fn from_fn(
        synapses: Synapses<W>,
        mut delay: impl FnMut(usize, usize, usize) -> usize,
    ) -> Result<Self, ConnError> {
        let csr = synapses.csr();
        let mut delays = Vec::with_capacity(csr.n_synapses());
        for i in 0..csr.n_pre() {
            for s in csr.row_range(i) {
                let steps = delay(s, i, csr.indices()[s] as usize);
                let d = u16::try_from(steps).map_err(|_| {
                    ConnError::Invalid(InvalidConn::DelayTooLong {
                        steps,
                        max: usize::from(u16::MAX),
                    })
                })?;
                delays.push(d);
            }
        }
        Self::new(synapses, delays)
    }

    /// The synapses.
    pub fn synapses(&self) -> &Synapses<W> {
        &self.synapses
    }

    /// The delay of every synapse, in steps (CSR order).
    pub fn delays(&self) -> &[u16] {
        &self.delays
    }

    /// Memory of the connectivity, weights and delays (not the ring of currents).
    pub fn footprint(&self) -> Footprint {
        let mut f = self.synapses.footprint();
        f.per_synapse_bytes += self.delays.capacity() * size_of::<u16>();
        f
    }

    /// Forgets the spikes in flight.
    pub fn reset(&mut self) {
        self.ring.fill(T::zero());
        self.head = 0;
    }
}

impl<W: Weight<T>, T: Real> SynapticDelays<W, T> {
    /// One step: the spikes `pre_spikes` are scheduled along their synapses, then the currents
    /// due now are added to `g` (each formed from zero, spikes of earlier steps first, then in
    /// presynaptic order). Nothing is allocated. Panics if a slice has the wrong length.
    #[inline]
    pub fn deliver(&mut self, pre_spikes: &[bool], g: &mut [T]) {
        let csr = self.synapses.csr();
        let n_post = csr.n_post();
        check_lengths(csr.n_pre(), n_post, pre_spikes.len(), g.len());
        let (indices, delays, ring) = (csr.indices(), &self.delays, &mut self.ring);
        let (head, slots) = (self.head, self.slots);
        let target = |s: usize| {
            let slot = head + usize::from(delays[s]);
            let slot = if slot >= slots { slot - slots } else { slot };
            slot * n_post + indices[s] as usize
        };
        match self.synapses.weights() {
            Weights::Homogeneous(w) => {
                let w = w.weight();
                for_each_spike(pre_spikes, |i| {
                    for s in csr.row_range(i) {
                        ring[target(s)] += w;
                    }
                });
            }
            Weights::PerSynapse(ws) => {
                for_each_spike(pre_spikes, |i| {
                    for s in csr.row_range(i) {
                        ring[target(s)] += ws[s].weight();
                    }
                });
            }
        }
        let now = &mut ring[head * n_post..(head + 1) * n_post];
        for (g, c) in g.iter_mut().zip(now) {
            *g += *c;
            *c = T::zero();
        }
        self.head = if head + 1 == slots { 0 } else { head + 1 };
    }
}
