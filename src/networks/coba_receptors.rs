//! [`CobaReceptors`]: conductance-based synapses on a population, as COBA and COBAHH have them —
//! two exponential conductances ([`Expon`]) with their conductance-based outputs ([`Coba`]), a
//! `#[dynamical_system]` whose children they are.

use loop_core::Real;
use nalgebra::SVector;

use super::receptors::Receptors;
use crate::synapses::{Coba, CobaInput, Expon};
use crate::{DynamicalSystem, Shared, dynamical_system};

/// The synapses on `N` neurons: `g_E` (`tau_e`, reversal `e_e`) and `g_I` (`tau_i`, `e_i`).
/// A step, from V before the population's update: both conductances decay, then each output
/// forms its current `g (E - V)`.
///
/// An output takes its two inputs by name in one `CobaInput` (the struct generated for a model
/// with several inputs), so the step fills one scratch input in turn, `(g_E, V)` then
/// `(g_I, V)`: three copies of a vector per step.
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
    /// Scratch: an output's input pair.
    pair: Pair<T, N>,
}

/// A conductance and a potential (scratch).
#[derive(Clone, Debug, PartialEq)]
struct Pair<T: Real, const N: usize>(CobaInput<T, N>);

impl<T: Real, const N: usize> Default for Pair<T, N> {
    fn default() -> Self {
        Pair(CobaInput {
            g: SVector::zeros(),
            v: SVector::zeros(),
        })
    }
}

#[dynamical_system]
impl<T: Real, const N: usize> CobaReceptors<T, N> {
    /// One step at the population's potential `v`.
    #[update]
    fn step(&mut self, sh: &Shared, v: &SVector<T, N>) {
        self.ge.update(sh, ());
        self.gi.update(sh, ());
        let pair = &mut self.pair.0;
        pair.v = *v;
        pair.g = self.ge.g;
        self.exc.update_ref(sh, pair);
        pair.g = self.gi.g;
        self.inh.update_ref(sh, pair);
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
