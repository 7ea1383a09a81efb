//! [`AlignPost`]: a projection whose synaptic state lives on the targets, one conductance per
//! postsynaptic neuron (BrainPy's `ProjAlignPostMg2`): each step, the presynaptic spikes of
//! `delay` steps ago go through the comm into a fresh current, which is added to the targets'
//! conductance. The conductance's own dynamics (`Expon`, `DualExpon`, …) belong to the synapse
//! model that owns it; the projection only adds to it.

use alloc::vec::Vec;

use super::comm::Comm;
use super::delay::DelayLine;
use crate::Real;

/// An align-post projection: a comm `C` (sparse, dense, all-to-all, one-to-one) and a delay in
/// whole steps, delivering spikes into a postsynaptic conductance of scalar `T`.
///
/// Call [`deliver`](Self::deliver) once per step, before the populations update, with the
/// presynaptic population's spikes as they are then (those of the previous step). With delay 0
/// they reach the conductance at once (BrainPy's `delay=None`); with delay `d`, `d` steps later.
#[derive(Clone, Debug)]
pub struct AlignPost<C, T> {
    comm: C,
    spikes: DelayLine<bool>,
    /// Zero between calls of `deliver` (what `Comm::deliver_events` needs); `receive` fills it,
    /// and sets `received` so that the next `deliver` clears it first.
    current: Vec<T>,
    received: bool,
}

impl<C: Comm<T>, T: Real> AlignPost<C, T> {
    /// A projection through `comm` with a delay of `delay` steps.
    pub fn new(comm: C, delay: usize) -> Self {
        let (n_pre, n_post) = (comm.n_pre(), comm.n_post());
        AlignPost {
            comm,
            spikes: DelayLine::new(n_pre, delay, false),
            current: alloc::vec![T::zero(); n_post],
            received: false,
        }
    }

    /// One step: `g[j] += Σ w[i][j]` over the presynaptic `i` that fired `delay` steps before
    /// `pre_spikes`. As in BrainPy, the sum is formed from zero in presynaptic order and then
    /// added to `g` (its rounding is BrainPy's). Only the rows of neurons that fired are read, and
    /// with sparse synapses only their targets are written; nothing is allocated. Panics if a
    /// slice has the wrong length.
    #[inline]
    pub fn deliver(&mut self, pre_spikes: &[bool], g: &mut [T]) {
        if self.received {
            self.current.fill(T::zero());
            self.received = false;
        }
        let spikes = self.spikes.push(pre_spikes);
        self.comm.deliver_events(spikes, &mut self.current, g);
    }

    /// What [`deliver`](Self::deliver) would add, without adding it: pushes `pre_spikes` into the
    /// delay line and forms, from zero, the current of the spikes of `delay` steps before
    /// (BrainPy's projection output, before a synapse model adds it). Returns it.
    #[inline]
    pub fn receive(&mut self, pre_spikes: &[bool]) -> &[T] {
        let spikes = self.spikes.push(pre_spikes);
        self.current.fill(T::zero());
        self.comm.add_events(spikes, &mut self.current);
        self.received = true;
        &self.current
    }

    /// The spikes in flight (the delay line).
    pub fn spikes_in_flight(&self) -> &DelayLine<bool> {
        &self.spikes
    }

    /// Puts back spikes in flight taken by [`spikes_in_flight`](Self::spikes_in_flight) (a
    /// snapshot); panics if `line` is not of this projection's width and delay.
    pub fn restore_spikes_in_flight(&mut self, line: &DelayLine<bool>) {
        assert!(
            line.width() == self.spikes.width() && line.delay() == self.spikes.delay(),
            "spikes in flight of another projection"
        );
        self.spikes.clone_from(line);
    }

    /// The comm.
    pub fn comm(&self) -> &C {
        &self.comm
    }

    /// The comm, to change its weights.
    pub fn comm_mut(&mut self) -> &mut C {
        &mut self.comm
    }

    /// The delay, in steps.
    pub fn delay(&self) -> usize {
        self.spikes.delay()
    }

    /// Forgets the spikes in flight and the last current.
    pub fn reset(&mut self) {
        self.spikes.reset();
        self.current.fill(T::zero());
        self.received = false;
    }
}
