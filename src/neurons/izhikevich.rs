//! The Izhikevich neuron ([`Izhikevich`]), step for step as BrainPy's
//! `brainpy.neurons.Izhikevich`: a quadratic membrane with a recovery variable `u`, reset to `c`
//! with `u += d` after each spike.
//!
//! ```
//! use looptime::neurons::Izhikevich;
//! use looptime::prelude::*;
//!
//! let izh = Izhikevich::<f64, 1>::new();
//! assert_eq!(izh.u[0], 0.2 * -70.0, "u starts at b·V0");
//! let mut run = LoopOverTime::new(izh);
//! let inputs = vec![SMatrix::<f64, 1, 1>::from_element(10.0); 1000];
//! let history = run.run_inputs(&inputs).unwrap();
//! assert!(history.outputs.iter().any(|spike| spike[0]));
//! ```

use core::marker::PhantomData;

use loop_core::Real;
use nalgebra::SMatrix;

use super::method::{Euler, ExpEuler, NeuronMethod, Rk2, Rk4};
use crate::{Shared, dynamical_system};

/// Izhikevich neurons: `N` neurons by a batch of `B` samples, in scalar `T` (f32 or f64),
/// integrated by method `M` (exponential Euler, jointly over `V` and `u`, unless said otherwise).
///
/// ```text
/// dV/dt = 0.04 V² + 5 V + 140 - u + I          du/dt = a (b V - u)
/// spike = V_new >= v_th;  where spike: V_new = c, u_new = u_new + d
/// ```
///
/// `V` starts at `v_init` (-70) and `u` at `b · V0`.
#[dynamical_system(crate = crate, inputs(i))]
pub struct Izhikevich<T: Real, const N: usize, const B: usize = 1, M: NeuronMethod = ExpEuler> {
    /// Time scale of the recovery variable.
    #[param(default = 0.02)]
    pub a: T,
    /// Sensitivity of the recovery variable to `V`.
    #[param(default = 0.2)]
    pub b: T,
    /// Potential after a spike (mV).
    #[param(default = -65.0)]
    pub c: T,
    /// Jump of the recovery variable after a spike.
    #[param(default = 8.0)]
    pub d: T,
    /// Spike threshold (mV).
    #[param(default = 30.0)]
    pub v_th: T,
    /// Initial membrane potential `V0` (mV).
    #[param(default = -70.0, check = finite)]
    pub v_init: T,
    /// Membrane potential (mV).
    #[state(init = v_init)]
    pub v: SMatrix<T, N, B>,
    /// Recovery variable, from `b · V0`.
    #[state(init = v.map(|v| b * v))]
    pub u: SMatrix<T, N, B>,
    /// Whether each neuron fired at the last step.
    #[state]
    pub spike: SMatrix<bool, N, B>,
    method: PhantomData<M>,
}

/// The equations and the step, once per integration method.
macro_rules! izhikevich_impl {
    ($($method:ident => $marker:ident),* $(,)?) => {$(
        #[dynamical_system(method = $method)]
        impl<T: Real, const N: usize, const B: usize> Izhikevich<T, N, B, $marker> {
            #[ode(v)]
            fn dv(&self, v: T, u: T, i: T) -> T {
                T::of(0.04) * v * v + T::of(5.0) * v + T::of(140.0) - u + i
            }

            #[ode(u)]
            fn du(&self, u: T, v: T) -> T {
                self.a * (self.b * v - u)
            }

            /// After the equations' step, each neuron: a spike where `V` reached `v_th`, then
            /// `V` reset to `c` and `u` raised by `d`.
            #[update]
            fn fire(&self, _sh: &Shared, new: &mut IzhikevichElement<T>) -> bool {
                new.spike = new.v >= self.v_th;
                if new.spike {
                    new.v = self.c;
                    new.u += self.d;
                }
                new.spike
            }
        }
    )*};
}

izhikevich_impl!(exp_euler => ExpEuler, euler => Euler, rk2 => Rk2, rk4 => Rk4);
