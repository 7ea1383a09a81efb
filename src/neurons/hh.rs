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
use loop_core::integrate::exp_euler_scalar;
use nalgebra::SMatrix;

use super::method::{Euler, ExpEuler, NeuronMethod, Rk2, Rk4};
use super::v_init::uniform_around;
use crate::{Shared, dynamical_system, parallel, simd};

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
/// The rates come from three exponentials ([`Rates::at`]) rather than six. From [`SPLIT_FROM`]
/// neurons × samples on, a step runs on two cores when the machine has them (half of the
/// neurons on a helper thread, see [`crate::parallel`]), with the same results.
#[dynamical_system(crate = crate)]
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

/// From this many neurons × samples on, a step is split in two halves, one per core (when the
/// machine has two, see `loop_core::parallel`); below, one core does it all, as a hand-off would
/// cost more than it saves.
pub const SPLIT_FROM: usize = 512;

impl<T: Real, const N: usize, const B: usize, M: NeuronMethod> Hh<T, N, B, M> {
    /// A one-neuron model with the same parameters (its states are zeros): what a split step
    /// reads its parameters from, while its halves hold the states. (Not the generated
    /// `__looptime_from_params`, which LIF uses: it also computes the initial states, six
    /// exponentials and a seeded draw, which measured a microsecond per step here.)
    fn params_only(&self) -> Hh<T, 1, 1, M> {
        Hh {
            e_na: self.e_na,
            g_na: self.g_na,
            e_k: self.e_k,
            g_k: self.g_k,
            e_l: self.e_l,
            g_l: self.g_l,
            c: self.c,
            v_th: self.v_th,
            v_init: self.v_init,
            v_init_spread: self.v_init_spread,
            seed: self.seed,
            v: SMatrix::zeros(),
            m: SMatrix::zeros(),
            h: SMatrix::zeros(),
            n: SMatrix::zeros(),
            spike: SMatrix::from_element(false),
            method: PhantomData,
        }
    }
}

/// How many neurons a step of a large population takes at a time in [`hh_passes!`]'s two passes.
const LANES: usize = 16;

/// The first `len / LANES * LANES` neurons of a step in slices, [`LANES`] at a time, and how
/// many were done (the caller does the rest fused).
///
/// `two_passes` (exponential Euler): first every neuron's derivatives and linear parts (the
/// generated `linearize_*`: the rates' three exponentials), then every neuron's update (the four
/// `exprel`). Each pass is a short chain of dependent operations per neuron, so the processor
/// overlaps neurons better than in one long chain: about 10% faster on one core, and the same
/// bits as `integrated`, which runs the same two steps for one neuron. `one_pass` (the explicit
/// methods, whose stages chain through the state): none.
macro_rules! hh_passes {
    (one_pass, $this:ident, $dt:ident, $v:ident, $m:ident, $h:ident, $n:ident, $spike:ident, $i:ident) => {
        0
    };
    (two_passes, $this:ident, $dt:ident, $v:ident, $m:ident, $h:ident, $n:ident, $spike:ident, $i:ident) => {{
        let len = $v.len();
        let mut start = 0;
        while start + LANES <= len {
            let range = start..start + LANES;
            let zero = [T::zero(); LANES];
            let (mut f_v, mut a_v, mut f_m, mut a_m) = (zero, zero, zero, zero);
            let (mut f_h, mut a_h, mut f_n, mut a_n) = (zero, zero, zero, zero);
            {
                let (v, m, h, n) = (
                    &$v[range.clone()],
                    &$m[range.clone()],
                    &$h[range.clone()],
                    &$n[range.clone()],
                );
                let i = &$i[range.clone()];
                for j in 0..LANES {
                    (f_v[j], a_v[j]) = $this.linearize_v(v[j], m[j], h[j], n[j], i[j]);
                    (f_m[j], a_m[j]) = $this.linearize_m(m[j], v[j]);
                    (f_h[j], a_h[j]) = $this.linearize_h(h[j], v[j]);
                    (f_n[j], a_n[j]) = $this.linearize_n(n[j], v[j]);
                }
            }
            let (v, m, h) = (
                &mut $v[range.clone()],
                &mut $m[range.clone()],
                &mut $h[range.clone()],
            );
            let (n, spike) = (&mut $n[range.clone()], &mut $spike[range]);
            for j in 0..LANES {
                let v_old = v[j];
                let v_new = exp_euler_scalar(v_old, $dt, f_v[j], a_v[j]);
                m[j] = exp_euler_scalar(m[j], $dt, f_m[j], a_m[j]);
                h[j] = exp_euler_scalar(h[j], $dt, f_h[j], a_h[j]);
                n[j] = exp_euler_scalar(n[j], $dt, f_n[j], a_n[j]);
                spike[j] = v_old < $this.v_th && v_new >= $this.v_th;
                v[j] = v_new;
            }
            start += LANES;
        }
        start
    }};
}

