//! [`Coba`]: the conductance-based output, BrainPy's `brainpy.dyn.COBA` — the current a
//! conductance drives through the membrane, `I = g (E - V)`, with `V` the postsynaptic
//! potential before its update.

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// A conductance-based output for `N` neurons by a batch of `B` samples: the current
/// `i = g (e - v)` of a conductance `g` at the potential `v`, kept in the state `i` (a step
/// returns nothing: read `i`).
#[dynamical_system(crate = crate, inputs(g, v))]
#[derive(Clone, PartialEq)]
pub struct Coba<T: Real, const N: usize, const B: usize = 1> {
    /// Reversal potential (mV).
    #[param(default = 0.0)]
    pub e: T,
    /// The last current.
    #[state]
    pub i: SMatrix<T, N, B>,
}

#[dynamical_system]
impl<T: Real, const N: usize, const B: usize> Coba<T, N, B> {
    /// Each neuron's current, from its conductance and its potential.
    #[update]
    fn current(&self, _sh: &Shared, new: &mut CobaElement<T>, g: T, v: T) {
        new.i = g * (self.e - v);
    }
}
