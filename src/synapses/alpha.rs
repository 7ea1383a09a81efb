//! [`Alpha`]: the alpha synapse, BrainPy's `brainpy.dyn.Alpha` — the dual exponential with one
//! time constant: a single spike gives `g(t) = (t / τ) e^{-t/τ}`.

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// Alpha synapses: `N` by a batch of `B`, in scalar `T`, each driven by the spikes of its
/// presynaptic neuron (align-pre).
///
/// ```text
/// dg/dt = -g / tau_decay + h / tau_decay
/// dh/dt = -h / tau_decay
/// spike: h += 1
/// ```
///
/// Exponential Euler steps `g` and `h` with the old values of both (BrainPy's `JointEq`); the
/// spike comes after the step. A step returns nothing: read `g`.
#[dynamical_system(crate = crate, inputs(spike: bool))]
#[derive(Clone, PartialEq)]
pub struct Alpha<T: Real, const N: usize, const B: usize = 1> {
    /// Time constant (ms).
    #[param(default = 10.0, check = positive)]
    pub tau_decay: T,
    /// Conductance.
    #[state]
    pub g: SMatrix<T, N, B>,
    /// Rise variable.
    #[state]
    pub h: SMatrix<T, N, B>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize, const B: usize> Alpha<T, N, B> {
    #[ode(g)]
    fn dg(&self, g: T, h: T) -> T {
        -g * self.tau_decay.recip() + h * self.tau_decay.recip()
    }

    #[ode(h)]
    fn dh(&self, h: T) -> T {
        -h * self.tau_decay.recip()
    }

    /// After the step, each synapse: a presynaptic spike adds 1 to `h`.
    #[update]
    fn kick(&self, _sh: &Shared, new: &mut AlphaElement<T>, spike: bool) {
        if spike {
            new.h += T::one();
        }
    }
}