/// The equations and the step, once per integration method (the method is an attribute of the
/// impl, so each method marker gets its own impl).
macro_rules! hh_impl {
    ($($method:ident => $marker:ident, $passes:ident);* $(;)?) => {$(
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

            /// One step of `sh.dt` under input current `i`; returns which neurons fired.
            #[update]
            fn step(&mut self, sh: &Shared, i: &SMatrix<T, N, B>) -> SMatrix<bool, N, B> {
                let (v_th, dt) = (self.v_th, T::of(sh.dt));
                if N * B >= SPLIT_FROM && parallel::available() {
                    self.step_in_halves(dt, i);
                    return self.spike;
                }
                if N * B >= LANES {
                    let unit = self.params_only();
                    unit.step_elements(
                        dt,
                        self.v.as_mut_slice(),
                        self.m.as_mut_slice(),
                        self.h.as_mut_slice(),
                        self.n.as_mut_slice(),
                        self.spike.as_mut_slice(),
                        i.as_slice(),
                    );
                    return self.spike;
                }
                // A few neurons: one fused pass, each neuron's new values (`integrated`,
                // generated from the equations above), its spike (an upward crossing of v_th),
                // then the writes.
                for k in 0..N * B {
                    let v_old = self.v[k];
                    let (v, m, h, n) =
                        self.integrated(dt, v_old, self.m[k], self.h[k], self.n[k], i[k]);
                    self.spike[k] = v_old < v_th && v >= v_th;
                    self.v[k] = v;
                    self.m[k] = m;
                    self.h[k] = h;
                    self.n[k] = n;
                }
                self.spike
            }

            /// The step of a large population on two cores: the states are split in two halves,
            /// stepped in place on this core and the helper's (see `loop_core::parallel`), by
            /// [`Hh::params_only`]'s copy of the parameters, with `step_elements` on each half:
            /// the same bits as on one core.
            #[inline(always)]
            fn step_in_halves(&mut self, dt: T, i: &SMatrix<T, N, B>) {
                let unit = self.params_only();
                // A multiple of LANES, so that the first half is whole blocks of two passes and
                // the second starts on a vector boundary.
                let mid = N * B / 2 / LANES * LANES;
                let (v0, v1) = self.v.as_mut_slice().split_at_mut(mid);
                let (m0, m1) = self.m.as_mut_slice().split_at_mut(mid);
                let (h0, h1) = self.h.as_mut_slice().split_at_mut(mid);
                let (n0, n1) = self.n.as_mut_slice().split_at_mut(mid);
                let (s0, s1) = self.spike.as_mut_slice().split_at_mut(mid);
                let (i0, i1) = i.as_slice().split_at(mid);
                // Each side enters `vectorized` itself: the helper's side is called through a
                // function pointer, outside the caller's vector instructions.
                parallel::join_halves(
                    (v0, m0, h0, n0, s0, i0),
                    (v1, m1, h1, n1, s1, i1),
                    |(v, m, h, n, s, i)| {
                        simd::vectorized(
                            &mut (v, m, h, n, s),
                            i,
                            #[inline(always)]
                            |(v, m, h, n, s), i| unit.step_elements(dt, v, m, h, n, s, i),
                        )
                    },
                );
            }

            /// The step of `v.len()` neurons held in slices (`self` gives the parameters only):
            /// [`LANES`] neurons at a time in two passes where the method allows it (see
            /// `hh_passes!`), the rest fused.
            #[inline(always)]
            #[allow(clippy::too_many_arguments)]
            fn step_elements(
                &self,
                dt: T,
                v: &mut [T],
                m: &mut [T],
                h: &mut [T],
                n: &mut [T],
                spike: &mut [bool],
                i: &[T],
            ) {
                let len = v.len();
                let (m, h, n, spike, i) =
                    (&mut m[..len], &mut h[..len], &mut n[..len], &mut spike[..len], &i[..len]);
                let done = hh_passes!($passes, self, dt, v, m, h, n, spike, i);
                for k in done..len {
                    let v_old = v[k];
                    let next = self.integrated(dt, v_old, m[k], h[k], n[k], i[k]);
                    spike[k] = v_old < self.v_th && next.0 >= self.v_th;
                    (v[k], m[k], h[k], n[k]) = next;
                }
            }
        }
    )*};
}

hh_impl!(
    exp_euler => ExpEuler, two_passes;
    euler => Euler, one_pass;
    rk2 => Rk2, one_pass;
    rk4 => Rk4, one_pass;
);
