//! [`SurrogateLif`]: the leaky integrate-and-fire neuron in BrainPy's training mode
//! (`brainpy.dyn.Lif` under `bm.TrainingMode`): the spike is a float `H(V − v_th)` whose
//! backward pass uses a [`Surrogate`] derivative, and the reset is soft,
//! `V ← V − (v_th − v_reset) · spike`, so gradients flow through it. No refractory period.
//! The inference neuron [`Lif`](crate::neurons::Lif) is unchanged.
//!
//! ```text
//! V' = V + dt · exprel(−dt/tau) · (−V + v_rest + r I) / tau      (exponential Euler, exact)
//! spike = H(V' − v_th)          V_new = V' − (v_th − v_reset) · spike
//! ```

use nalgebra::SMatrix;

use super::Surrogate;
use crate::math::exprel;
use crate::train::{Forward, LocalBackward, Trainable};
use crate::{Real, Shared, dynamical_system};

/// LIF neurons with surrogate-gradient spikes: `N` neurons by `B` samples. Input: current `I`;
/// output: spikes as `0.0`/`1.0`. Parameters are BrainPy's LIF defaults; none is trained.
#[dynamical_system(crate = crate, inputs(i))]
#[derive(Clone)]
pub struct SurrogateLif<T: Real, const N: usize, const B: usize = 1> {
    /// Resting potential (mV).
    #[param(default = 0.0)]
    pub v_rest: T,
    /// Potential a spike resets towards (mV): a spike subtracts `v_th − v_reset`.
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
    /// Initial membrane potential (mV).
    #[param(default = 0.0, check = finite)]
    pub v_init: T,
    /// The spike's derivative in the backward pass.
    #[param(default = Surrogate::InvSquare(100.0))]
    pub surrogate: Surrogate,
    /// Membrane potential (mV).
    #[state(init = v_init)]
    pub v: SMatrix<T, N, B>,
    /// Spikes of the last step, `0.0` or `1.0`.
    #[state(init = 0.0)]
    pub spike: SMatrix<T, N, B>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize, const B: usize> SurrogateLif<T, N, B> {
    #[ode(v)]
    fn dv(&self, v: T, i: T) -> T {
        (-v + self.v_rest + self.r * i) / self.tau
    }

    /// One step of `sh.dt` under input current `i`; returns the spikes.
    #[update]
    fn step(&mut self, sh: &Shared, i: SMatrix<T, N, B>) -> SMatrix<T, N, B> {
        self.integrate(sh.dt, &i);
        let (v_th, jump, surrogate) = (self.v_th, self.v_th - self.v_reset, self.surrogate);
        for (v, spike) in self.v.iter_mut().zip(self.spike.iter_mut()) {
            *spike = surrogate.spike(*v - v_th);
            *v -= jump * *spike;
        }
        self.spike
    }
}

impl<T: Real, const N: usize, const B: usize> SurrogateLif<T, N, B> {
    /// `(∂V'/∂V, ∂V'/∂I)` of one exponential-Euler step of `dt`: `1 − dt·e/tau` and
    /// `dt·e·r/tau` with `e = exprel(−dt/tau)`.
    fn sensitivities(&self, dt: f64) -> (T, T) {
        let dt = T::of(dt);
        let rate = dt * exprel(-dt / self.tau) / self.tau;
        (T::one() - rate, rate * self.r)
    }
}

/// Nothing to train (no `#[param(train)]` field): the spikes pass gradients on.
impl<T: Real, const N: usize, const B: usize> Trainable for SurrogateLif<T, N, B> {
    type Scalar = T;
}

/// The backward half; the forward half is the neuron's own step, recording its states.
impl<T: Real, const N: usize, const B: usize> LocalBackward for SurrogateLif<T, N, B> {
    type In = SMatrix<T, N, B>;
    type Out = SMatrix<T, N, B>;
    /// `∂L/∂V`.
    type StateGrad = SMatrix<T, N, B>;

    /// `dV' = dV_new + (dspike − (v_th − v_reset) dV_new) · surrogate'(V' − v_th)`, then
    /// `dV = dV' ∂V'/∂V` and `dI = dV' ∂V'/∂I` (the reset is not detached, as BrainPy's default).
    #[inline(always)]
    fn backward_step<A>(
        &self,
        sh: &Shared<A>,
        step: Forward<'_, SMatrix<T, N, B>, SMatrix<T, N, B>, Self::Snapshot>,
        dy: &SMatrix<T, N, B>,
        dstate: &mut SMatrix<T, N, B>,
        _grads: &mut [T],
        dx: Option<&mut SMatrix<T, N, B>>,
    ) {
        let (dv_dv, dv_di) = self.sensitivities(sh.dt);
        let jump = self.v_th - self.v_reset;
        let (v_rest, r, tau) = (self.v_rest, self.r, self.tau);
        let dt = T::of(sh.dt);
        let rate = dt * exprel(-dt / tau) / tau;
        let mut dx = dx;
        for k in 0..N * B {
            let (v, i) = (step.record.v[k], step.x[k]);
            let v_int = v + rate * (-v + v_rest + r * i);
            let dv_new = dstate[k];
            let dv_int = dv_new + (dy[k] - jump * dv_new) * self.surrogate.grad(v_int - self.v_th);
            dstate[k] = dv_int * dv_dv;
            if let Some(dx) = dx.as_deref_mut() {
                dx[k] = dv_int * dv_di;
            }
        }
    }
}
