//! [`Cuba`]: the current-based output, BrainPy's `brainpy.dyn.CUBA` — the synapse's variable is
//! the current itself, whatever the postsynaptic potential.

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// A current-based output for `N` neurons by a batch of `B` samples: the current `i = g`, kept
/// in the state `i` (a step returns nothing: read `i`).
#[dynamical_system(crate = crate, inputs(g))]
#[derive(Clone, PartialEq)]
pub struct Cuba<T: Real, const N: usize, const B: usize = 1> {
    /// The last current.
    #[state]
    pub i: SMatrix<T, N, B>,
}

#[dynamical_system]
impl<T: Real, const N: usize, const B: usize> Cuba<T, N, B> {
    /// Each neuron's current: the synapse's variable.
    #[update]
    fn current(&self, _sh: &Shared, new: &mut CubaElement<T>, g: T) {
        new.i = g;
    }
}
