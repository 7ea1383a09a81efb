//! [`HhTraub`]: the Hodgkin–Huxley neuron with Traub & Miles's (1991) kinetics, the neuron of
//! Brette et al.'s (2007) benchmark 3 (COBAHH): BrainPy's `CondNeuGroup` with the channels
//! `INa_TM1991`, `IK_TM1991` and `IL`, Brian2's `COBAHH` example, NEST's `hh_cond_exp_traub`.
//!
//! ```
//! use looptime::neurons::HhTraub;
//! use looptime::prelude::*;
//!
//! let mut run = LoopOverTime::new(HhTraub::<f64, 1>::new()).select(HhTraub::<f64, 1>::probe_v());
//! let inputs = vec![SMatrix::<f64, 1, 1>::from_element(2.0); 1000];
//! let history = run.run_inputs(&inputs).unwrap();
//! assert!(history.outputs.iter().any(|spike| spike[0]), "2 µA/cm² makes it fire");
//! ```

use loop_core::Real;
use loop_core::math::{exp, exprel};
use nalgebra::SMatrix;

use super::v_init::uniform_around;
use crate::{Shared, dynamical_system};

/// Hodgkin–Huxley neurons with Traub & Miles's rates: `N` neurons by a batch of `B` samples, in
/// scalar `T`, integrated by exponential Euler (every variable at the old values of the others,
/// BrainPy's `exp_auto`). Units per membrane area: mV, ms, µF/cm², mS/cm², µA/cm².
///
/// ```text
/// c dV/dt = g_na m³h (e_na - V) + g_k n⁴ (e_k - V) + g_l (e_l - V) + I
/// dx/dt   = alpha_x(V) (1 - x) - beta_x(V) x          for x in m, h, n, with u = V - v_sh:
///   alpha_m = 1.28 / exprel((13 - u) / 4)      beta_m = 1.4 / exprel((u - 40) / 5)
///   alpha_h = 0.128 exp((17 - u) / 18)         beta_h = 4 / (1 + exp(-(u - 40) / 5))
///   alpha_n = 0.16 / exprel((15 - u) / 5)      beta_n = 0.5 exp((10 - u) / 40)
/// spike   = V_old < v_th and V_new >= v_th
/// ```
///
/// (`1.28 / exprel(z / 4)` is `0.32 z / (e^{z/4} - 1)` without its removable singularity.)
/// The defaults are COBAHH's: a 20 000 µm² cell of 1 µF/cm², `g_na` 100, `g_k` 30, `g_l` 0.05
/// (Brian2's 20 µS, 6 µS, 10 nS), `v_sh = -63` (Brian2's `VT`). Every neuron starts at
/// `v_init` (or a seeded uniform draw of half-width `v_init_spread` around it), its gates at
/// their steady state there.
#[dynamical_system(crate = crate, inputs(i))]
#[derive(Clone, PartialEq)]
pub struct HhTraub<T: Real, const N: usize, const B: usize = 1> {
    /// Sodium reversal potential (mV).
    #[param(default = 50.0)]
    pub e_na: T,
    /// Maximal sodium conductance (mS/cm²).
    #[param(default = 100.0, check = non_negative)]
    pub g_na: T,
    /// Potassium reversal potential (mV).
    #[param(default = -90.0)]
    pub e_k: T,
    /// Maximal potassium conductance (mS/cm²).
    #[param(default = 30.0, check = non_negative)]
    pub g_k: T,
    /// Leak reversal potential (mV).
    #[param(default = -60.0)]
    pub e_l: T,
    /// Leak conductance (mS/cm²).
    #[param(default = 0.05, check = non_negative)]
    pub g_l: T,
    /// Membrane capacitance (µF/cm²).
    #[param(default = 1.0, check = positive)]
    pub c: T,
    /// Shift of the rate curves (mV; Brian2's `VT`).
    #[param(default = -63.0)]
    pub v_sh: T,
    /// Spike threshold (mV), crossed upwards.
    #[param(default = -20.0)]
    pub v_th: T,
    /// Initial membrane potential (mV), the centre of the draw when `v_init_spread > 0`.
    #[param(default = -65.0, check = finite)]
    pub v_init: T,
    /// Half-width of the uniform draw of `V0` around `v_init` (0: every neuron at `v_init`).
    #[param(default = 0.0, check = [non_negative, finite])]
    pub v_init_spread: T,
    /// Seed of the draw of `V0`.
    #[param(default = 0)]
    pub seed: u64,
    /// Membrane potential (mV).
    #[state(init = uniform_around(v_init, v_init_spread, seed))]
    pub v: SMatrix<T, N, B>,
    /// Sodium activation gate.
    #[state(init = v.map(|v| steady(m_alpha(v, v_sh), m_beta(v, v_sh))))]
    pub m: SMatrix<T, N, B>,
    /// Sodium inactivation gate.
    #[state(init = v.map(|v| steady(h_alpha(v, v_sh), h_beta(v, v_sh))))]
    pub h: SMatrix<T, N, B>,
    /// Potassium activation gate.
    #[state(init = v.map(|v| steady(n_alpha(v, v_sh), n_beta(v, v_sh))))]
    pub n: SMatrix<T, N, B>,
    /// Whether each neuron fired at the last step.
    #[state]
    pub spike: SMatrix<bool, N, B>,
}

