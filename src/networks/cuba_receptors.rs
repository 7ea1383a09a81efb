//! [`CubaReceptors`]: current-based synapses on a population, as CUBA has them — two
//! exponential synaptic variables ([`Expon`]) read as currents by [`Cuba`] outputs, a
//! `#[dynamical_system]` whose children they are.

use loop_core::Real;
use nalgebra::SVector;

use super::receptors::Receptors;
use crate::synapses::{Cuba, Expon};
use crate::{DynamicalSystem, Shared, dynamical_system};

/// The synapses on `N` neurons: `g_E` and `g_I`, currents in themselves (mV under a unit
/// resistance). A step: both decay, and the outputs read them; the potential is not used.
#[dynamical_system(crate = crate)]
#[derive(Clone, PartialEq)]
pub struct CubaReceptors<T: Real, const N: usize> {
    /// The excitatory variable.
    #[child]
    pub ge: Expon<T, N>,
    /// The inhibitory variable.
    #[child]
    pub gi: Expon<T, N>,
    /// The excitatory current.
    #[child]
    pub exc: Cuba<T, N>,
    /// The inhibitory current.
    #[child]
    pub inh: Cuba<T, N>,
}

#[dynamical_system]
impl<T: Real, const N: usize> CubaReceptors<T, N> {
    /// One step (current-based: `_v` is not read).
    #[update]
    fn step(&mut self, sh: &Shared, _v: &SVector<T, N>) {
        self.ge.update(sh, ());
        self.gi.update(sh, ());
        self.exc.update_ref(sh, &self.ge.g);
        self.inh.update_ref(sh, &self.gi.g);
    }
}

impl<T: Real, const N: usize> Receptors<T, N> for CubaReceptors<T, N> {
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
