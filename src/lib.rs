//! looptime: single-step dynamical systems — neuron populations, recurrent cells, whole
//! networks — turned into fast time loops whose every shape is checked by the compiler, in the
//! spirit of BrainPy's `LoopOverTime` and with BrainPy's numbers.
//!
//! # A model in three steps
//!
//! Annotate a struct, write its equations, loop it:
//!
//! ```
//! use looptime::nalgebra::SVector;
//! use looptime::prelude::*;
//!
//! /// `dv/dt = (v_rest - v + I) / tau` for `N` neurons, under an input current `i`.
//! #[dynamical_system(inputs(i))]
//! pub struct Leaky<const N: usize> {
//!     #[param(default = -65.0)]
//!     pub v_rest: f64,
//!     #[param(default = 10.0, check = positive)]
//!     pub tau: f64,
//!     #[state(init = v_rest)]
//!     pub v: SVector<f64, N>,
//! }
//!
//! #[dynamical_system(method = exp_euler)]
//! impl<const N: usize> Leaky<N> {
//!     /// One neuron's equation: `v` is its state, `i` its input.
//!     #[ode(v)]
//!     fn dv(&self, v: f64, i: f64) -> f64 {
//!         (self.v_rest - v + i) / self.tau
//!     }
//!
//!     /// One neuron after the equation's step; its output.
//!     #[update]
//!     fn out(&self, _sh: &Shared, new: &mut LeakyElement) -> f64 {
//!         new.v
//!     }
//! }
//!
//! // At run time, with BrainPy's options (`dt`, `t0`, monitors, …):
//! let leaky = Leaky::<3>::builder().tau(20.0).build().unwrap();
//! let mut run = LoopOverTime::new(leaky).monitor("v", |m| m.v);
//! let history = run.run_inputs(&[SVector::from_element(10.0); 100]).unwrap();
//! let (v,) = &history.monitors;
//! // Exponential Euler is exact here: v(t) = v_rest + I (1 - e^(-t/tau)).
//! let exact = -65.0 + 10.0 * (1.0 - (-10.0_f64 / 20.0).exp());
//! assert!((v[99][0] - exact).abs() < 1e-12);
//!
//! // Or with the step count in the types: Box<[SVector<f64, 3>; 1000]>, unrolled by 8.
//! let mut leaky = Leaky::<3>::new();
//! let (_, (v,)) = loop_over_time!(leaky, duration = 100.0, dt = 0.1, monitor = [v], unroll = 8);
//! assert_eq!(v.len(), 1000);
//! ```
//!
//! # What is where
//!
//! - [`LoopOverTime`] runs any [`DynamicalSystem`] over a duration or over inputs, time-first or
//!   batch-first, with monitors, shared args, `no_state`, `reset_state`, typed [`LoopError`]s,
//!   an opt-in divergence check, observers and `record_every`; it records a [`History`].
//! - [`dynamical_system`] generates models, [`loop_over_time!`] static loops, and
//!   `sequential!` compositions of layers whose shapes the compiler checks.
//! - The model zoo: [`neurons`] (HH, LIF, Izhikevich) and the layers (Dense, RNN, GRU, LSTM),
//!   written with the macros; [`inputs`] builds input sequences (constant, sections, ramps,
//!   Poisson spikes).
//! - [`network`] couples populations: connectivity, event-driven projections with delays, spike
//!   events; [`connect`] draws seeded connectivity (BrainPy's rules) or loads BrainPy's files.
//! - [`train`] computes gradients through the loop (BPTT, with remat), with losses, optimizers
//!   and parameter files; every layer and `sequential!` composition is differentiable.
//! - [`integrate`] holds the integrators (euler, rk2, rk4, exponential Euler); `export` writes
//!   histories as `.npy` and CSV or streams them; `plot` draws PNGs; `progress` shows a bar.
//!
//! Features: `std`, `plot` and `npy` by default; `progress` (indicatif) and `parallel` (rayon)
//! on demand. With `std`, a large population or RNN cell splits its step across two cores
//! itself ([`parallel`]; `LOOPTIME_THREADS=1` keeps it on one). With `default-features = false`
//! the runtime is `#![no_std]`.
#![cfg_attr(not(feature = "std"), no_std)]

// Generated code names `::looptime::…`; this makes those paths work inside the crate too.
extern crate alloc;
extern crate self as looptime;

pub use loop_core::*;
pub use loop_macros::{dynamical_system, loop_over_time, ode, sequential, update, update_all};
pub use nalgebra;
/// rand, for the initializers and `sequential!`'s layers (`RnnCell::new(&mut rng)`).
pub use rand;
/// ChaCha, the seeded generator looptime's draws use (the same numbers on every platform).
pub use rand_chacha;

pub use chunked::Chunked;

pub mod chunked;
pub mod connect;
#[cfg(feature = "std")]
pub mod export;
pub mod inputs;
pub mod layers;
pub mod networks;
pub mod neurons;
#[cfg(feature = "plot")]
pub mod plot;
#[cfg(feature = "progress")]
pub mod progress;
pub mod synapses;
pub mod train;

/// What a model or a run needs: `use looptime::prelude::*;`.
pub mod prelude {
    pub use loop_core::integrate::{Method, OdeState};
    pub use loop_core::{
        DynamicalSystem, History, Layout, LoopError, LoopOverTime, Needs, ParamError, Params, Real,
        Shared, StateVisitor, States, Trace, VisitState,
    };
    pub use loop_macros::{dynamical_system, loop_over_time, ode, update, update_all};
    pub use nalgebra::{SMatrix, SVector};

    pub use crate::neurons::{Hh, Izhikevich, Lif};
}

/// The README's examples, compiled and run by `cargo test` (its code blocks are doctests).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The guide's examples (`docs/GUIDE.md`), compiled and run by `cargo test`.
#[cfg(doctest)]
#[doc = include_str!("../docs/GUIDE.md")]
pub struct GuideDoctests;

/// Paths used by generated code; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::vec::Vec;
    pub use loop_core;
    pub use loop_macros::__dynamical_system_impl;
    pub use nalgebra;
}