/// Opening rate of `m` (1/ms).
#[inline(always)]
pub fn m_alpha<T: Real>(v: T, v_sh: T) -> T {
    T::of(1.28) / exprel((T::of(13.0) - v + v_sh) / T::of(4.0))
}

/// Closing rate of `m` (1/ms).
#[inline(always)]
pub fn m_beta<T: Real>(v: T, v_sh: T) -> T {
    T::of(1.4) / exprel((v - v_sh - T::of(40.0)) / T::of(5.0))
}

/// Opening rate of `h` (1/ms).
#[inline(always)]
pub fn h_alpha<T: Real>(v: T, v_sh: T) -> T {
    T::of(0.128) * exp((T::of(17.0) - v + v_sh) / T::of(18.0))
}

/// Closing rate of `h` (1/ms).
#[inline(always)]
pub fn h_beta<T: Real>(v: T, v_sh: T) -> T {
    T::of(4.0) / (T::one() + exp(-(v - v_sh - T::of(40.0)) / T::of(5.0)))
}

/// Opening rate of `n` (1/ms).
#[inline(always)]
pub fn n_alpha<T: Real>(v: T, v_sh: T) -> T {
    T::of(0.16) / exprel((T::of(15.0) - v + v_sh) / T::of(5.0))
}

/// Closing rate of `n` (1/ms).
#[inline(always)]
pub fn n_beta<T: Real>(v: T, v_sh: T) -> T {
    T::of(0.5) * exp((T::of(10.0) - v + v_sh) / T::of(40.0))
}

/// A gate's steady state, `alpha / (alpha + beta)`.
fn steady<T: Real>(alpha: T, beta: T) -> T {
    alpha / (alpha + beta)
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize, const B: usize> HhTraub<T, N, B> {
    #[ode(v)]
    fn dv(&self, v: T, m: T, h: T, n: T, i: T) -> T {
        let i_na = self.g_na * m * m * m * h * (self.e_na - v);
        let n2 = n * n;
        let i_k = self.g_k * n2 * n2 * (self.e_k - v);
        let i_leak = self.g_l * (self.e_l - v);
        (i_na + i_k + i_leak + i) / self.c
    }

    #[ode(m)]
    fn dm(&self, m: T, v: T) -> T {
        let alpha = m_alpha(v, self.v_sh);
        let beta = m_beta(v, self.v_sh);
        alpha * (T::one() - m) - beta * m
    }

    #[ode(h)]
    fn dh(&self, h: T, v: T) -> T {
        let alpha = h_alpha(v, self.v_sh);
        let beta = h_beta(v, self.v_sh);
        alpha * (T::one() - h) - beta * h
    }

    #[ode(n)]
    fn dn(&self, n: T, v: T) -> T {
        let alpha = n_alpha(v, self.v_sh);
        let beta = n_beta(v, self.v_sh);
        alpha * (T::one() - n) - beta * n
    }

    /// After the equations' step, each neuron: a spike where `V` crossed `v_th` upwards.
    #[update]
    fn fire(&self, _sh: &Shared, old: &HhTraubElement<T>, new: &mut HhTraubElement<T>) -> bool {
        new.spike = old.v < self.v_th && new.v >= self.v_th;
        new.spike
    }
}
