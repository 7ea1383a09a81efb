//! [`DualExpon`]: the dual-exponential synapse, BrainPy's `brainpy.dyn.DualExpon` — a rise
//! variable `h` that each presynaptic spike kicks by a normalizing factor `a`, feeding a
//! conductance `g` that decays more slowly, so that a single spike gives
//! `g(t) = a τ_d τ_r / (τ_d - τ_r) (e^{-t/τ_d} - e^{-t/τ_r})`, whose peak is 1.

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// Dual-exponential synapses: `N` by a batch of `B`, in scalar `T`, each driven by the spikes of
/// its presynaptic neuron (align-pre).
///
/// ```text
/// dg/dt = -g / tau_decay + h
/// dh/dt = -h / tau_rise
/// spike: h += a,   a = (tau_rise / tau_decay)^(tau_rise / (tau_rise - tau_decay)) / tau_rise
/// ```
///
/// `a` is BrainPy's peak normalizer (`A = None`); with `tau_rise == tau_decay` it is its limit
/// `e / tau`. Exponential Euler steps `g` and `h` with the old values of both (BrainPy's
/// `JointEq`); the kick comes after the step. A step returns nothing: read `g`.
#[dynamical_system(crate = crate, inputs(spike: bool))]
#[derive(Clone, PartialEq)]
pub struct DualExpon<T: Real, const N: usize, const B: usize = 1> {
    /// Decay time constant (ms).
    #[param(default = 10.0, check = positive)]
    pub tau_decay: T,
    /// Rise time constant (ms).
    #[param(default = 1.0, check = positive)]
    pub tau_rise: T,
    /// Conductance.
    #[state]
    pub g: SMatrix<T, N, B>,
    /// Rise variable.
    #[state]
    pub h: SMatrix<T, N, B>,
}

impl<T: Real, const N: usize, const B: usize> DualExponParams<T, N, B> {
    /// The kick of `h` per spike, which makes the peak of `g` after one spike 1 (BrainPy's
    /// `_dual_exp_a` with `A = None`).
    #[inline(always)]
    pub fn a(&self) -> T {
        let (rise, decay) = (self.tau_rise, self.tau_decay);
        if rise == decay {
            T::of(core::f64::consts::E) / rise
        } else {
            (rise / decay).powf(rise / (rise - decay)) / rise
        }
    }
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize, const B: usize> DualExpon<T, N, B> {
    #[ode(g)]
    fn dg(&self, g: T, h: T) -> T {
        -g * self.tau_decay.recip() + h
    }

    #[ode(h)]
    fn dh(&self, h: T) -> T {
        -h * self.tau_rise.recip()
    }

    /// After the step, each synapse: a presynaptic spike kicks `h`.
    #[update]
    fn kick(&self, _sh: &Shared, new: &mut DualExponElement<T>, spike: bool) {
        if spike {
            new.h += self.a();
        }
    }
}
