//! [`AlignPre`]: a projection whose synaptic state lives on the sources, one value per
//! presynaptic neuron (BrainPy's `ProjAlignPreMg2`), for kinetics that are not linear in the
//! spikes (AMPA, GABAa, NMDA): the per-source state of `delay` steps ago is carried through the
//! comm into a postsynaptic conductance, which replaces the last one and is read by the output
//! (COBA, CUBA, MgBlock).

use alloc::vec::Vec;

use super::comm::Comm;
use super::delay::DelayLine;
use crate::Real;

/// An align-pre projection: a comm `C` and a delay in whole steps on the per-source state.
///
/// Call [`deliver`](Self::deliver) once per step, before the postsynaptic population updates,
/// with the per-source synapse state as it is then (updated after the presynaptic population at
/// the previous step, as BrainPy's `_AlignPre` does).
#[derive(Clone, Debug)]
pub struct AlignPre<C, T> {
    comm: C,
    values: DelayLine<T>,
    g: Vec<T>,
}

impl<C: Comm<T>, T: Real> AlignPre<C, T> {
    /// A projection through `comm` with a delay of `delay` steps.
    pub fn new(comm: C, delay: usize) -> Self {
        let (n_pre, n_post) = (comm.n_pre(), comm.n_post());
        AlignPre {
            comm,
            values: DelayLine::new(n_pre, delay, T::zero()),
            g: alloc::vec![T::zero(); n_post],
        }
    }

    /// One step: the postsynaptic conductance `g[j] = Σ_i w[i][j] x[i]` of the per-source state
    /// `x` of `delay` steps before `pre_state` (BrainPy's `csrmv`, from zero in presynaptic
    /// order). Returns it; nothing is allocated. Panics if `pre_state` has the wrong length.
    #[inline]
    pub fn deliver(&mut self, pre_state: &[T]) -> &[T] {
        let x = self.values.push(pre_state);
        self.g.fill(T::zero());
        self.comm.add_values(x, &mut self.g);
        &self.g
    }

    /// The postsynaptic conductance of the last [`deliver`](Self::deliver).
    pub fn conductance(&self) -> &[T] {
        &self.g
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
        self.values.delay()
    }

    /// Forgets the values in flight and the conductance.
    pub fn reset(&mut self) {
        self.values.reset();
        self.g.fill(T::zero());
    }
}
