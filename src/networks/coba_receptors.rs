//! [`CobaReceptors`]: conductance-based synapses on a population, as COBA and COBAHH have them —
//! two exponential conductances ([`Expon`]) with their conductance-based outputs ([`Coba`]), a
//! `#[dynamical_system]` whose children they are.

use loop_core::Real;
use nalgebra::SVector;

use super::receptors::Receptors;
use crate::synapses::{Coba, CobaInputRef, Expon};
use crate::{DynamicalSystem, Shared, dynamical_system};

/// The synapses on `N` neurons: `g_E` (`tau_e`, reversal `e_e`) and `g_I` (`tau_i`, `e_i`).
/// A step, from V before the population's update: both conductances decay, then each output
/// forms its current `g (E - V)`.
///
/// An output takes its two inputs by name; the step lends them (`CobaInputRef`, through
/// `update_lent`), so each output reads its conductance and the potential where they are.
#[dynamical_system(crate = crate)]
#[derive(Clone, PartialEq)]
pub struct CobaReceptors<T: Real, const N: usize> {
    /// The excitatory conductance.
    #[child]
    pub ge: Expon<T, N>,
    /// The inhibitory conductance.
    #[child]
    pub gi: Expon<T, N>,
    /// The excitatory current `g_E (e_e - V)`.
    #[child]
    pub exc: Coba<T, N>,
    /// The inhibitory current `g_I (e_i - V)`.
    #[child]
    pub inh: Coba<T, N>,
}

#[dynamical_system]
impl<T: Real, const N: usize> CobaReceptors<T, N> {
    /// One step at the population's potential `v`.
    #[update]
    fn step(&mut self, sh: &Shared, v: &SVector<T, N>) {
        self.ge.update(sh, ());
        self.gi.update(sh, ());
        self.exc.update_lent(sh, CobaInputRef { g: &self.ge.g, v });
        self.inh.update_lent(sh, CobaInputRef { g: &self.gi.g, v });
    }
}

impl<T: Real, const N: usize> Receptors<T, N> for CobaReceptors<T, N> {
    fn g_e(&mut self) -> &mut SVector<T, N> {
        &mut self.ge.g
    }

    fn g_i(&mut self) -> &mut SVector<T, N> {
        &mut self.gi.g
    }

    fn currents(&self) -> (&SVector<T, N>, &SVector<T, N>) {
        (&self.exc.i, &self.inh.i)
    }
}
