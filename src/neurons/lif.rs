//! The leaky integrate-and-fire neuron ([`Lif`]), step for step as BrainPy's
//! `brainpy.neurons.LIF`: a leaky membrane, a reset after each spike, and a refractory period
//! tested against the loop's time `t`.
//!
//! ```
//! use looptime::neurons::Lif;
//! use looptime::prelude::*;
//!
//! let lif = Lif::<f64, 1>::builder().tau_ref(2.0).build().unwrap();
//! let mut run = LoopOverTime::new(lif).select(Lif::<f64, 1>::probe_v());
//! let inputs = vec![SMatrix::<f64, 1, 1>::from_element(25.0); 1000];
//! let history = run.run_inputs(&inputs).unwrap();
//! let spikes = history.outputs.iter().filter(|s| s[0]).count();
//! assert!(spikes > 0);
//! ```

use core::marker::PhantomData;

use loop_core::Real;
use nalgebra::SMatrix;

use super::method::{Euler, ExpEuler, NeuronMethod, Rk2, Rk4};
use crate::{Shared, dynamical_system};

/// Leaky integrate-and-fire neurons: `N` neurons by a batch of `B` samples, in scalar `T`
/// (f32 or f64), integrated by method `M` (exponential Euler unless said otherwise).
///
/// ```text
/// dV/dt = (-V + v_rest + r I) / tau
/// refractory = (t - t_last_spike) <= tau_ref      (t of this step, exact float comparison)
/// if refractory: V_new = V_old
/// spike = V_new >= v_th;  where spike: V_new = v_reset, t_last_spike = t
/// ```
///
/// Times are in `T`, as in BrainPy, whose `t_last_spike` and `t` are float32 when it runs in
/// float32: the loop's `t` (an `f64`) is rounded to `T` for the refractory test and the reset,
/// so in f64 the test is exact and in f32 it is BrainPy's float32 comparison. (Kept in f64, the
/// times made an f32 population's loop mix f32 and f64 values, which the vectorizer steps at the
/// f64 width: 4 lanes instead of 8 at AVX2, and 1.6x the time of an f32 LIF population.) The
/// update reads `t`, so a loop without time (`t0(None)`) refuses to run it.
#[dynamical_system(crate = crate, inputs(i))]
#[derive(Clone, PartialEq)]
pub struct Lif<T: Real, const N: usize, const B: usize = 1, M: NeuronMethod = ExpEuler> {
    /// Resting potential (mV).
    #[param(default = 0.0)]
    pub v_rest: T,
    /// Potential after a spike (mV).
    #[param(default = -5.0)]
    pub v_reset: T,
    /// Spike threshold (mV).
    #[param(default = 20.0)]
    pub v_th: T,
    /// Membrane resistance.
    #[param(default = 1.0)]
    pub r: T,
    /// Membrane time constant (ms).
    #[param(default = 10.0, check = positive)]
    pub tau: T,
    /// Refractory period (ms): `V` is held while `t - t_last_spike <= tau_ref`.
    #[param(default = 0.0, check = [non_negative, finite])]
    pub tau_ref: T,
    /// Initial membrane potential `V0` (mV).
    #[param(default = 0.0, check = finite)]
    pub v_init: T,
    /// Membrane potential (mV).
    #[state(init = v_init)]
    pub v: SMatrix<T, N, B>,
    /// Whether each neuron fired at the last step.
    #[state]
    pub spike: SMatrix<bool, N, B>,
    /// Time of each neuron's last spike (ms); -1e7 before the first.
    #[state(init = -1e7)]
    pub t_last_spike: SMatrix<T, N, B>,
    method: PhantomData<M>,
}

/// The equation and the rules, once per integration method.
macro_rules! lif_impl {
    ($($method:ident => $marker:ident),* $(,)?) => {$(
        #[dynamical_system(method = $method)]
        impl<T: Real, const N: usize, const B: usize> Lif<T, N, B, $marker> {
            #[ode(v)]
            fn dv(&self, v: T, i: T) -> T {
                (-v + self.v_rest + self.r * i) / self.tau
            }

            /// After the equations' step, each neuron: `V` held while refractory, then a spike
            /// and a reset where `V` reached `v_th`.
            #[update]
            fn fire(&self, sh: &Shared, old: &LifElement<T>, new: &mut LifElement<T>) -> bool {
                let t = T::of(sh.time());
                if t - old.t_last_spike <= self.tau_ref {
                    new.v = old.v;
                }
                new.spike = new.v >= self.v_th;
                if new.spike {
                    new.v = self.v_reset;
                    new.t_last_spike = t;
                }
                new.spike
            }
        }
    )*};
}

lif_impl!(exp_euler => ExpEuler, euler => Euler, rk2 => Rk2, rk4 => Rk4);
