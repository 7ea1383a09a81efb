//! COBA in plain Rust, written from docs/MODELS.md's "COBA network" rules alone (no
//! `#[dynamical_system]`, no model of the zoo), on the network machinery under test: `Synapses`
//! with a homogeneous weight and `AlignPost` delivery. Each step: the projections E2I, I2I, I2E,
//! E2E deliver the spikes of the previous step into `g_E`/`g_I`; then E and I update: the
//! conductances decay by exponential Euler, the COBA current uses V before the update, V is
//! integrated by exponential Euler, and the refractory, spike and reset rules of `LifRef` apply.

use looptime::integrate::exp_euler_scalar;
use looptime::network::{AlignPost, Csr, Synapses};
use looptime::{DynamicalSystem, Needs, Shared};

/// LifRef's parameters in COBA.
pub const V_REST: f64 = -60.0;
pub const V_RESET: f64 = -60.0;
pub const V_TH: f64 = -50.0;
pub const TAU: f64 = 20.0;
pub const TAU_REF: f64 = 5.0;
pub const R: f64 = 1.0;
/// Excitatory conductance: time constant (ms) and reversal potential (mV).
pub const TAU_E: f64 = 5.0;
pub const E_E: f64 = 0.0;
/// Inhibitory conductance.
pub const TAU_I: f64 = 10.0;
pub const E_I: f64 = -80.0;
/// Weights from E and from I.
pub const W_E: f64 = 0.6;
pub const W_I: f64 = 6.7;

/// `dg/dt = -g / tau` by exponential Euler: the derivative and its slope `-1/tau`, as BrainPy's
/// `exp_auto` forms them.
fn decay(g: f64, dt: f64, tau: f64) -> f64 {
    exp_euler_scalar(g, dt, -g / tau, -1.0 / tau)
}

/// A LifRef population with its two conductances.
pub struct Population {
    pub v0: Vec<f64>,
    pub v: Vec<f64>,
    pub spike: Vec<bool>,
    pub t_last_spike: Vec<f64>,
    pub g_e: Vec<f64>,
    pub g_i: Vec<f64>,
}

impl Population {
    /// Neurons at potentials `v0`, no spike yet, closed channels.
    pub fn new(v0: &[f64]) -> Self {
        let n = v0.len();
        Population {
            v0: v0.to_vec(),
            v: v0.to_vec(),
            spike: vec![false; n],
            t_last_spike: vec![-1e7; n],
            g_e: vec![0.0; n],
            g_i: vec![0.0; n],
        }
    }

    /// Back to V0, no spike, closed channels.
    pub fn reset(&mut self) {
        *self = Population::new(&self.v0);
    }

    /// One step at time `t` under constant input `input`.
    pub fn update(&mut self, t: f64, dt: f64, input: f64) {
        for k in 0..self.v.len() {
            self.g_e[k] = decay(self.g_e[k], dt, TAU_E);
            self.g_i[k] = decay(self.g_i[k], dt, TAU_I);
            let v = self.v[k];
            // The current from V before the update, summed in BrainPy's order.
            let current = input + self.g_e[k] * (E_E - v) + self.g_i[k] * (E_I - v);
            let dv = (-v + V_REST + R * current) / TAU;
            let integrated = exp_euler_scalar(v, dt, dv, -1.0 / TAU);
            let refractory = (t - self.t_last_spike[k]) <= TAU_REF;
            let v_new = if refractory { v } else { integrated };
            let fired = v_new >= V_TH;
            self.spike[k] = fired;
            self.v[k] = if fired { V_RESET } else { v_new };
            if fired {
                self.t_last_spike[k] = t;
            }
        }
    }
}

/// An align-post projection with a homogeneous weight and no delay.
pub type Projection = AlignPost<Synapses<f64>, f64>;

/// The network.
pub struct Coba {
    pub e: Population,
    pub i: Population,
    pub e2e: Projection,
    pub e2i: Projection,
    pub i2e: Projection,
    pub i2i: Projection,
    pub input: f64,
    pub dt: f64,
    /// Steps taken.
    pub k: usize,
}

impl Coba {
    /// From initial potentials and the four connectivities.
    pub fn new(e_v0: &[f64], i_v0: &[f64], [e2e, e2i, i2e, i2i]: [Csr; 4], input: f64) -> Self {
        let proj = |csr, w| AlignPost::new(Synapses::homogeneous(csr, w), 0);
        Coba {
            e: Population::new(e_v0),
            i: Population::new(i_v0),
            e2e: proj(e2e, W_E),
            e2i: proj(e2i, W_E),
            i2e: proj(i2e, W_I),
            i2i: proj(i2i, W_I),
            input,
            dt: 0.1,
            k: 0,
        }
    }

    /// One step at `t = k dt`.
    pub fn step(&mut self) {
        self.step_at(self.k as f64 * self.dt);
    }

    /// One step at time `t`.
    pub fn step_at(&mut self, t: f64) {
        self.e2i.deliver(&self.e.spike, &mut self.i.g_e);
        self.i2i.deliver(&self.i.spike, &mut self.i.g_i);
        self.i2e.deliver(&self.i.spike, &mut self.e.g_i);
        self.e2e.deliver(&self.e.spike, &mut self.e.g_e);
        self.e.update(t, self.dt, self.input);
        self.i.update(t, self.dt, self.input);
        self.k += 1;
    }
}

/// The network as a system of the loop: no input, no output, reads `t`; monitors and observers
/// reach its populations' fields.
impl DynamicalSystem for Coba {
    type Input = ();
    type Output = ();

    fn update(&mut self, sh: &Shared, _: ()) {
        self.dt = sh.dt;
        self.step_at(sh.time());
    }

    fn reset_state(&mut self) {
        self.e.reset();
        self.i.reset();
        for proj in [&mut self.e2e, &mut self.e2i, &mut self.i2e, &mut self.i2i] {
            proj.reset();
        }
        self.k = 0;
    }

    fn needs(&self) -> Needs {
        Needs::T
    }
}
