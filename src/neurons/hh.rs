//! The Hodgkin–Huxley neuron ([`Hh`]), step for step as BrainPy's `brainpy.neurons.HH`: sodium,
//! potassium and leak currents, gates `m`, `h`, `n` starting at their steady state at `V0`, and a
//! spike when `V` crosses `v_th` upwards.
//!
//! ```
//! use looptime::neurons::Hh;
//! use looptime::prelude::*;
//!
//! // The seed's example: one neuron, 1000 steps of a constant 5.0 input, monitoring V.
//! let mut run = LoopOverTime::new(Hh::<f64, 1>::new()).select(Hh::<f64, 1>::probe_v());
//! let inputs = vec![SMatrix::<f64, 1, 1>::from_element(5.0); 1000];
//! let history = run.run_inputs(&inputs).unwrap();
//! let (v,) = &history.monitors;
//! assert_eq!(v.len(), 1000);
//! assert!(history.outputs.iter().any(|spike| spike[0]), "a 5.0 input makes HH fire");
//! ```

use core::marker::PhantomData;

use loop_core::Real;
use nalgebra::SMatrix;

use super::method::{Euler, ExpEuler, NeuronMethod, Rk2, Rk4};
use super::v_init::uniform_around;
use crate::{Shared, dynamical_system};

mod rates;

pub use rates::{Rates, h_alpha, h_beta, h_inf, m_alpha, m_beta, m_inf, n_alpha, n_beta, n_inf};

/// Hodgkin–Huxley neurons: `N` neurons by a batch of `B` samples, in scalar `T` (f32 or f64),
/// integrated by method `M` (exponential Euler unless said otherwise).
///
/// ```text
/// dV/dt = (-g_na m³ h (V - e_na) - g_k n⁴ (V - e_k) - g_l (V - e_l) + I) / c
/// dx/dt = alpha_x(V) (1 - x) - beta_x(V) x          for x in m, h, n
/// spike = V_old < v_th and V_new >= v_th
/// ```
///
/// Every neuron starts at `V0 = v_init` (BrainPy's reference runs use -65), or, with
/// `v_init_spread > 0`, at `v_init + v_init_spread · (2u - 1)`, `u` uniform in `[0, 1)` drawn
/// from `seed` (BrainPy's default is uniform in `[-70, -60]`: `v_init_spread = 5`). The gates
/// start at their steady state at each neuron's `V0`. A reset draws the same values again.
///
/// The rates come from three exponentials ([`Rates::at`]) rather than six. Like every model, a
/// population is stepped by loop-core's element driver (`loop_core::elements`): vector
/// instructions, and two cores for a large population, with the same results.
#[dynamical_system(crate = crate, inputs(i))]
pub struct Hh<T: Real, const N: usize, const B: usize = 1, M: NeuronMethod = ExpEuler> {
    /// Sodium reversal potential (mV).
    #[param(default = 50.0)]
    pub e_na: T,
    /// Maximal sodium conductance (mS/cm²).
    #[param(default = 120.0, check = non_negative)]
    pub g_na: T,
    /// Potassium reversal potential (mV).
    #[param(default = -77.0)]
    pub e_k: T,
    /// Maximal potassium conductance (mS/cm²).
    #[param(default = 36.0, check = non_negative)]
    pub g_k: T,
    /// Leak reversal potential (mV).
    #[param(default = -54.387)]
    pub e_l: T,
    /// Leak conductance (mS/cm²; BrainPy's default 0.03, the 1952 paper's 0.3).
    #[param(default = 0.03, check = non_negative)]
    pub g_l: T,
    /// Membrane capacitance (µF/cm²).
    #[param(default = 1.0, check = positive)]
    pub c: T,
    /// Spike threshold (mV), crossed upwards.
    #[param(default = 20.0)]
    pub v_th: T,
    /// Initial membrane potential `V0` (mV), the centre of the draw when `v_init_spread > 0`.
    #[param(default = -65.0, check = finite)]
    pub v_init: T,
    /// Half-width of the uniform draw of `V0` around `v_init` (0: every neuron at `v_init`).
    #[param(default = 0.0, check = [non_negative, finite])]
    pub v_init_spread: T,
    /// Seed of the draw of `V0` (used only when `v_init_spread > 0`).
    #[param(default = 0)]
    pub seed: u64,
    /// Membrane potential (mV).
    #[state(init = uniform_around(v_init, v_init_spread, seed))]
    pub v: SMatrix<T, N, B>,
    /// Sodium activation gate, from its steady state at `V0`.
    #[state(init = v.map(m_inf))]
    pub m: SMatrix<T, N, B>,
    /// Sodium inactivation gate, from its steady state at `V0`.
    #[state(init = v.map(h_inf))]
    pub h: SMatrix<T, N, B>,
    /// Potassium activation gate, from its steady state at `V0`.
    #[state(init = v.map(n_inf))]
    pub n: SMatrix<T, N, B>,
    /// Whether each neuron fired at the last step.
    #[state]
    pub spike: SMatrix<bool, N, B>,
    method: PhantomData<M>,
}

/// The equations and the spike rule, once per integration method (the method is an attribute of
/// the impl, so each method marker gets its own impl).
macro_rules! hh_impl {
    ($($method:ident => $marker:ident),* $(,)?) => {$(
        #[dynamical_system(method = $method)]
        impl<T: Real, const N: usize, const B: usize> Hh<T, N, B, $marker> {
            #[ode(v)]
            fn dv(&self, v: T, m: T, h: T, n: T, i: T) -> T {
                // BrainPy's order of operations, so that float64 agrees to the last bits.
                let i_na = (self.g_na * m * m * m * h) * (v - self.e_na);
                let n2 = n * n;
                let i_k = (self.g_k * n2 * n2) * (v - self.e_k);
                let i_leak = self.g_l * (v - self.e_l);
                (-i_na - i_k - i_leak + i) / self.c
            }

            #[ode(m)]
            fn dm(&self, m: T, v: T) -> T {
                let r = Rates::at(v);
                r.m_alpha * (T::one() - m) - r.m_beta * m
            }

            #[ode(h)]
            fn dh(&self, h: T, v: T) -> T {
                let r = Rates::at(v);
                r.h_alpha * (T::one() - h) - r.h_beta * h
            }

            #[ode(n)]
            fn dn(&self, n: T, v: T) -> T {
                let r = Rates::at(v);
                r.n_alpha * (T::one() - n) - r.n_beta * n
            }

            /// After the equations' step, each neuron: a spike where `V` crossed `v_th` upwards.
            #[update]
            fn fire(&self, _sh: &Shared, old: &HhElement<T>, new: &mut HhElement<T>) -> bool {
                new.spike = old.v < self.v_th && new.v >= self.v_th;
                new.spike
            }
        }
    )*};
}

hh_impl!(exp_euler => ExpEuler, euler => Euler, rk2 => Rk2, rk4 => Rk4);
