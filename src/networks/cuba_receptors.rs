//! [`CubaReceptors`]: current-based synapses on a population, as CUBA has them: two
//! exponential currents (BrainPy's `Expon`, as [`Expon`](crate::synapses::Expon) writes it,
//! read by `CUBA` outputs, as [`Cuba`](crate::synapses::Cuba) writes them) and the
//! population's total current, in one `#[dynamical_system]`: one pass over the population
//! where the children took five (see [`CobaReceptors`](super::CobaReceptors)).

use loop_core::Real;
use nalgebra::SMatrix;

use super::receptors::receptors_of_fields;
use crate::{Shared, dynamical_system};

/// The synapses on `N` neurons: `g_E` (`tau_e`) and `g_I` (`tau_i`), currents in themselves
/// (mV under a unit resistance), and the population's constant `input`. A step:
///
/// ```text
/// dg_E/dt = -g_E / tau_e,   dg_I/dt = -g_I / tau_i     (exponential Euler)
/// total = (input + g_E) + g_I
/// ```
///
/// The potential is an input, as for every [`Receptors`](super::Receptors), but not read.
#[dynamical_system(crate = crate, inputs(v))]
#[derive(Clone, PartialEq)]
pub struct CubaReceptors<T: Real, const N: usize> {
    /// Decay time constant of `g_E` (ms).
    #[param(default = 5.0, check = positive)]
    pub tau_e: T,
    /// Decay time constant of `g_I` (ms).
    #[param(default = 10.0, check = positive)]
    pub tau_i: T,
    /// The constant input current, to which the synaptic currents are added.
    #[param(default = 0.0, check = finite)]
    pub input: T,
    /// The excitatory current.
    #[state]
    pub ge: SMatrix<T, N, 1>,
    /// The inhibitory current.
    #[state]
    pub gi: SMatrix<T, N, 1>,
    /// The population's total current at the last step.
    #[state]
    pub total: SMatrix<T, N, 1>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize> CubaReceptors<T, N> {
    #[ode(ge)]
    fn dge(&self, ge: T) -> T {
        -ge * self.tau_e.recip()
    }

    #[ode(gi)]
    fn dgi(&self, gi: T) -> T {
        -gi * self.tau_i.recip()
    }

    /// After the decay: the sum (current-based: the potential is not used).
    #[update]
    fn currents(&self, _sh: &Shared, new: &mut CubaReceptorsElement<T>, v: T) {
        let _ = v;
        new.total = (self.input + new.ge) + new.gi;
    }
}

receptors_of_fields!(CubaReceptors);
