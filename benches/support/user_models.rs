//! Models written as a user writes them, following the README's "Define your own model": the
//! struct with `#[param]` and `#[state]`, the equations as `#[ode]`, and the per-element rules as
//! an `#[update]` over one element. Shared by `benches/user_models.rs` (their speed against the
//! zoo's, and against plain Rust loops) and `tests/user_models.rs` (their numbers).
//!
//! - [`UserHh`]: HH with the zoo's rate formulas (the public `Rates::at`).
//! - [`TextbookHh`]: HH with the textbook's six rates, each a plain `.exp()`.
//! - [`UserLif`]: LIF with a refractory period.
//! - [`Fhn`] and [`AdEx`], with [`PlainFhn`] and [`PlainAdEx`]: the same equations as a plain
//!   scalar Rust loop over `Vec`s (forward Euler, the platform's `exp`), what one writes without
//!   looptime.

#![allow(dead_code)]

use looptime::nalgebra::SVector;
use looptime::neurons::hh::{Rates, h_inf, m_inf, n_inf};
use looptime::prelude::*;

/// Hodgkin–Huxley with the zoo's rates, written by a user.
#[dynamical_system(inputs(i))]
pub struct UserHh<T: Real, const N: usize> {
    #[param(default = 50.0)]
    pub e_na: T,
    #[param(default = 120.0)]
    pub g_na: T,
    #[param(default = -77.0)]
    pub e_k: T,
    #[param(default = 36.0)]
    pub g_k: T,
    #[param(default = -54.387)]
    pub e_l: T,
    #[param(default = 0.03)]
    pub g_l: T,
    #[param(default = 1.0, check = positive)]
    pub c: T,
    #[param(default = 20.0)]
    pub v_th: T,
    #[state(init = -65.0)]
    pub v: SVector<T, N>,
    #[state(init = v.map(m_inf))]
    pub m: SVector<T, N>,
    #[state(init = v.map(h_inf))]
    pub h: SVector<T, N>,
    #[state(init = v.map(n_inf))]
    pub n: SVector<T, N>,
    #[state]
    pub spike: SVector<bool, N>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize> UserHh<T, N> {
    #[ode(v)]
    fn dv(&self, v: T, m: T, h: T, n: T, i: T) -> T {
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

    #[update]
    fn fire(&self, _sh: &Shared, old: &UserHhElement<T>, new: &mut UserHhElement<T>) -> bool {
        new.spike = old.v < self.v_th && new.v >= self.v_th;
        new.spike
    }
}

/// Hodgkin–Huxley with the textbook's rates, six plain `.exp()` calls.
#[dynamical_system(inputs(i))]
pub struct TextbookHh<T: Real, const N: usize> {
    #[param(default = 50.0)]
    pub e_na: T,
    #[param(default = 120.0)]
    pub g_na: T,
    #[param(default = -77.0)]
    pub e_k: T,
    #[param(default = 36.0)]
    pub g_k: T,
    #[param(default = -54.387)]
    pub e_l: T,
    #[param(default = 0.03)]
    pub g_l: T,
    #[param(default = 1.0, check = positive)]
    pub c: T,
    #[param(default = 20.0)]
    pub v_th: T,
    #[state(init = -65.0)]
    pub v: SVector<T, N>,
    #[state(init = v.map(m_inf))]
    pub m: SVector<T, N>,
    #[state(init = v.map(h_inf))]
    pub h: SVector<T, N>,
    #[state(init = v.map(n_inf))]
    pub n: SVector<T, N>,
    #[state]
    pub spike: SVector<bool, N>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize> TextbookHh<T, N> {
    #[ode(v)]
    fn dv(&self, v: T, m: T, h: T, n: T, i: T) -> T {
        let i_na = (self.g_na * m * m * m * h) * (v - self.e_na);
        let n2 = n * n;
        let i_k = (self.g_k * n2 * n2) * (v - self.e_k);
        let i_leak = self.g_l * (v - self.e_l);
        (-i_na - i_k - i_leak + i) / self.c
    }

    #[ode(m)]
    fn dm(&self, m: T, v: T) -> T {
        let x = -(v + T::of(40.0)) / T::of(10.0);
        let alpha = T::of(0.1) * (v + T::of(40.0)) / (T::one() - x.exp());
        let beta = T::of(4.0) * (-(v + T::of(65.0)) / T::of(18.0)).exp();
        alpha * (T::one() - m) - beta * m
    }

    #[ode(h)]
    fn dh(&self, h: T, v: T) -> T {
        let alpha = T::of(0.07) * (-(v + T::of(65.0)) / T::of(20.0)).exp();
        let beta = T::one() / (T::one() + (-(v + T::of(35.0)) / T::of(10.0)).exp());
        alpha * (T::one() - h) - beta * h
    }

    #[ode(n)]
    fn dn(&self, n: T, v: T) -> T {
        let x = -(v + T::of(55.0)) / T::of(10.0);
        let alpha = T::of(0.01) * (v + T::of(55.0)) / (T::one() - x.exp());
        let beta = T::of(0.125) * (-(v + T::of(65.0)) / T::of(80.0)).exp();
        alpha * (T::one() - n) - beta * n
    }

    #[update]
    fn fire(
        &self,
        _sh: &Shared,
        old: &TextbookHhElement<T>,
        new: &mut TextbookHhElement<T>,
    ) -> bool {
        new.spike = old.v < self.v_th && new.v >= self.v_th;
        new.spike
    }
}

/// Leaky integrate-and-fire with a refractory period, written by a user.
#[dynamical_system(inputs(i))]
pub struct UserLif<T: Real, const N: usize> {
    #[param(default = 0.0)]
    pub v_rest: T,
    #[param(default = -5.0)]
    pub v_reset: T,
    #[param(default = 20.0)]
    pub v_th: T,
    #[param(default = 10.0, check = positive)]
    pub tau: T,
    #[param(default = 0.0, check = non_negative)]
    pub tau_ref: T,
    #[state(init = 0.0)]
    pub v: SVector<T, N>,
    #[state]
    pub spike: SVector<bool, N>,
    #[state(init = -1e7)]
    pub t_last_spike: SVector<T, N>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize> UserLif<T, N> {
    #[ode(v)]
    fn dv(&self, v: T, i: T) -> T {
        (-v + self.v_rest + i) / self.tau
    }

    #[update]
    fn fire(&self, sh: &Shared, old: &UserLifElement<T>, new: &mut UserLifElement<T>) -> bool {
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

/// FitzHugh–Nagumo: dv/dt = v − v³/3 − w + I, dw/dt = (v + a − b w) / tau.
#[dynamical_system(inputs(i))]
pub struct Fhn<T: Real, const N: usize> {
    #[param(default = 0.7)]
    pub a: T,
    #[param(default = 0.8)]
    pub b: T,
    #[param(default = 12.5, check = positive)]
    pub tau: T,
    #[state(init = -1.0)]
    pub v: SVector<T, N>,
    #[state(init = 1.0)]
    pub w: SVector<T, N>,
}

#[dynamical_system(method = euler)]
impl<T: Real, const N: usize> Fhn<T, N> {
    #[ode(v)]
    fn dv(&self, v: T, w: T, i: T) -> T {
        v - v * v * v / T::of(3.0) - w + i
    }

    #[ode(w)]
    fn dw(&self, w: T, v: T) -> T {
        (v + self.a - self.b * w) / self.tau
    }

    #[update]
    fn out(&self, _sh: &Shared, new: &mut FhnElement<T>) -> T {
        new.v
    }
}

/// AdEx (Brette & Gerstner 2005): C dV/dt = −g_L (V − E_L) + g_L Δ_T e^{(V − V_T)/Δ_T} − w + I,
/// τ_w dw/dt = a (V − E_L) − w; at V ≥ V_peak, V = V_r and w += b.
#[dynamical_system(inputs(i))]
pub struct AdEx<T: Real, const N: usize> {
    #[param(default = 281.0, check = positive)]
    pub c: T,
    #[param(default = 30.0)]
    pub g_l: T,
    #[param(default = -70.6)]
    pub e_l: T,
    #[param(default = -50.4)]
    pub v_t: T,
    #[param(default = 2.0, check = positive)]
    pub delta_t: T,
    #[param(default = 144.0, check = positive)]
    pub tau_w: T,
    #[param(default = 4.0)]
    pub a: T,
    #[param(default = 80.5)]
    pub b: T,
    #[param(default = -70.6)]
    pub v_r: T,
    #[param(default = 0.0)]
    pub v_peak: T,
    #[state(init = -70.6)]
    pub v: SVector<T, N>,
    #[state(init = 0.0)]
    pub w: SVector<T, N>,
    #[state]
    pub spike: SVector<bool, N>,
}

#[dynamical_system(method = euler)]
impl<T: Real, const N: usize> AdEx<T, N> {
    #[ode(v)]
    fn dv(&self, v: T, w: T, i: T) -> T {
        let spike_current = self.g_l * self.delta_t * ((v - self.v_t) / self.delta_t).exp();
        (-self.g_l * (v - self.e_l) + spike_current - w + i) / self.c
    }

    #[ode(w)]
    fn dw(&self, w: T, v: T) -> T {
        (self.a * (v - self.e_l) - w) / self.tau_w
    }

    #[update]
    fn fire(&self, _sh: &Shared, new: &mut AdExElement<T>) -> bool {
        new.spike = new.v >= self.v_peak;
        if new.spike {
            new.v = self.v_r;
            new.w += self.b;
        }
        new.spike
    }
}

/// FitzHugh–Nagumo as a plain Rust loop (what one writes without looptime).
pub struct PlainFhn {
    pub v: Vec<f64>,
    pub w: Vec<f64>,
    pub a: f64,
    pub b: f64,
    pub tau: f64,
}

impl PlainFhn {
    pub fn new(n: usize) -> Self {
        PlainFhn {
            v: vec![-1.0; n],
            w: vec![1.0; n],
            a: 0.7,
            b: 0.8,
            tau: 12.5,
        }
    }

    pub fn step(&mut self, dt: f64, i: &[f64], out: &mut [f64]) {
        for k in 0..self.v.len() {
            let (v, w) = (self.v[k], self.w[k]);
            let dv = v - v * v * v / 3.0 - w + i[k];
            let dw = (v + self.a - self.b * w) / self.tau;
            self.v[k] = v + dt * dv;
            self.w[k] = w + dt * dw;
            out[k] = self.v[k];
        }
    }
}

/// AdEx as a plain Rust loop, with the platform's `exp`.
pub struct PlainAdEx {
    pub v: Vec<f64>,
    pub w: Vec<f64>,
}

impl PlainAdEx {
    pub fn new(n: usize) -> Self {
        PlainAdEx {
            v: vec![-70.6; n],
            w: vec![0.0; n],
        }
    }

    pub fn step(&mut self, dt: f64, i: &[f64], spike: &mut [bool]) {
        let (c, g_l, e_l, v_t, delta_t) = (281.0, 30.0, -70.6, -50.4, 2.0);
        let (tau_w, a, b, v_r, v_peak) = (144.0, 4.0, 80.5, -70.6, 0.0);
        for k in 0..self.v.len() {
            let (v, w) = (self.v[k], self.w[k]);
            let spike_current = g_l * delta_t * ((v - v_t) / delta_t).exp();
            let dv = (-g_l * (v - e_l) + spike_current - w + i[k]) / c;
            let dw = (a * (v - e_l) - w) / tau_w;
            let (mut v_new, mut w_new) = (v + dt * dv, w + dt * dw);
            spike[k] = v_new >= v_peak;
            if spike[k] {
                v_new = v_r;
                w_new += b;
            }
            self.v[k] = v_new;
            self.w[k] = w_new;
        }
    }
}
