//! [`MgBlock`]: the conductance-based output with a magnesium block, BrainPy's
//! `brainpy.dyn.MgBlock` — NMDA channels conduct `g (E - V)` scaled down at hyperpolarized
//! potentials, where Mg²⁺ blocks them.

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// A Mg²⁺-blocked output for `N` neurons by a batch of `B` samples:
///
/// ```text
/// i = g (e - v) / (1 + cc_mg / beta · exp(alpha (v_offset - v)))
/// ```
///
/// with `v` the potential before the update, kept in the state `i` (a step returns nothing:
/// read `i`).
#[dynamical_system(crate = crate, inputs(g, v))]
#[derive(Clone, PartialEq)]
pub struct MgBlock<T: Real, const N: usize, const B: usize = 1> {
    /// Reversal potential (mV).
    #[param(default = 0.0)]
    pub e: T,
    /// Extracellular Mg²⁺ concentration (mM).
    #[param(default = 1.2, check = non_negative)]
    pub cc_mg: T,
    /// Steepness of the block (1/mV).
    #[param(default = 0.062)]
    pub alpha: T,
    /// Mg²⁺ sensitivity (mM).
    #[param(default = 3.57, check = positive)]
    pub beta: T,
    /// Potential offset (mV).
    #[param(default = 0.0)]
    pub v_offset: T,
    /// The last current.
    #[state]
    pub i: SMatrix<T, N, B>,
}

#[dynamical_system]
impl<T: Real, const N: usize, const B: usize> MgBlock<T, N, B> {
    /// Each neuron's current, from its conductance and its potential.
    #[update]
    fn current(&self, _sh: &Shared, new: &mut MgBlockElement<T>, g: T, v: T) {
        let block = T::one() + self.cc_mg / self.beta * (self.alpha * (self.v_offset - v)).exp();
        new.i = g * (self.e - v) / block;
    }
}
