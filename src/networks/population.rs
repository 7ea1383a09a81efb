//! [`Population`]: what a network needs of a population of neurons — a step from an input
//! current per neuron, its membrane potential (the outputs read it before the step) and its
//! spikes (the projections leaving it read them). The zoo's [`Lif`] and [`HhTraub`] are
//! populations; a model of your own becomes one with the same three lines.

use loop_core::Real;
use nalgebra::SVector;

use crate::neurons::{HhTraub, Lif};
use crate::{DynamicalSystem, States};

/// A population of `N` neurons of scalar `T` in a network (see the module docs).
pub trait Population<T, const N: usize>:
    DynamicalSystem<(), Input = SVector<T, N>> + States + Default
{
    /// Membrane potential (mV).
    fn v(&self) -> &SVector<T, N>;
    /// Membrane potential (mV), to set it.
    fn v_mut(&mut self) -> &mut SVector<T, N>;
    /// Which neurons fired at the last step.
    fn spikes(&self) -> &SVector<bool, N>;
}

impl<T: Real, const N: usize> Population<T, N> for Lif<T, N> {
    fn v(&self) -> &SVector<T, N> {
        &self.v
    }

    fn v_mut(&mut self) -> &mut SVector<T, N> {
        &mut self.v
    }

    fn spikes(&self) -> &SVector<bool, N> {
        &self.spike
    }
}

impl<T: Real, const N: usize> Population<T, N> for HhTraub<T, N> {
    fn v(&self) -> &SVector<T, N> {
        &self.v
    }

    fn v_mut(&mut self) -> &mut SVector<T, N> {
        &mut self.v
    }

    fn spikes(&self) -> &SVector<bool, N> {
        &self.spike
    }
}
