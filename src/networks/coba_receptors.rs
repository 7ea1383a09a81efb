//! [`CobaReceptors`]: conductance-based synapses on a population, as COBA and COBAHH have them:
//! two exponential conductances (BrainPy's `Expon`, as [`Expon`](crate::synapses::Expon)
//! writes it) with their conductance-based outputs (`COBA`, as [`Coba`](crate::synapses::Coba)
//! writes it), and the population's total current, in one `#[dynamical_system]`.
//!
//! One model, not a composite of `Expon` and `Coba` children: its step is one pass over the
//! population (the conductances decay, the currents and their sum are formed, element by
//! element), where the children took five passes, each reading and writing its own arrays. The
//! arithmetic is theirs, operation for operation (`tests/networks_receptors.rs` checks it
//! against the children, bit for bit).

use loop_core::Real;
use nalgebra::SMatrix;

use super::receptors::receptors_of_fields;
use crate::{Shared, dynamical_system};

/// The synapses on `N` neurons: `g_E` (`tau_e`, reversal `e_e`) and `g_I` (`tau_i`, `e_i`),
/// and the population's constant `input`. A step, from V before the population's update:
///
/// ```text
/// dg_E/dt = -g_E / tau_e,   dg_I/dt = -g_I / tau_i     (exponential Euler)
/// total = (input + g_E (e_e - V)) + g_I (e_i - V)
/// ```
///
/// (the decay written `-g * tau.recip()`, BrainPy's arithmetic, as `Expon` writes it; the sum
/// in BrainPy's order, `sum_current_inputs(V, init=input)`).
#[dynamical_system(crate = crate, inputs(v))]
#[derive(Clone, PartialEq)]
pub struct CobaReceptors<T: Real, const N: usize> {
    /// Decay time constant of `g_E` (ms).
    #[param(default = 5.0, check = positive)]
    pub tau_e: T,
    /// Decay time constant of `g_I` (ms).
    #[param(default = 10.0, check = positive)]
    pub tau_i: T,
    /// Reversal potential of the excitatory current (mV).
    #[param(default = 0.0, check = finite)]
    pub e_e: T,
    /// Reversal potential of the inhibitory current (mV).
    #[param(default = -80.0, check = finite)]
    pub e_i: T,
    /// The constant input current, to which the synaptic currents are added.
    #[param(default = 0.0, check = finite)]
    pub input: T,
    /// The excitatory conductance.
    #[state]
    pub ge: SMatrix<T, N, 1>,
    /// The inhibitory conductance.
    #[state]
    pub gi: SMatrix<T, N, 1>,
    /// The population's total current at the last step.
    #[state]
    pub total: SMatrix<T, N, 1>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize> CobaReceptors<T, N> {
    #[ode(ge)]
    fn dge(&self, ge: T) -> T {
        -ge * self.tau_e.recip()
    }

    #[ode(gi)]
    fn dgi(&self, gi: T) -> T {
        -gi * self.tau_i.recip()
    }

    /// After the decay: each current from its conductance and V, and their sum.
    #[update]
    fn currents(&self, _sh: &Shared, new: &mut CobaReceptorsElement<T>, v: T) {
        let exc = new.ge * (self.e_e - v);
        let inh = new.gi * (self.e_i - v);
        new.total = (self.input + exc) + inh;
    }
}

receptors_of_fields!(CobaReceptors);
