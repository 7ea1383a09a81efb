//! [`Nmda`]: the NMDA synapse, BrainPy's `brainpy.dyn.NMDA` — a rise variable `x` that each
//! presynaptic spike increments, opening a conductance `g` that saturates at 1 and decays
//! slowly. Its voltage dependence is the output's: [`MgBlock`](super::MgBlock).

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// NMDA synapses: `N` by a batch of `B`, in scalar `T`, each driven by the spikes of its
/// presynaptic neuron (align-pre).
///
/// ```text
/// dg/dt = -g / tau_decay + a x (1 - g)
/// dx/dt = -x / tau_rise
/// spike: x += 1
/// ```
///
/// Exponential Euler steps `g` and `x` with the old values of both (BrainPy's `JointEq`); the
/// spike comes after the step. A step returns nothing: read `g`.
#[dynamical_system(crate = crate, inputs(spike: bool))]
#[derive(Clone, PartialEq)]
pub struct Nmda<T: Real, const N: usize, const B: usize = 1> {
    /// Binding rate (1/ms).
    #[param(default = 0.5, check = non_negative)]
    pub a: T,
    /// Decay time constant of `g` (ms).
    #[param(default = 100.0, check = positive)]
    pub tau_decay: T,
    /// Decay time constant of `x` (ms).
    #[param(default = 2.0, check = positive)]
    pub tau_rise: T,
    /// Fraction of open channels.
    #[state]
    pub g: SMatrix<T, N, B>,
    /// Rise variable.
    #[state]
    pub x: SMatrix<T, N, B>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize, const B: usize> Nmda<T, N, B> {
    #[ode(g)]
    fn dg(&self, g: T, x: T) -> T {
        -g * self.tau_decay.recip() + self.a * x * (T::one() - g)
    }

    #[ode(x)]
    fn dx(&self, x: T) -> T {
        -x * self.tau_rise.recip()
    }

    /// After the step, each synapse: a presynaptic spike adds 1 to `x`.
    #[update]
    fn kick(&self, _sh: &Shared, new: &mut NmdaElement<T>, spike: bool) {
        if spike {
            new.x += T::one();
        }
    }
}
