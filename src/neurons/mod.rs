//! Built-in neuron models, written with `#[dynamical_system]` exactly as a user would write their
//! own: [`Hh`] (Hodgkin–Huxley), [`HhTraub`] (Hodgkin–Huxley with Traub & Miles's kinetics,
//! COBAHH's neuron), [`Lif`] (leaky integrate-and-fire with a refractory period) and
//! [`Izhikevich`]. They reproduce BrainPy's `brainpy.neurons.*` step for step (docs/MODELS.md).
//!
//! Every model is generic over its scalar `T` (`f32` or `f64`), its number of neurons `N` and
//! its batch `B` (default 1): states are `SMatrix<T, N, B>`, one column per sample, and the input
//! is a current per neuron, `SMatrix<T, N, B>`. A step returns the spikes, `SMatrix<bool, N, B>`.
//!
//! # Choosing the integration method
//!
//! The method is the model's last type parameter, a marker from [`method`]: exponential Euler
//! ([`ExpEuler`], BrainPy's `exp_auto`) by default, or [`Euler`], [`Rk2`] or [`Rk4`]:
//!
//! ```
//! use looptime::neurons::{Hh, Rk4};
//!
//! let exp_euler = Hh::<f64, 10>::new(); // B = 1, M = ExpEuler
//! let rk4 = Hh::<f64, 10, 1, Rk4>::new(); // the same model, stepped by RK4
//! assert_eq!(exp_euler.v, rk4.v);
//! ```
//!
//! Why a type parameter: `#[dynamical_system(method = …)]` is an attribute of the impl that holds
//! the equations, so the method is fixed at compile time. Each model therefore has one struct
//! (one set of params, states, builder and probes) and four impls, one per marker, stamped out by
//! a small `macro_rules!` around the equations. Choosing a method is choosing a type: no runtime
//! dispatch in the step, and a model type says how it is integrated.

pub mod hh;
pub mod hh_traub;
pub mod izhikevich;
pub mod lif;
pub mod method;
mod v_init;

pub use hh::Hh;
pub use hh_traub::HhTraub;
pub use izhikevich::Izhikevich;
pub use lif::Lif;
pub use method::{Euler, ExpEuler, NeuronMethod, Rk2, Rk4};
pub use v_init::uniform_around;
